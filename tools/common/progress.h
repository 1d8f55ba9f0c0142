// SPDX-License-Identifier: GPL-2.0-or-later
// Progress of long work on standard error (stap-addprobe --check), like git and apt do it: on a
// terminal one status line rewritten in place and cleared at the end; otherwise (a pipe, a file, a
// Makefile's log) one line per step, so that logs keep what happened and when:
//
//   TOOL: [3/7] checking fs/open.c:do_sys_openat2
//
// A step with no count (total 0) prints "TOOL: WHAT". Not a diagnostic: no severity word.
#pragma once

#include <functional>
#include <string>

namespace sa {

// What library code calls; main() decides whether and how it is shown.
using ProgressFn = std::function<void(int step, int total, const std::string& what)>;

class Progress {
 public:
  // `tty`: standard error is a terminal (progress_on_tty() for the real one); `write` receives the
  // bytes (standard error by default; tests pass their own).
  Progress(std::string tool, bool tty, std::function<void(const std::string&)> write = {});
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void step(int step, int total, const std::string& what);
  void done();  // on a terminal: clears the status line (before diagnostics follow)
  ProgressFn fn() {
    return [this](int s, int t, const std::string& w) { step(s, t, w); };
  }

 private:
  std::string tool_;
  bool tty_;
  bool shown_ = false;
  std::function<void(const std::string&)> write_;
};

bool progress_on_tty();  // standard error is a terminal and TERM is not "dumb"

// The text of one step, without line ending: "[3/7] checking x" (or "checking x" without a count).
std::string progress_text(int step, int total, const std::string& what);

}  // namespace sa
