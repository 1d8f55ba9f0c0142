// SPDX-License-Identifier: GPL-2.0-or-later
#include "analyze.h"

namespace sa::report {

bool analyze_line(LineReader& in, Pairer& p, Diag* err) {
  std::string_view line;
  if (!in.next(&line, err)) return false;
  session::LineKind kind = p.line(line, in.line_number());
  if (in.line_number() == 1 && kind == session::LineKind::other) {
    *err = Diag::error_at(
        Exit::data_error, in.name(), 1,
        "not a session file: the first line is neither a trace line nor a stap-logd note");
    return false;
  }
  return true;
}

bool analyze(LineReader& in, Pairer& p, Diag* err) {
  Diag e;
  bool bad = false;
  while (analyze_line(in, p, &e)) {
  }
  bad = in.failed() || !e.message.empty();
  if (bad) {
    *err = e;
    return false;
  }
  p.finish();
  return true;
}

}  // namespace sa::report
