// SPDX-License-Identifier: GPL-2.0-or-later
// One line of a session file (share/log-format.md, version 1), as a typed value.
//
// stap-logd writes these lines (and picks their fields apart for --json); stap-report and any other
// reader parses them here, so there is one parser of the format:
//
//   <time> cpu<cpu> <comm>[<pid>/<tid>] <indent><mark> <function><where> <details>
//   -- stap-logd: NOTE                       (lost N line(s) ... counts lost lines)
//   ===CLEAR===                              (a session start, in files not cut by stap-logd)
//   anything else                            (netconsole and other raw text)
//
// The scanner never allocates and never fails: views point into the line, and each field is marked
// present only when it has the format's shape, so a damaged line gives what it still has (what
// stap-logd's --json prints) and readers that need a whole trace line check complete().
#pragma once

#include <cstdint>
#include <string_view>

namespace sa::session {

enum class Mark { call, ret, line, message };  // "->", "<-", "::", "!!"

struct TraceLine {
  bool has_time = false, has_cpu = false, has_task = false, has_pid = false, has_tid = false;
  bool has_mark = false;

  std::string_view time;  // "12.345678" as written
  uint64_t time_us = 0;   // the same in microseconds
  uint64_t cpu = 0;
  std::string_view comm;
  uint32_t pid = 0;
  uint32_t tid = 0;
  int depth = 0;  // from the indent: two spaces a level
  Mark mark = Mark::message;
  std::string_view function;  // without <where>
  std::string_view file;      // from "@FILE:LINE", empty when the line has no <where>
  uint32_t line = 0;
  std::string_view where;    // "@FILE:LINE" as written, or empty
  std::string_view details;  // parameters, "return=VALUE", locals or the message; may be empty
  std::string_view text;     // the whole line

  // Every field up to the function is there: a trace line a reader can use.
  bool complete() const {
    return has_time && has_cpu && has_task && has_pid && has_tid && has_mark && !function.empty();
  }
};

// Scans `text` (one line, no newline) as a trace line, as far as it has the shape.
TraceLine scan_trace_line(std::string_view text);

enum class LineKind { trace, note, clear, other };

struct SessionLine {
  LineKind kind = LineKind::other;
  TraceLine trace;        // LineKind::trace
  std::string_view note;  // LineKind::note: the text after "-- stap-logd: "
  uint64_t lost = 0;      // LineKind::note: N of "lost N line(s)", 0 for other notes
};

// Classifies one line of a session file. A line that starts like a trace line but is not complete
// is LineKind::other.
SessionLine parse_session_line(std::string_view text);

// N of a note "lost N line" or "lost N lines ..." (the text after the note prefix), else 0.
uint64_t lost_lines_in_note(std::string_view note);

// The value of a "<-" line's details "return=VALUE" (the first word after "return="); empty for a
// void return or details that are not a return value.
std::string_view return_value(std::string_view details);

// An error return: VALUE read as a signed 64-bit number (decimal, or 0x... hex taken as two's
// complement) is in -4095..-1, or VALUE is spelled ERR_PTR(...).
bool is_error_value(std::string_view value);

}  // namespace sa::session
