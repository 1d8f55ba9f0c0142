// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the location parser (location.h) on arbitrary bytes, in both modes. Besides
// crashes and sanitizer reports (std::stoi once aborted on fs/open.c:2147483648) it checks what the
// typed result promises: a line is 1..kMaxLine, a relative line 0..kMaxLine, each kind has the
// parts it needs, and spelling a parsed location back never throws. Built by fuzz/build.sh
// (clang-14).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "location.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sa::addprobe;
  std::string text(reinterpret_cast<const char*>(data), size);
  for (Mode mode : {Mode::function, Mode::line}) {
    sa::Diag err;
    auto loc = parse_location(text, &err, mode);
    if (!loc) {
      if (err.exit != sa::Exit::usage || err.message.empty()) std::abort();
      continue;
    }
    switch (loc->kind) {
      case Location::Kind::line:
        if (loc->line < 1 || loc->line > kMaxLine || loc->file.empty() || loc->returns_only)
          std::abort();
        break;
      case Location::Kind::function_line:
        if (loc->relative_line < 0 || loc->relative_line > kMaxLine || loc->function.empty())
          std::abort();
        break;
      case Location::Kind::function:
        if (loc->function.empty()) std::abort();
        break;
      case Location::Kind::point:
        if (loc->point.empty()) std::abort();
        break;
    }
    if (loc->mode != mode || (loc->returns_only && mode == Mode::line)) std::abort();
    (void)to_string(*loc);
  }
  return 0;
}
