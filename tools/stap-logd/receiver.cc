// Reassembly, gap detection and raw-text handling. See receiver.h.
#include "receiver.h"

#include <cstdio>

namespace sa::logd {

using logproto::Datagram;
using logproto::Kind;

Receiver::Receiver(SessionStore& store, LineSink follow) : store_(store), follow_(std::move(follow)) {}

void Receiver::ensure_session(const std::string& sender, const char* why) {
  if (store_.has_session(sender)) return;
  store_.start_session(sender);
  note(sender, std::nullopt, "session from " + sender + " " + why);
}

void Receiver::emit(const std::string& sender, LineKind kind, std::optional<unsigned> cpu,
                    std::optional<uint64_t> seq, std::string_view text) {
  ensure_session(sender, "started by its first datagram (no ===CLEAR=== seen)");
  store_.append(sender, text);
  switch (kind) {
    case LineKind::trace: ++stats_.trace_lines; break;
    case LineKind::raw: ++stats_.raw_lines; break;
    case LineKind::netconsole: ++stats_.netconsole_lines; break;
    case LineKind::note: ++stats_.notes; break;
  }
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

void Receiver::note(const std::string& sender, std::optional<unsigned> cpu, const std::string& text) {
  std::string line(logproto::kNotePrefix);
  line += text;
  emit(sender, LineKind::note, cpu, std::nullopt, line);
}

void Receiver::on_datagram(const std::string& sender, std::string_view data, Steady now) {
  ++stats_.datagrams;
  Sender& s = senders_[sender];
  Datagram d = logproto::parse_datagram(data);
  if (d.kind == Kind::clear || logproto::is_sa1_clear(d)) {
    clear(sender, s);
    if (d.kind == Kind::sa1) s.sequences_from_one = true;
    return;
  }
  switch (d.kind) {
    case Kind::sa1: on_sa1(sender, s, d, now); break;
    case Kind::netconsole_ext: on_netconsole(sender, s, d, now); break;
    default: on_raw(sender, s, d.text, now); break;
  }
}

// A new session for this sender: what is still held belongs to the old one.
void Receiver::clear(const std::string& sender, Sender& s) {
  flush_sender(sender, s);
  s = Sender{};
  store_.start_session(sender);
  note(sender, std::nullopt, "session from " + sender + " started by ===CLEAR===");
}

void Receiver::flush_sender(const std::string& sender, Sender& s) {
  for (auto& [cpu, c] : s.cpus) release(sender, cpu, c, Steady{}, true);
  if (!s.raw_tail.empty()) flush_raw_tail(sender, s);
  if (s.nc.active) finish_netconsole(sender, s);
}

void Receiver::on_sa1(const std::string& sender, Sender& s, const Datagram& d, Steady now) {
  CpuState& c = s.cpus[d.cpu];
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
  if (d.seq == c.next_seq && d.parts == 1 && c.held.empty()) {  // the usual case: nothing to hold
    scratch_.clear();
    logproto::append_sanitized(d.chunk, &scratch_);
    ++c.next_seq;
    emit(sender, LineKind::trace, d.cpu, d.seq, scratch_);
    return;
  }
  hold(sender, d, c, now);
  release(sender, d.cpu, c, now, false);
}

void Receiver::hold(const std::string& sender, const Datagram& d, CpuState& c, Steady now) {
  HeldLine& h = c.held[d.seq];
  if (h.parts == 0) {
    h.parts = d.parts;
    h.chunks.resize(d.parts);
    h.since = now;
    c.arrivals.emplace_back(d.seq, now);
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
      while (c.arrivals.front().first < c.next_seq) c.arrivals.pop_front();
      if (!force && now - c.arrivals.front().second < kHoldTimeout) return;
      uint64_t lost = it->first - c.next_seq;
      stats_.lost_lines += lost;
      note(sender, cpu,
           "lost " + std::to_string(lost) + (lost == 1 ? " line" : " lines") + " (cpu " + std::to_string(cpu) +
               ", seq " + std::to_string(c.next_seq) + ".." + std::to_string(it->first - 1) + ")");
    }
    write_held(sender, cpu, it->first, h);
    c.held_bytes -= h.bytes;
    c.next_seq = it->first + 1;
    c.held.erase(it);
  }
  c.arrivals.clear();
}

// A datagram of a line that was already written (as a line or as lost), or one that came twice.
void Receiver::late(const std::string& sender, const Datagram& d) {
  scratch_ = std::string(logproto::kNotePrefix) + "late or repeated datagram (cpu " + std::to_string(d.cpu) +
             ", seq " + std::to_string(d.seq) + ", part " + std::to_string(d.part) + "/" +
             std::to_string(d.parts) + "): ";
  logproto::append_sanitized(d.chunk, &scratch_);
  emit(sender, LineKind::note, d.cpu, d.seq, scratch_);
}

void Receiver::write_held(const std::string& sender, unsigned cpu, uint64_t seq, const HeldLine& h) {
  bool complete = h.complete();
  scratch_.clear();
  if (!complete) {
    ++stats_.lost_lines;
    scratch_ = std::string(logproto::kNotePrefix) + "lost 1 line (cpu " + std::to_string(cpu) + ", seq " +
               std::to_string(seq) + ".." + std::to_string(seq) + "), incomplete: ";
  }
  for (const std::string& chunk : h.chunks) logproto::append_sanitized(chunk, &scratch_);
  emit(sender, complete ? LineKind::trace : LineKind::note, cpu, seq, scratch_);
}

void Receiver::on_raw(const std::string& sender, Sender& s, std::string_view text, Steady now) {
  size_t start = 0;
  for (size_t nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n', start)) {
    s.raw_tail.append(text.substr(start, nl - start));
    start = nl + 1;
    flush_raw_tail(sender, s);  // an empty line is written too: it was sent
  }
  std::string_view rest = text.substr(start);
  if (!rest.empty()) {
    if (s.raw_tail.empty()) s.raw_since = now;
    s.raw_tail.append(rest);
    if (s.raw_tail.size() > 65536) flush_raw_tail(sender, s);
  }
}

// Writes the held raw text as one line (also when empty: called at each '\n').
void Receiver::flush_raw_tail(const std::string& sender, Sender& s) {
  std::string_view t = s.raw_tail;
  if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
  scratch_.clear();
  logproto::append_sanitized(t, &scratch_);
  s.raw_tail.clear();
  emit(sender, LineKind::raw, std::nullopt, std::nullopt, scratch_);
}

void Receiver::on_netconsole(const std::string& sender, Sender& s, const Datagram& d, Steady now) {
  NetconsoleMessage& m = s.nc;
  if (m.active && (!d.fragment || d.nc_seq != m.seq || d.frag_total != m.total))
    finish_netconsole(sender, s);
  if (!d.fragment) {
    m = NetconsoleMessage{};
    m.active = true;
    m.seq = d.nc_seq;
    m.ts_usec = d.ts_usec;
    m.total = d.body.size();
    m.received = m.total;
    m.buf.assign(d.body);
    finish_netconsole(sender, s);
    return;
  }
  if (!m.active) {
    m = NetconsoleMessage{};
    m.active = true;
    m.seq = d.nc_seq;
    m.ts_usec = d.ts_usec;
    m.total = d.frag_total;  // bounded by logproto::kMaxNetconsoleMessage
    m.buf.assign(m.total, ' ');
    m.filled.assign(m.total, 0);
    m.since = now;
  }
  size_t n = d.body.size();
  if (d.frag_offset + n > m.total) n = m.total - d.frag_offset;
  for (size_t i = 0; i < n; ++i) {
    m.buf[d.frag_offset + i] = d.body[i];
    if (!m.filled[d.frag_offset + i]) {
      m.filled[d.frag_offset + i] = 1;
      ++m.received;
    }
  }
  if (m.received >= m.total) finish_netconsole(sender, s);
}

// Writes the message as dmesg shows it: "[    1.234567] text". An incomplete one (fragments lost)
// follows a note, with "[N bytes lost]" where the missing bytes were.
void Receiver::finish_netconsole(const std::string& sender, Sender& s) {
  NetconsoleMessage& m = s.nc;
  std::string text;
  if (m.received < m.total) {
    note(sender, std::nullopt,
         "incomplete netconsole message (seq " + std::to_string(m.seq) + ", " +
             std::to_string(m.received) + " of " + std::to_string(m.total) + " bytes arrived)");
    for (size_t i = 0; i < m.total;) {
      if (m.filled[i]) {
        text.push_back(m.buf[i++]);
        continue;
      }
      size_t j = i;
      while (j < m.total && !m.filled[j]) ++j;
      text += "[" + std::to_string(j - i) + " bytes lost]";
      i = j;
    }
  } else {
    text.swap(m.buf);
  }
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "[%5llu.%06llu] ", static_cast<unsigned long long>(m.ts_usec / 1000000),
                static_cast<unsigned long long>(m.ts_usec % 1000000));
  scratch_.assign(stamp);
  logproto::append_sanitized(logproto::netconsole_message(text), &scratch_);
  uint64_t seq = m.seq;
  m = NetconsoleMessage{};
  emit(sender, LineKind::netconsole, std::nullopt, seq, scratch_);
}

void Receiver::tick(Steady now) {
  for (auto& [sender, s] : senders_) {
    if (!s.raw_tail.empty() && now - s.raw_since >= kRawLinger) flush_raw_tail(sender, s);
    for (auto& [cpu, c] : s.cpus)
      if (!c.held.empty()) release(sender, cpu, c, now, false);
    if (s.nc.active && now - s.nc.since >= kHoldTimeout) finish_netconsole(sender, s);
  }
}

void Receiver::finish() {
  for (auto& [sender, s] : senders_) flush_sender(sender, s);
}

}  // namespace sa::logd
