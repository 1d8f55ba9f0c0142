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
    if (d.kind == Kind::sa1) {
      s.sequences_from_one = true;
      CpuState& c = s.cpus[d.cpu];
      c.have_last = true;
      c.last_seq = 0;
    }
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
  for (auto& [cpu, c] : s.cpus)
    if (c.in_line) {
      c.missing = true;
      finish_line(sender, cpu, c);
    }
  if (!s.raw_tail.empty()) flush_raw_tail(sender, s);
  if (s.nc.active) finish_netconsole(sender, s);
}

void Receiver::on_sa1(const std::string& sender, Sender& s, const Datagram& d, Steady now) {
  CpuState& c = s.cpus[d.cpu];
  if (c.in_line) {
    if (d.seq == c.line_seq && d.parts == c.parts && d.part >= c.next_part) {
      if (d.part > c.next_part) c.missing = true;
      if (c.buf.size() + d.chunk.size() <= kMaxLine)
        c.buf.append(d.chunk);
      else
        c.missing = true;  // more than 64 full datagrams can hold: not from a preamble
      c.next_part = d.part + 1;
      if (d.part == d.parts) finish_line(sender, d.cpu, c);
      return;
    }
    c.missing = true;  // the rest of that line never came
    finish_line(sender, d.cpu, c);
  }
  if (!c.have_last && s.sequences_from_one) {
    c.have_last = true;
    c.last_seq = 0;
  }
  if (c.have_last && d.seq > c.last_seq + 1) {
    uint64_t lost = d.seq - c.last_seq - 1;
    stats_.lost_lines += lost;
    note(sender, d.cpu,
         "lost " + std::to_string(lost) + (lost == 1 ? " line" : " lines") + " (cpu " +
             std::to_string(d.cpu) + ", seq " + std::to_string(c.last_seq + 1) + ".." +
             std::to_string(d.seq - 1) + ")");
  }
  c.have_last = true;
  c.last_seq = d.seq;
  c.in_line = true;
  c.missing = d.part != 1;
  c.line_seq = d.seq;
  c.parts = d.parts;
  c.next_part = d.part + 1;
  c.buf.assign(d.chunk);
  c.since = now;
  if (d.part == d.parts) finish_line(sender, d.cpu, c);
}

void Receiver::finish_line(const std::string& sender, unsigned cpu, CpuState& c) {
  c.in_line = false;
  scratch_.clear();
  if (c.missing) {
    ++stats_.lost_lines;
    scratch_ = std::string(logproto::kNotePrefix) + "lost 1 line (cpu " + std::to_string(cpu) +
               ", seq " + std::to_string(c.line_seq) + ".." + std::to_string(c.line_seq) +
               "), incomplete: ";
    logproto::append_sanitized(c.buf, &scratch_);
    emit(sender, LineKind::note, cpu, c.line_seq, scratch_);
  } else {
    logproto::append_sanitized(c.buf, &scratch_);
    emit(sender, LineKind::trace, cpu, c.line_seq, scratch_);
  }
  c.buf.clear();
  c.missing = false;
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
      if (c.in_line && now - c.since >= kPartialTimeout) {
        c.missing = true;
        finish_line(sender, cpu, c);
      }
    if (s.nc.active && now - s.nc.since >= kPartialTimeout) finish_netconsole(sender, s);
  }
}

void Receiver::finish() {
  for (auto& [sender, s] : senders_) flush_sender(sender, s);
}

}  // namespace sa::logd
