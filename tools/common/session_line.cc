// SPDX-License-Identifier: GPL-2.0-or-later
// The session-line scanner: token by token, no allocation. See session_line.h.
#include "session_line.h"

#include "log_protocol.h"

namespace sa::session {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

uint64_t to_u64(std::string_view digits) {  // callers bound the length, so this cannot overflow
  uint64_t v = 0;
  for (char c : digits) v = v * 10 + uint64_t(c - '0');
  return v;
}

// Next space-separated token; *spaces gets how many spaces came before it.
std::string_view next_token(std::string_view* rest, size_t* spaces = nullptr) {
  size_t start = rest->find_first_not_of(' ');
  if (start == std::string_view::npos) {
    *rest = {};
    return {};
  }
  if (spaces) *spaces = start;
  size_t end = rest->find(' ', start);
  std::string_view tok = rest->substr(start, end == std::string_view::npos ? end : end - start);
  *rest = end == std::string_view::npos ? std::string_view{} : rest->substr(end);
  return tok;
}

bool parse_mark(std::string_view s, Mark* m) {
  if (s == "->")
    *m = Mark::call;
  else if (s == "<-")
    *m = Mark::ret;
  else if (s == "::")
    *m = Mark::line;
  else if (s == "!!")
    *m = Mark::message;
  else
    return false;
  return true;
}

void split_where(std::string_view fn, TraceLine* t) {
  size_t at = fn.find('@');
  t->function = fn.substr(0, at);
  if (at == std::string_view::npos) return;
  t->where = fn.substr(at);
  std::string_view loc = fn.substr(at + 1);
  size_t colon = loc.rfind(':');
  if (colon != std::string_view::npos && all_digits(loc.substr(colon + 1)) &&
      loc.size() - colon <= 10) {
    t->file = loc.substr(0, colon);
    t->line = uint32_t(to_u64(loc.substr(colon + 1)));
  } else {
    t->file = loc;
  }
}

}  // namespace

TraceLine scan_trace_line(std::string_view text) {
  TraceLine t;
  t.text = text;
  std::string_view rest = text;
  std::string_view time = next_token(&rest);
  // "%d.%06d": at most 12 digits of seconds, so microseconds fit in 64 bits.
  size_t dot = time.find('.');
  if (dot == std::string_view::npos || dot > 12 || !all_digits(time.substr(0, dot)) ||
      time.size() - dot - 1 != 6 || !all_digits(time.substr(dot + 1)))
    return t;
  t.has_time = true;
  t.time = time;
  t.time_us = to_u64(time.substr(0, dot)) * 1000000 + to_u64(time.substr(dot + 1));

  std::string_view cpu = next_token(&rest);
  if (cpu.substr(0, 3) == "cpu" && all_digits(cpu.substr(3)) && cpu.size() <= 12) {
    t.has_cpu = true;
    t.cpu = to_u64(cpu.substr(3));
  }
  std::string_view task = next_token(&rest);  // comm[pid/tid]; comm may hold '/' and '['
  size_t open = task.rfind('['), slash = task.rfind('/');
  if (open != std::string_view::npos && slash != std::string_view::npos && slash > open &&
      task.back() == ']') {
    std::string_view pid = task.substr(open + 1, slash - open - 1);
    std::string_view tid = task.substr(slash + 1, task.size() - slash - 2);
    t.has_task = true;
    t.comm = task.substr(0, open);
    if (all_digits(pid) && pid.size() < 10) t.has_pid = true, t.pid = uint32_t(to_u64(pid));
    if (all_digits(tid) && tid.size() < 10) t.has_tid = true, t.tid = uint32_t(to_u64(tid));
  }
  size_t spaces = 0;
  std::string_view mark = next_token(&rest, &spaces);
  if (!parse_mark(mark, &t.mark)) return t;
  t.has_mark = true;
  t.depth = int(spaces > 0 ? (spaces - 1) / 2 : 0);
  split_where(next_token(&rest), &t);
  if (!rest.empty()) t.details = rest.substr(1);
  return t;
}

SessionLine parse_session_line(std::string_view text) {
  SessionLine s;
  if (text.substr(0, logproto::kNotePrefix.size()) == logproto::kNotePrefix) {
    s.kind = LineKind::note;
    s.note = text.substr(logproto::kNotePrefix.size());
    s.lost = lost_lines_in_note(s.note);
    return s;
  }
  if (text == logproto::kClear) {
    s.kind = LineKind::clear;
    return s;
  }
  s.trace = scan_trace_line(text);
  if (s.trace.complete()) s.kind = LineKind::trace;
  return s;
}

uint64_t lost_lines_in_note(std::string_view note) {
  constexpr std::string_view kLost = "lost ";
  if (note.substr(0, kLost.size()) != kLost) return 0;
  std::string_view rest = note.substr(kLost.size());
  size_t n = 0;
  while (n < rest.size() && n < 19 && rest[n] >= '0' && rest[n] <= '9') ++n;
  if (n == 0) return 0;
  std::string_view after = rest.substr(n);
  if (after.substr(0, 5) != " line") return 0;
  return to_u64(rest.substr(0, n));
}

std::string_view return_value(std::string_view details) {
  constexpr std::string_view kReturn = "return=";
  if (details.substr(0, kReturn.size()) != kReturn) return {};
  std::string_view v = details.substr(kReturn.size());
  return v.substr(0, v.find(' '));
}

bool is_error_value(std::string_view v) {
  if (v.substr(0, 8) == "ERR_PTR(") return true;
  bool negative = false;
  if (!v.empty() && v[0] == '-') negative = true, v.remove_prefix(1);
  uint64_t u = 0;
  if (!negative && v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    v.remove_prefix(2);
    if (v.size() > 16) return false;
    for (char c : v) {
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      u = u << 4 | uint64_t(d);
    }
    int64_t s = int64_t(u);
    return s >= -4095 && s <= -1;
  }
  if (!all_digits(v) || v.size() > 19) return false;
  u = to_u64(v);
  return negative && u >= 1 && u <= 4095;
}

}  // namespace sa::session
