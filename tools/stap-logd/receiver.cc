// SPDX-License-Identifier: GPL-2.0-or-later
// Reassembly, gap detection, raw-text handling and the caps on all of it. See receiver.h.
#include "receiver.h"

#include <algorithm>
#include <cstdio>

namespace sa::logd {

using logproto::Datagram;
using logproto::Kind;

namespace {

// What a held line costs against max_held_bytes besides its text: the bookkeeping around it (map
// node, one std::string per part), so that 64-part lines of one byte each cannot slip under the
// cap.
constexpr size_t kHeldLineOverhead = 128;
constexpr size_t kHeldPartOverhead = sizeof(std::string);

// A received line that begins like stap-logd's notes ("-- stap-logd") could be taken for one.
constexpr std::string_view kForgeable = "-- stap-logd";

std::string plural_lines(uint64_t n) { return std::to_string(n) + (n == 1 ? " line" : " lines"); }

}  // namespace

Receiver::Receiver(SessionStore& store, LineSink follow, ReceiverLimits limits)
    : store_(store), follow_(std::move(follow)), limits_(limits) {
  limits_.max_senders = std::max<size_t>(limits_.max_senders, 1);
  limits_.max_cpus = std::max<size_t>(limits_.max_cpus, 1);
}

void Receiver::ensure_session(const std::string& sender, const char* why) {
  if (store_.has_session(sender)) return;
  store_.start_session(sender);
  note(sender, std::nullopt, "session from " + sender + " " + why);
}

void Receiver::emit(const std::string& sender, LineKind kind, std::optional<unsigned> cpu,
                    std::optional<uint64_t> seq, std::string_view text) {
  ensure_session(sender, "started by its first datagram (no ===CLEAR=== seen)");
  if (kind != LineKind::note && text.substr(0, kForgeable.size()) == kForgeable) {
    marked_.assign("\\x2d");  // the escape sanitize uses; the line no longer begins like a note
    marked_.append(text.substr(1));
    text = marked_;
  }
  store_.append(sender, text);
  ++stats_.lines[static_cast<size_t>(kind)];
  if (follow_) {
    std::string session = store_.session_of(sender);
    LineEvent e;
    e.sender = &sender;
    e.session = &session;
    e.kind = kind;
    e.cpu = cpu;
    e.seq = seq;
    e.text = text;
    follow_(e);
  }
}

void Receiver::note(const std::string& sender, std::optional<unsigned> cpu,
                    const std::string& text) {
  std::string line(logproto::kNotePrefix);
  line += text;
  emit(sender, LineKind::note, cpu, std::nullopt, line);
}

void Receiver::on_datagram(const std::string& sender, std::string_view data, Steady now) {
  ++stats_.datagrams;
  ++clock_;
  Sender& s = sender_state(sender);
  Datagram d = logproto::parse_datagram(data);
  if (d.kind == Kind::clear || logproto::is_sa1_clear(d)) {
    clear(sender, s);
    if (d.kind == Kind::sa1) s.sequences_from_one = true;
  } else {
    switch (d.kind) {
      case Kind::sa1:
        on_sa1(sender, s, d, now);
        break;
      case Kind::netconsole_ext:
        on_netconsole(sender, s, d, now);
        break;
      default:
        on_raw(sender, s, d.text, now);
        break;
    }
  }
  enforce_limits();
}

// The state of `sender`, made if new; beyond max_senders the least recently heard from are
// forgotten.
Receiver::Sender& Receiver::sender_state(const std::string& sender) {
  auto it = senders_.find(sender);
  if (it == senders_.end()) {
    if (senders_.size() >= limits_.max_senders) evict_senders();
    it = senders_.emplace(sender, Sender{}).first;
    it->second.name = &it->first;
  }
  it->second.last_used = clock_;
  return it->second;
}

// Forgets the least recently heard from sixteenth of the senders (at least one), so that a flood of
// new addresses costs O(1) per datagram on average. Each gets what it held written and its session
// closed with a note; its next datagram starts a new session.
void Receiver::evict_senders() {
  std::vector<std::pair<uint64_t, SenderMap::iterator>> order;
  order.reserve(senders_.size());
  for (auto it = senders_.begin(); it != senders_.end(); ++it)
    order.emplace_back(it->second.last_used, it);
  size_t n = std::max<size_t>(1, senders_.size() / 16);
  std::nth_element(order.begin(), order.begin() + (n - 1), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  order.resize(n);
  for (auto& [used, it] : order) {
    const std::string& name = it->first;
    flush_sender(name, it->second);
    if (store_.has_session(name))
      note(name, std::nullopt,
           "session closed: more than " + std::to_string(limits_.max_senders) +
               " senders at once (--max-senders); the next datagram from " + name +
               " starts a new session");
    store_.close_session(name);
    it->second.evicted = true;
    ++stats_.evictions;
  }
  waiting_.erase(
      std::remove_if(waiting_.begin(), waiting_.end(), [](Sender* w) { return w->evicted; }),
      waiting_.end());
  for (auto& [used, it] : order) senders_.erase(it);
}

Receiver::CpuState& Receiver::cpu_state(const std::string& sender, Sender& s, unsigned cpu) {
  auto it = s.cpus.find(cpu);
  if (it == s.cpus.end()) {
    if (s.cpus.size() >= limits_.max_cpus) evict_cpus(sender, s);
    it = s.cpus.emplace(cpu, CpuState{}).first;
  }
  it->second.last_used = clock_;
  return it->second;
}

// Forgets the least recently heard from sixteenth of a sender's CPUs (at least one), after writing
// what they held. A forgotten CPU that sends again starts from its next line, like a sender that
// started mid-stream.
void Receiver::evict_cpus(const std::string& sender, Sender& s) {
  std::vector<std::pair<uint64_t, unsigned>> order;
  order.reserve(s.cpus.size());
  for (const auto& [cpu, c] : s.cpus) order.emplace_back(c.last_used, cpu);
  size_t n = std::max<size_t>(1, s.cpus.size() / 16);
  std::nth_element(order.begin(), order.begin() + (n - 1), order.end());
  order.resize(n);
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& [used, cpu] : order) {
    CpuState& c = s.cpus[cpu];
    release(sender, cpu, c, Steady{}, true);
    s.cpus.erase(cpu);
  }
  s.sequences_from_one = false;  // a CPU heard from again takes its numbers from its next line
  stats_.evictions += n;
  note(sender, std::nullopt,
       "forgot " + std::to_string(n) + (n == 1 ? " cpu" : " cpus") +
           ", the least recently heard from: more than " + std::to_string(limits_.max_cpus) +
           " cpus from one sender (--max-cpus); a forgotten cpu's next line "
           "starts its sequence again");
}

// Past a cap on held lines or reassembly bytes, everything held by every sender is written now,
// with a note of why in each session that held something.
void Receiver::enforce_limits() {
  bool held = held_lines_ > limits_.max_held_lines || held_bytes_ > limits_.max_held_bytes;
  bool reassembly = reassembly_bytes_ > limits_.max_reassembly_bytes;
  if (!held && !reassembly) return;
  std::string why;
  if (held)
    why = "stopped waiting for late datagrams: " + std::to_string(held_lines_) + " lines (" +
          std::to_string(held_bytes_) + " bytes) held by all senders, more than --max-held-lines " +
          std::to_string(limits_.max_held_lines) + " or --max-held-bytes " +
          std::to_string(limits_.max_held_bytes);
  else
    why = "stopped putting messages together: " + std::to_string(reassembly_bytes_) +
          " bytes of netconsole messages and unfinished raw lines, more than --max-reassembly " +
          std::to_string(limits_.max_reassembly_bytes);
  std::vector<Sender*> waiting;
  waiting.swap(waiting_);
  for (Sender* sp : waiting) {
    Sender& s = *sp;
    const std::string& sender = *s.name;
    s.waiting = false;
    bool holds = std::any_of(s.cpus.begin(), s.cpus.end(),
                             [](const auto& c) { return !c.second.held.empty(); });
    if (!(held ? holds : (s.nc.active || !s.raw_tail.empty()))) {
      if (has_work(s)) mark_waiting(s);
      continue;
    }
    note(sender, std::nullopt, why);
    ++stats_.evictions;
    if (held) {
      for (auto& [cpu, c] : s.cpus)
        if (!c.held.empty()) release(sender, cpu, c, Steady{}, true);
    } else {
      if (!s.raw_tail.empty()) flush_raw_tail(sender, s);
      if (s.nc.active) finish_netconsole(sender, s, "--max-reassembly");
    }
    if (has_work(s)) mark_waiting(s);
  }
}

void Receiver::mark_waiting(Sender& s) {
  if (s.waiting) return;
  s.waiting = true;
  waiting_.push_back(&s);
}

bool Receiver::has_work(const Sender& s) const {
  if (!s.raw_tail.empty() || s.nc.active) return true;
  for (const auto& [cpu, c] : s.cpus)
    if (!c.held.empty()) return true;
  return false;
}

// A new session for this sender: what is still held belongs to the old one.
void Receiver::clear(const std::string& sender, Sender& s) {
  flush_sender(sender, s);
  Sender fresh;
  fresh.name = s.name;
  fresh.waiting = s.waiting;  // it may still be in waiting_; tick() drops it there
  fresh.last_used = s.last_used;
  s = std::move(fresh);
  store_.start_session(sender);
  note(sender, std::nullopt, "session from " + sender + " started by ===CLEAR===");
}

void Receiver::flush_sender(const std::string& sender, Sender& s) {
  for (auto& [cpu, c] : s.cpus) release(sender, cpu, c, Steady{}, true);
  if (!s.raw_tail.empty()) flush_raw_tail(sender, s);
  if (s.nc.active) finish_netconsole(sender, s);
}

void Receiver::on_sa1(const std::string& sender, Sender& s, const Datagram& d, Steady now) {
  CpuState& c = cpu_state(sender, s, d.cpu);
  if (!c.have_next) {
    c.have_next = true;
    c.next_seq = s.sequences_from_one ? 1 : d.seq;
  }
  if (d.seq < c.next_seq) {
    if (c.next_seq - d.seq <= kMaxHeldLines) {
      late(sender, d);
      return;
    }
    release(sender, d.cpu, c, now, true);  // far behind: the sender started again, its clear lost
    c.next_seq = d.seq;
  }
  if (d.seq - c.next_seq > kMaxGap) {
    // Not a count anyone could believe: write what is held, say so, and follow the new numbers.
    release(sender, d.cpu, c, now, true);
    if (d.seq - c.next_seq > kMaxGap) {
      ++stats_.jumps;
      note(sender, d.cpu,
           "sequence jump (cpu " + std::to_string(d.cpu) + ", seq " + std::to_string(c.next_seq) +
               " to " + std::to_string(d.seq) + "): more than " + std::to_string(kMaxGap) +
               " ahead, taken as a restart without a clear; the lines between are not counted");
      c.next_seq = d.seq;
    }
  }
  if (d.seq == c.next_seq && d.parts == 1 && c.held.empty()) {  // the usual case: nothing to hold
    scratch_.clear();
    logproto::append_sanitized(d.chunk, &scratch_);
    ++c.next_seq;
    emit(sender, LineKind::trace, d.cpu, d.seq, scratch_);
    return;
  }
  hold(sender, d, c, now);
  release(sender, d.cpu, c, now, false);
  if (!c.held.empty()) mark_waiting(s);
}

void Receiver::hold(const std::string& sender, const Datagram& d, CpuState& c, Steady now) {
  HeldLine& h = c.held[d.seq];
  if (h.parts == 0) {
    h.parts = d.parts;
    h.chunks.resize(d.parts);
    h.since = now;
    if (c.arrivals_head > 64 && c.arrivals_head * 2 > c.arrivals.size()) {
      c.arrivals.erase(c.arrivals.begin(), c.arrivals.begin() + static_cast<long>(c.arrivals_head));
      c.arrivals_head = 0;
    }
    c.arrivals.emplace_back(d.seq, now);
    size_t cost = kHeldLineOverhead + d.parts * kHeldPartOverhead;
    h.bytes = 0;
    c.held_bytes += cost;
    held_bytes_ += cost;
    ++held_lines_;
  }
  uint64_t bit = uint64_t{1} << (d.part - 1);
  if (d.parts != h.parts || (h.got & bit)) {
    late(sender, d);
    return;
  }
  h.got |= bit;
  if (h.bytes + d.chunk.size() > kMaxLine) {
    h.too_long = true;
    return;
  }
  h.chunks[d.part - 1].assign(d.chunk);
  h.bytes += d.chunk.size();
  c.held_bytes += d.chunk.size();
  held_bytes_ += d.chunk.size();
}

// Writes the held lines that can be written: in sequence order, a gap or an incomplete line only
// once it has waited kHoldTimeout (or at once with `all`, or when the CPU holds too much).
void Receiver::release(const std::string& sender, unsigned cpu, CpuState& c, Steady now, bool all) {
  while (!c.held.empty()) {
    auto it = c.held.begin();
    const HeldLine& h = it->second;
    bool force = all || c.held.size() > kMaxHeldLines || c.held_bytes > kMaxHeldBytes;
    if (it->first == c.next_seq) {
      if (!h.complete() && !force && now - h.since < kHoldTimeout) return;
    } else {
      // The gap is as old as the first line that arrived after it, whichever sequence that has.
      while (c.arrivals[c.arrivals_head].first < c.next_seq) ++c.arrivals_head;
      if (!force && now - c.arrivals[c.arrivals_head].second < kHoldTimeout) return;
      uint64_t lost = it->first - c.next_seq;
      stats_.lost_lines += lost;
      note(sender, cpu,
           "lost " + plural_lines(lost) + " (cpu " + std::to_string(cpu) + ", seq " +
               std::to_string(c.next_seq) + ".." + std::to_string(it->first - 1) + ")");
    }
    write_held(sender, cpu, it->first, h);
    size_t cost = kHeldLineOverhead + h.parts * kHeldPartOverhead + h.bytes;
    c.held_bytes -= cost;
    held_bytes_ -= cost;
    --held_lines_;
    c.next_seq = it->first + 1;
    c.held.erase(it);
  }
  c.arrivals.clear();
  c.arrivals.shrink_to_fit();
  c.arrivals_head = 0;
}

// A datagram of a line that was already written (as a line or as lost), or one that came twice.
void Receiver::late(const std::string& sender, const Datagram& d) {
  scratch_ = std::string(logproto::kNotePrefix) + "late or repeated datagram (cpu " +
             std::to_string(d.cpu) + ", seq " + std::to_string(d.seq) + ", part " +
             std::to_string(d.part) + "/" + std::to_string(d.parts) + "): ";
  logproto::append_sanitized(d.chunk, &scratch_);
  emit(sender, LineKind::note, d.cpu, d.seq, scratch_);
}

void Receiver::write_held(const std::string& sender, unsigned cpu, uint64_t seq,
                          const HeldLine& h) {
  bool complete = h.complete();
  scratch_.clear();
  if (!complete) {
    ++stats_.lost_lines;
    scratch_ = std::string(logproto::kNotePrefix) + "lost 1 line (cpu " + std::to_string(cpu) +
               ", seq " + std::to_string(seq) + ".." + std::to_string(seq) + "), incomplete: ";
  }
  for (const std::string& chunk : h.chunks) logproto::append_sanitized(chunk, &scratch_);
  emit(sender, complete ? LineKind::trace : LineKind::note, cpu, seq, scratch_);
}

void Receiver::on_raw(const std::string& sender, Sender& s, std::string_view text, Steady now) {
  size_t before = s.raw_tail.size();
  size_t start = 0;
  for (size_t nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n', start)) {
    s.raw_tail.append(text.substr(start, nl - start));
    start = nl + 1;
    reassembly_bytes_ += s.raw_tail.size() - before;
    flush_raw_tail(sender, s);  // an empty line is written too: it was sent
    before = 0;
  }
  std::string_view rest = text.substr(start);
  if (!rest.empty()) {
    if (s.raw_tail.empty()) s.raw_since = now;
    s.raw_tail.append(rest);
    reassembly_bytes_ += s.raw_tail.size() - before;
    if (s.raw_tail.size() > 65536) flush_raw_tail(sender, s);
    if (!s.raw_tail.empty()) mark_waiting(s);
  }
}

// Writes the held raw text as one line (also when empty: called at each '\n').
void Receiver::flush_raw_tail(const std::string& sender, Sender& s) {
  std::string_view t = s.raw_tail;
  if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
  scratch_.clear();
  logproto::append_sanitized(t, &scratch_);
  reassembly_bytes_ -= s.raw_tail.size();
  s.raw_tail.clear();
  s.raw_tail.shrink_to_fit();
  emit(sender, LineKind::raw, std::nullopt, std::nullopt, scratch_);
}

void Receiver::drop_netconsole(NetconsoleMessage& m) {
  reassembly_bytes_ -= m.cost();
  m = NetconsoleMessage{};
}

void Receiver::on_netconsole(const std::string& sender, Sender& s, const Datagram& d, Steady now) {
  NetconsoleMessage& m = s.nc;
  if (m.active && (!d.fragment || d.nc_seq != m.seq || d.frag_total != m.total))
    finish_netconsole(sender, s);
  if (!d.fragment) {
    drop_netconsole(m);
    m.active = true;
    m.seq = d.nc_seq;
    m.ts_usec = d.ts_usec;
    m.total = d.body.size();
    m.received = m.total;
    m.buf.assign(d.body);
    reassembly_bytes_ += m.cost();
    finish_netconsole(sender, s);
    return;
  }
  if (!m.active) {
    drop_netconsole(m);
    m.active = true;
    m.seq = d.nc_seq;
    m.ts_usec = d.ts_usec;
    m.total = d.frag_total;  // bounded by logproto::kMaxNetconsoleMessage
    m.since = now;
  }
  size_t n = d.body.size();
  if (d.frag_offset + n > m.total) n = m.total - d.frag_offset;
  if (d.frag_offset + n > m.buf.size()) {
    reassembly_bytes_ -= m.cost();
    m.buf.resize(d.frag_offset + n, ' ');
    m.filled.resize(d.frag_offset + n, false);
    reassembly_bytes_ += m.cost();
  }
  for (size_t i = 0; i < n; ++i) {
    m.buf[d.frag_offset + i] = d.body[i];
    if (!m.filled[d.frag_offset + i]) {
      m.filled[d.frag_offset + i] = 1;
      ++m.received;
    }
  }
  if (m.received >= m.total)
    finish_netconsole(sender, s);
  else
    mark_waiting(s);
}

// Writes the message as dmesg shows it: "[    1.234567] text". An incomplete one (fragments lost,
// or given up on because of `why`) follows a note, with "[N bytes lost]" where the missing bytes
// were.
void Receiver::finish_netconsole(const std::string& sender, Sender& s, const char* why) {
  NetconsoleMessage& m = s.nc;
  std::string text;
  if (m.received < m.total) {
    note(sender, std::nullopt,
         "incomplete netconsole message (seq " + std::to_string(m.seq) + ", " +
             std::to_string(m.received) + " of " + std::to_string(m.total) + " bytes arrived" +
             (why ? std::string(", ") + why : "") + ")");
    // Walks the bytes up to the furthest fragment only: what lies past it is one run of lost bytes
    // (a fragment may announce 64 KiB and bring 3 bytes).
    for (size_t i = 0; i < m.total;) {
      if (i < m.filled.size() && m.filled[i]) {
        text.push_back(m.buf[i++]);
        continue;
      }
      size_t j = i;
      while (j < m.total && j < m.filled.size() && !m.filled[j]) ++j;
      if (j >= m.filled.size()) j = m.total;
      text += "[" + std::to_string(j - i) + " bytes lost]";
      i = j;
    }
  } else {
    text = m.buf;
  }
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "[%5llu.%06llu] ",
                static_cast<unsigned long long>(m.ts_usec / 1000000),
                static_cast<unsigned long long>(m.ts_usec % 1000000));
  uint64_t seq = m.seq;
  drop_netconsole(m);
  scratch_.assign(stamp);
  logproto::append_sanitized(logproto::netconsole_message(text), &scratch_);
  emit(sender, LineKind::netconsole, std::nullopt, seq, scratch_);
}

// Visits only the senders that hold something: an idle daemon's tick costs nothing per sender.
void Receiver::tick(Steady now) {
  std::vector<Sender*> waiting;
  waiting.swap(waiting_);
  for (Sender* sp : waiting) {
    Sender& s = *sp;
    const std::string& sender = *s.name;
    s.waiting = false;
    if (!s.raw_tail.empty() && now - s.raw_since >= kRawLinger) flush_raw_tail(sender, s);
    for (auto& [cpu, c] : s.cpus)
      if (!c.held.empty()) release(sender, cpu, c, now, false);
    if (s.nc.active && now - s.nc.since >= kHoldTimeout) finish_netconsole(sender, s);
    if (has_work(s)) mark_waiting(s);
  }
}

void Receiver::finish() {
  for (auto& [sender, s] : senders_) flush_sender(sender, s);
  waiting_.clear();
  for (auto& [sender, s] : senders_) s.waiting = false;
}

}  // namespace sa::logd
