// SPDX-License-Identifier: GPL-2.0-or-later
// Diagnostics and exit codes shared by every stap-assistant tool.
//
// Library code never prints and never exits: it returns a Diag (or a list of them) and main()
// decides what to print and which exit code to use. The text format is an interface that editors
// and scripts parse with one regular expression, so it is fixed here and tested exactly:
//
//   TOOL: FILE:LINE: error: MESSAGE
//   TOOL: FILE: error: MESSAGE          (no line known)
//   TOOL: error: MESSAGE                (no location)
//   TOOL: note: MESSAGE                 (optional lines after an error or warning)
//
// Messages are lowercase and carry no final period.
//
// Colour (--color, like gcc and git): only the words change colour, never the bytes around them, so
// with colour off (a pipe, a file, NO_COLOR) the text is exactly the format above.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sa {

// One exit-code table for all tools (sysexits.h values), documented in every man page.
enum class Exit : int {
  ok = 0,
  failure =
      1,  // the tool ran and the answer is "no" (e.g. --check found a probe that does not resolve)
  usage = 64,        // bad command line
  data_error = 65,   // input is wrong (a line outside any function, a script without the marker)
  no_input = 66,     // an input file or kernel tree does not exist
  unavailable = 69,  // a service is unavailable (port in use, stap missing)
  internal = 70,     // a bug in the tool
  cant_create = 73,  // cannot create an output file
  io_error = 74,     // read or write failed
};

enum class Severity { error, warning, note };

struct Diag {
  Severity severity = Severity::error;
  std::string file;  // empty when there is no location
  int line = 0;      // 0 when unknown
  std::string message;
  std::vector<std::string> notes;
  Exit exit = Exit::data_error;  // what main() should exit with if this is the fatal error

  static Diag error(Exit exit, std::string message);
  static Diag error_at(Exit exit, std::string file, int line, std::string message);
  static Diag warning_at(std::string file, int line, std::string message);
  Diag& note(std::string text);
};

// When diagnostics are coloured: auto = standard error is a terminal, NO_COLOR is unset or empty
// and TERM is not "dumb"; always and never are what they say (--color=always wins over NO_COLOR).
enum class ColorMode { automatic, always, never };
void set_color_mode(ColorMode mode);
bool diag_colored();  // the mode, resolved for standard error

// Formats a diagnostic as the lines above, each ending in '\n'; with color, gcc's SGR colours
// (tool and location bold, error red, warning magenta, note cyan).
std::string format_diag(const std::string& tool, const Diag& d, bool color = false);

// Prints to stderr; the one place (besides main) that writes diagnostics.
void print_diag(const std::string& tool, const Diag& d);

int exit_code(Exit e);

}  // namespace sa
