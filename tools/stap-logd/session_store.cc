// SPDX-License-Identifier: GPL-2.0-or-later
// Session files, links, buffering and retention. See session_store.h for the rules.
#include "session_store.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>

#include "log_protocol.h"

namespace sa::logd {

namespace {

Diag warning(std::string message) {
  Diag d;
  d.severity = Severity::warning;
  d.exit = Exit::ok;
  d.message = std::move(message);
  return d;
}

// "-- stap-logd: lost N lines (WHY)": the note readers count lost lines from (share/log-format.md).
std::string lost_note(uint64_t n, const std::string& why) {
  return std::string(logproto::kNotePrefix) + "lost " + std::to_string(n) +
         (n == 1 ? " line" : " lines") + " (" + why + ")";
}

uint64_t count_lines(std::string_view bytes) {
  return static_cast<uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
}

constexpr size_t kCarriedMax = 4096;  // senders whose next session owes a note

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool parse_keep(std::string_view text, Retention* r, std::string* err) {
  if (text.empty()) {
    *err = "empty --keep value";
    return false;
  }
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    size_t digits = 0;
    while (digits < item.size() && item[digits] >= '0' && item[digits] <= '9') ++digits;
    std::string_view number = item.substr(0, digits), unit = item.substr(digits);
    if (digits == 0) {
      *err = "bad --keep value '" + std::string(item) +
             "': expected N (sessions) or N with K, M, G or T (bytes)";
      return false;
    }
    uint64_t n = 0;
    if (std::from_chars(number.data(), number.data() + number.size(), n).ec != std::errc()) {
      *err = "bad --keep value '" + std::string(item) + "': too large (at most 16 EiB)";
      return false;
    }
    if (n == 0) {
      *err = "bad --keep value '" + std::string(item) + "': must be at least 1";
      return false;
    }
    if (unit.empty()) {
      r->max_sessions = n;
    } else {
      static const std::string units = "BKMGT";
      char u = static_cast<char>(unit[0] & ~0x20);
      size_t power = units.find(u);
      std::string_view rest = unit.substr(1);
      bool ok = power != std::string::npos &&
                (rest.empty() || (power > 0 && (rest == "B" || rest == "b" || rest == "iB")));
      if (!ok) {
        *err = "bad --keep value '" + std::string(item) + "': unknown unit '" + std::string(unit) +
               "'";
        return false;
      }
      for (size_t i = 0; i < power; ++i) {
        if (n > UINT64_MAX / 1024) {
          *err = "bad --keep value '" + std::string(item) + "': too large (at most 16 EiB)";
          return false;
        }
        n *= 1024;
      }
      r->max_bytes = n;
    }
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return true;
}

std::string address_for_name(std::string_view address) {
  std::string out(address);
  for (char& c : out)
    if (c == ':') c = '-';
  return out;
}

std::string session_file_name(std::chrono::system_clock::time_point start,
                              std::string_view address) {
  using namespace std::chrono;
  auto us = duration_cast<microseconds>(start.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(us / 1000000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d-%02d%02d%02d.%06lld_", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(us % 1000000));
  return buf + address_for_name(address) + ".log";
}

bool is_session_file_name(std::string_view name) {
  // 20261127-040318.123456_ADDR.log
  if (name.size() < 28 || name.substr(name.size() - 4) != ".log") return false;
  if (!is_digits(name.substr(0, 8)) || name[8] != '-' || !is_digits(name.substr(9, 6)) ||
      name[15] != '.' || !is_digits(name.substr(16, 6)) || name[22] != '_')
    return false;
  std::string_view addr = name.substr(23, name.size() - 27);
  return !addr.empty() && std::all_of(addr.begin(), addr.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-' || c == '%';
  });
}

SessionStore::SessionStore(FileSystem& fs, StoreOptions options)
    : fs_(fs), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
}

unsigned folder_mode(unsigned file_mode) { return file_mode | 0700 | ((file_mode & 044) >> 2); }

std::string reopen_refusal(int e) {
  switch (e) {
    case ELOOP:
      return "it is a symbolic link now; not following it";
    case EINVAL:
      return "it is not a regular file now";
    case EPERM:
      return "it belongs to another user now";
    case EMLINK:
      return "it has other hard links now";
    default:
      return std::strerror(e);
  }
}

bool SessionStore::open(Diag* err) {
  FolderInfo info;
  int e = fs_.open_folder(options_.dir, options_.file_mode, folder_mode(options_.file_mode), &info);
  if (e == 0) e = fs_.check_writable(options_.dir);
  if (e != 0) {
    *err = Diag::error(Exit::cant_create,
                       "cannot write session folder " + options_.dir + ": " + std::strerror(e));
    err->note("choose another folder with -d DIR");
    return false;
  }
  return check_folder(info, err);
}

bool SessionStore::check_folder(const FolderInfo& info, Diag* err) const {
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", info.mode & 07777);
  if (!info.ours) {
    *err = Diag::error(Exit::cant_create,
                       "session folder " + options_.dir + " belongs to another user (uid " +
                           std::to_string(info.owner) + "); refusing to write sessions there");
  } else if (info.mode & 022) {
    *err = Diag::error(Exit::cant_create, "session folder " + options_.dir +
                                              " is writable by others (mode " + mode +
                                              "); refusing to write sessions there");
  } else {
    return true;
  }
  err->note(
      "whoever else can write it could swap a session file for a link to any file we may write");
  err->note("choose another folder with -d DIR");
  return false;
}

std::string SessionStore::start_session(const std::string& sender) {
  std::string carry;
  if (auto c = carried_.find(sender); c != carried_.end()) {
    carry = c->second;
    carried_.erase(c);
  }
  auto it = sessions_.find(sender);
  if (it != sessions_.end()) {
    if (std::string note = write_and_close(it->second); !note.empty()) carry = std::move(note);
    sessions_.erase(it);
  }
  using namespace std::chrono;
  auto t = time_point_cast<microseconds>(options_.clock());
  if (t <= last_start_) t = time_point_cast<microseconds>(last_start_) + microseconds(1);
  Session s;
  int e = 0;
  for (int attempt = 0; attempt < 1000 && !s.file; ++attempt, t += microseconds(1)) {
    s.name = session_file_name(t, sender);
    s.file = fs_.create_new(path(s.name), &e);
    if (!s.file && e != EEXIST) break;
  }
  last_start_ = t;
  if (!s.file) {
    Diag d = warning("cannot create session " + path(s.name) + ": " + std::strerror(e));
    d.note("lines from " + sender + " are dropped and counted until its next ===CLEAR===");
    event(std::move(d));
    s.name.clear();
    s.drop_reason = std::string("the session could not be created: ") + std::strerror(e);
    if (!carry.empty()) carried_[sender] = carry;
    sessions_[sender] = std::move(s);
    return "";
  }
  ++stats_.sessions;
  std::string name = s.name;
  if (!carry.empty()) buffer(s, carry);
  sessions_[sender] = std::move(s);
  for (const std::string& link : {std::string("current"), "current-" + address_for_name(sender)}) {
    if (int le = fs_.replace_symlink(name, path(link)); le != 0)
      event(warning("cannot point " + path(link) + " at " + name + ": " + std::strerror(le)));
  }
  enforce_retention();
  return name;
}

bool SessionStore::has_session(const std::string& sender) const {
  return sessions_.count(sender) != 0;
}

std::string SessionStore::session_of(const std::string& sender) const {
  auto it = sessions_.find(sender);
  return it == sessions_.end() ? std::string() : it->second.name;
}

void SessionStore::append(const std::string& sender, std::string_view line) {
  Session& s = sessions_[sender];
  if (!s.file) {
    drop_line(s, s.drop_reason.empty() ? "no session file" : s.drop_reason);
    return;
  }
  if (buffered_ + line.size() + 1 > options_.max_buffered) {
    ++dropped_at_full_;
    drop_line(s,
              "not written: " + (last_error_.empty() ? std::string("buffer full") : last_error_));
    return;
  }
  note_dropped(s);
  buffer(s, line);
}

void SessionStore::note_all(std::string_view text) {
  std::string note = std::string(logproto::kNotePrefix) + std::string(text);
  for (auto& [sender, s] : sessions_) {
    if (!s.file) continue;
    note_dropped(s);
    buffer(s, note);
  }
}

void SessionStore::buffer(Session& s, std::string_view line) {
  s.pending.append(line);
  s.pending.push_back('\n');
  buffered_ += line.size() + 1;
}

void SessionStore::drop_line(Session& s, std::string reason) {
  ++s.dropped;
  ++stats_.dropped_lines;
  if (s.drop_reason.empty() || s.dropped == 1) s.drop_reason = std::move(reason);
}

// The note for the lines dropped since the last one buffered, at the place of the gap.
void SessionStore::note_dropped(Session& s) {
  if (!s.dropped || !s.file) return;
  buffer(s, lost_note(s.dropped, s.drop_reason));
  s.dropped = 0;
  s.drop_reason.clear();
}

uint64_t SessionStore::unwritten_lines(const Session& s) const {
  return count_lines(s.pending) + s.dropped;
}

bool SessionStore::write_pending(Session& s) {
  size_t done = 0;
  bool ok = true;
  while (done < s.pending.size()) {
    int e = 0;
    long n = s.file->write(std::string_view(s.pending).substr(done), &e);
    if (n < 0) {
      ++stats_.write_errors;
      last_error_ = std::strerror(e);
      if (!disk_full_) {
        disk_full_ = true;
        Diag d = warning("cannot write session " + path(s.name) + ": " + std::strerror(e));
        d.note("keeping lines in memory and retrying; past " +
               std::to_string(options_.max_buffered >> 20) +
               " MiB they are dropped, counted and noted in the session");
        event(std::move(d));
      }
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (done) {
    uint64_t lines = count_lines(std::string_view(s.pending).substr(0, done));
    stats_.lines += lines;
    s.unchecked_lines += lines;
    s.at_line_start = s.pending[done - 1] == '\n';
    s.pending.erase(0, done);
    buffered_ -= done;
    check_removed(s);
  }
  return ok;
}

// Lines written to a file that no longer has a name reached no reader: count them as lost and give
// the session its file back, beginning with a note of them.
void SessionStore::check_removed(Session& s) {
  if (!s.file->removed()) {
    s.unchecked_lines = 0;
    return;
  }
  uint64_t lost = s.unchecked_lines;
  s.unchecked_lines = 0;
  stats_.lines -= lost;
  stats_.dropped_lines += lost;
  std::string why = "written to the session file after it was removed";
  int e = 0;
  s.file = fs_.open_append(path(s.name), &e);
  if (!s.file) {
    Diag d = warning("session " + path(s.name) +
                     " was removed while open, and cannot be created again: " + reopen_refusal(e));
    d.note(std::to_string(lost) +
           " lines written to it are lost; later lines are dropped and counted");
    event(std::move(d));
    s.dropped += lost;
    s.drop_reason = why;
    return;
  }
  event(warning("session " + path(s.name) + " was removed while open: " + std::to_string(lost) +
                " lines written to it are lost; created it again"));
  s.at_line_start = true;
  std::string note = lost_note(lost, why) + "\n";
  s.pending.insert(0, note);
  buffered_ += note.size();
}

size_t SessionStore::flush() {
  bool all_ok = true;
  for (auto& [sender, s] : sessions_) {
    if (!s.file) continue;
    bool ok = s.pending.empty() || write_pending(s);
    if (ok && s.dropped &&
        s.file) {  // writing works again: the note goes right after what was kept
      note_dropped(s);
      ok = write_pending(s);
    }
    all_ok = ok && all_ok;
  }
  if (all_ok && disk_full_) {
    disk_full_ = false;
    Diag d = warning("writing sessions again");
    d.severity = Severity::note;
    d.message = "writing sessions again; " + std::to_string(dropped_at_full_) +
                " lines were dropped while writes failed";
    dropped_at_full_ = 0;
    event(std::move(d));
  }
  return buffered_;
}

size_t SessionStore::reopen() {
  flush();
  size_t failed = 0;
  for (auto& [sender, s] : sessions_) {
    if (s.name.empty()) continue;
    int e = 0;
    auto f = fs_.open_append(path(s.name), &e);
    if (!f) {
      Diag d = warning("cannot reopen session " + path(s.name) + ": " + reopen_refusal(e));
      if (s.file) d.note("its lines keep going to the file it had open");
      event(std::move(d));
      ++failed;
      continue;
    }
    s.file = std::move(f);
  }
  return failed;
}

void SessionStore::close_session(const std::string& sender) {
  auto it = sessions_.find(sender);
  if (it == sessions_.end()) return;
  std::string note = write_and_close(it->second);
  if (!note.empty() && carried_.size() < kCarriedMax) carried_[sender] = std::move(note);
  sessions_.erase(it);
}

// Writes what the session still holds (and the note of what it dropped), counts what could not be
// written as dropped and releases its buffer. Returns "" or the note of its lost lines, which the
// sender's next session begins with.
std::string SessionStore::write_and_close(Session& s) {
  if (s.file) {
    note_dropped(s);
    write_pending(s);
  }
  uint64_t unwritten = count_lines(s.pending);
  stats_.dropped_lines += unwritten;
  buffered_ -= s.pending.size();
  s.pending.clear();
  uint64_t lost = unwritten + s.dropped;
  if (!lost) return "";
  std::string why =
      s.dropped && !s.drop_reason.empty() ? s.drop_reason : "not written: " + last_error_;
  event(warning("session " + path(s.name) + " closed with " + std::to_string(lost) +
                " lines lost (" + why + ")"));
  return lost_note(
      lost, why + ", at the end of the previous session" + (s.name.empty() ? "" : " " + s.name));
}

bool SessionStore::finish() {
  flush();
  for (auto& [sender, s] : sessions_) {
    uint64_t unwritten = count_lines(s.pending);
    uint64_t lost = unwritten + s.dropped;
    if (!lost) continue;
    stats_.dropped_lines += unwritten;
    std::string why =
        s.dropped && !s.drop_reason.empty() ? s.drop_reason : "not written: " + last_error_;
    event(warning("session " + path(s.name) + ": " + std::to_string(lost) +
                  " lines lost at shutdown (" + why + ")"));
    if (s.file) {  // one last try, where the reader looks; a line cut by a failed write is ended
                   // first
      std::string note =
          (s.at_line_start ? "" : "\n") + lost_note(lost, why + ", at shutdown") + "\n";
      int e = 0;
      if (s.file->write(note, &e) == static_cast<long>(note.size()))
        stats_.lines += count_lines(note);
    }
    buffered_ -= s.pending.size();
    s.pending.clear();
    s.dropped = 0;
  }
  return stats_.dropped_lines == 0;
}

void SessionStore::enforce_retention() {
  const Retention& k = options_.keep;
  if (k.max_sessions == 0 && k.max_bytes == 0) return;
  std::vector<DirEntry> entries = fs_.list_files(options_.dir);
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const DirEntry& e) { return !is_session_file_name(e.name); }),
                entries.end());
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  std::set<std::string> open;
  for (const auto& [sender, s] : sessions_) open.insert(s.name);
  uint64_t count = entries.size(), bytes = 0;
  for (const auto& e : entries) bytes += e.size;
  for (const auto& e : entries) {
    bool over = (k.max_sessions && count > k.max_sessions) || (k.max_bytes && bytes > k.max_bytes);
    if (!over) break;
    if (open.count(e.name)) continue;
    if (int err = fs_.remove(path(e.name)); err != 0) {
      event(warning("cannot remove old session " + path(e.name) + ": " + std::strerror(err)));
      continue;
    }
    ++stats_.removed_sessions;
    --count;
    bytes -= e.size;
  }
}

void SessionStore::event(Diag d) { events_.push_back(std::move(d)); }

std::vector<Diag> SessionStore::take_events() {
  std::vector<Diag> out;
  out.swap(events_);
  return out;
}

}  // namespace sa::logd
