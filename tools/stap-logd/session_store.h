// SPDX-License-Identifier: GPL-2.0-or-later
// The session store: one file per session and sender, the `current` links, buffering, retention.
//
// Layout of the session folder (documented in man/stap-logd.1, FILES):
//
//   YYYYMMDD-HHMMSS.uuuuuu_ADDR.log   one session; the UTC start time first, so that names sort by
//                                     start time, then the sender's address (':' of IPv6 as '-')
//   current                           symlink to the newest session of any sender
//   current-ADDR                      symlink to the newest session of that sender
//
// A name is never reused: start times are made strictly increasing within the process, and a file
// is only ever created with O_EXCL (a clash with another process bumps the time by a microsecond).
// Links are switched atomically (symlink to a temporary name, rename over the link).
//
// Lines are buffered in memory and written by flush(), which the daemon calls when the socket is
// drained and at least every few milliseconds under load (the 50 ms visibility bound). A write that
// fails (disk full, I/O error) keeps the data buffered, is reported once, and is retried on the
// next flush; past a cap the newest lines are dropped. Every line that does not reach its file is
// said where the reader looks, as a "lost N lines (not written: REASON)" note in the session at the
// place of the gap (as soon as writing works again), or at the top of the sender's next session
// when its old one could not take it; stats().lines counts exactly the lines that reached a file. A
// session file that was removed while open (or its folder) is noticed after the next write: its
// lines since the last check count as lost and the file is created again, beginning with a note.
// Retention
// (--keep) removes the oldest session files first and never a session that is still open.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"
#include "file_system.h"

namespace sa::logd {

using WallClock = std::function<std::chrono::system_clock::time_point()>;

struct Retention {
  uint64_t max_sessions = 0;  // 0: no limit
  uint64_t max_bytes = 0;     // 0: no limit
};

// Parses one --keep value: "N" (sessions) or "N[KMGT]" / "N[KMGT]iB" / "NB" (bytes); several may
// be given separated by commas. Merges into *r. Returns false with *err set on a bad value.
bool parse_keep(std::string_view text, Retention* r, std::string* err);

struct StoreOptions {
  std::string dir;
  Retention keep;
  size_t max_buffered = 64u << 20;  // per store; beyond it new lines are dropped and counted
  WallClock clock;                  // defaults to the system clock
  unsigned file_mode = 0640;  // new session files (masked by the umask); folders: folder_mode()
};

// The mode of folders made for sessions: the file mode plus x wherever it has r (0640 -> 0750).
unsigned folder_mode(unsigned file_mode);

// Why open_append refused to reopen a session file (its errno), in words.
std::string reopen_refusal(int e);

struct StoreStats {
  uint64_t lines = 0;             // lines that reached a session file (notes included)
  uint64_t sessions = 0;          // sessions started
  uint64_t dropped_lines = 0;     // lines that never reached a file (or reached a removed one)
  uint64_t write_errors = 0;      // failed write calls
  uint64_t removed_sessions = 0;  // by retention
};

// The file-name form of an address: IPv6 ':' become '-'; IPv4 unchanged.
std::string address_for_name(std::string_view address);

// The session file name for a start time and sender.
std::string session_file_name(std::chrono::system_clock::time_point start,
                              std::string_view address);

// True if `name` has the form of a session file name.
bool is_session_file_name(std::string_view name);

class SessionStore {
 public:
  SessionStore(FileSystem& fs, StoreOptions options);

  // Creates the folder (folder_mode) and checks that it is writable, ours and not writable by group
  // or others (anyone who can write it could swap a session file for a link). Exit::cant_create
  // when not.
  bool open(Diag* err);

  // Starts a new session for `sender` and returns its file name. The previous session of that
  // sender is flushed and closed. Failure to create the file is reported through take_events() and
  // the sender's lines are then dropped and counted until its next session start.
  std::string start_session(const std::string& sender);

  bool has_session(const std::string& sender) const;
  // The current session's file name for `sender` ("" if none).
  std::string session_of(const std::string& sender) const;

  // Appends one line (no newline in it) to the sender's current session. The sender must have one.
  void append(const std::string& sender, std::string_view line);

  // Writes what is buffered. Returns the number of bytes still buffered.
  size_t flush();
  size_t buffered() const { return buffered_; }

  // Closes and reopens every open session file by name (after logrotate moved them). Returns the
  // number of files that could not be reopened (each also reported through take_events()).
  size_t reopen();

  // Writes and closes the sender's session (the sender is forgotten); what cannot be written is
  // counted as dropped and reported.
  void close_session(const std::string& sender);
  // Adds the note "-- stap-logd: TEXT" to every open session: a loss that cannot be put to one
  // sender (datagrams dropped before they were read).
  void note_all(std::string_view text);

  // Shutdown: writes what is buffered; what cannot be written is counted as dropped, and a note of
  // it is attempted at the end of each session concerned. Returns false when a line was dropped at
  // all.
  bool finish();

  // Removes the oldest session files beyond the retention limits (never an open one).
  void enforce_retention();

  const StoreStats& stats() const { return stats_; }
  // Warnings and notes to print (disk full, resumed, cannot create, retention failures).
  std::vector<Diag> take_events();

 private:
  struct Session {
    std::string name;
    std::unique_ptr<AppendFile> file;
    std::string pending;        // buffered bytes not yet written
    uint64_t dropped = 0;       // lines dropped since the last one buffered: a note goes at the gap
    std::string drop_reason;    // why, e.g. "not written: No space left on device"
    bool at_line_start = true;  // the file ends with '\n' (a failed write may have cut a line)
    uint64_t unchecked_lines = 0;  // lines written since removed() was last asked
  };
  bool check_folder(const FolderInfo& info, Diag* err) const;
  bool write_pending(Session& s);
  void drop_line(Session& s, std::string reason);
  void note_dropped(Session& s);
  void check_removed(Session& s);
  std::string write_and_close(Session& s);
  uint64_t unwritten_lines(const Session& s) const;
  void buffer(Session& s, std::string_view line);
  void event(Diag d);
  std::string path(const std::string& name) const { return options_.dir + "/" + name; }

  FileSystem& fs_;
  StoreOptions options_;
  std::map<std::string, Session> sessions_;  // by sender
  std::chrono::system_clock::time_point last_start_{};
  size_t buffered_ = 0;
  bool disk_full_ = false;
  std::string last_error_;  // strerror of the last failed write
  uint64_t dropped_at_full_ = 0;
  std::map<std::string, std::string> carried_;  // by sender: a note for its next session
  StoreStats stats_;
  std::vector<Diag> events_;
};

}  // namespace sa::logd
