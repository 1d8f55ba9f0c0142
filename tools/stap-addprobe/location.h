// SPDX-License-Identifier: GPL-2.0-or-later
// What a user writes to name a place in the kernel, parsed into one typed value before anything
// looks at a kernel tree. The spellings are the ones kernel developers already type:
//
//   FILE:LINE, FILE:LINE:COLUMN        an editor's or a compiler's spelling (fs/open.c:1351)
//   FUNCTION, FILE:FUNCTION            (vfs_read, fs/read_write.c:vfs_read)
//   FUNCTION@FILE, FUNCTION@FILE:LINE  SystemTap's, and what stap-addprobe itself prints
//   FUNCTION:N                         perf probe's: line N counted from FUNCTION's first line
//   ...%return                         perf probe's: only the function's return probes
//   kernel.function("..."), module("m").statement("...") ...
//                                      a literal probe point (--remove only)
//
// FILE is told from FUNCTION by its look: a C identifier is a function, anything else is a file.
// Numbers are checked, never converted blindly: a line is 1..kMaxLine.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "diag.h"
#include "probe_rules.h"

namespace sa::addprobe {

// A larger line number is a typo, not a place in a source file (the largest kernel .c file has
// ~40,000).
constexpr int kMaxLine = 10'000'000;

struct Location {
  enum class Kind {
    line,           // FILE:LINE or FUNCTION@FILE:LINE (then `function` names the expected function)
    function,       // FUNCTION, FILE:FUNCTION or FUNCTION@FILE
    function_line,  // FUNCTION:N (perf): `relative_line` lines after FUNCTION's first line
    point,          // a literal probe point
  };
  Kind kind = Kind::function;
  std::string input;           // as written
  std::string file;            // may be empty (FUNCTION alone)
  int line = 0;                // Kind::line
  int relative_line = 0;       // Kind::function_line
  std::string function;        // the function named, if any
  bool returns_only = false;   // %return
  std::string point;           // Kind::point
  Mode mode = Mode::function;  // probe the function around the place, or the line itself (--line)
};

// Parses one location; nullopt with *err (exit 64) when it is none of the spellings above.
std::optional<Location> parse_location(const std::string& text, Diag* err,
                                       Mode mode = Mode::function);

// The location as the tool spells it back (FILE:LINE, FUNCTION@FILE, FUNCTION:N%return, ...).
std::string to_string(const Location& loc);

// One location a line; blank lines and lines starting with '#' are skipped.
std::vector<std::string> read_location_lines(std::istream& in);

}  // namespace sa::addprobe
