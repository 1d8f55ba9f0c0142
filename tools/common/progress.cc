// SPDX-License-Identifier: GPL-2.0-or-later
#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sa {

std::string progress_text(int step, int total, const std::string& what) {
  if (total <= 0) return what;
  return "[" + std::to_string(step) + "/" + std::to_string(total) + "] " + what;
}

bool progress_on_tty() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

Progress::Progress(std::string tool, bool tty, std::function<void(const std::string&)> write)
    : tool_(std::move(tool)), tty_(tty), write_(std::move(write)) {
  if (!write_)
    write_ = [](const std::string& s) {
      std::fwrite(s.data(), 1, s.size(), stderr);
      std::fflush(stderr);
    };
}

Progress::~Progress() { done(); }

void Progress::step(int step, int total, const std::string& what) {
  std::string line = tool_ + ": " + progress_text(step, total, what);
  if (tty_) {
    write_("\r" + line + "\033[K");  // rewrite the status line, erase what the longer one left
    shown_ = true;
  } else {
    write_(line + "\n");
  }
}

void Progress::done() {
  if (tty_ && shown_) write_("\r\033[K");
  shown_ = false;
}

}  // namespace sa
