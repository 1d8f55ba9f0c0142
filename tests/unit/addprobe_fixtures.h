// SPDX-License-Identifier: GPL-2.0-or-later
// Hand-written function maps for the stap-addprobe unit tests (the in-memory twin of the indexer).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "clang_index.h"

namespace sa::addprobe::testing {

// A function named `name` declared on `start`, its '{' on `body`, its end on `end`, with code on
// the `code` lines; `inl` makes it `static inline`.
inline FunctionInfo fn(const std::string& name, int start, int body, int end, std::vector<int> code,
                       bool inl = false) {
  FunctionInfo f;
  f.name = name;
  f.start_line = start;
  f.body_line = body;
  f.end_line = end;
  f.code_lines = std::move(code);
  f.is_inline = inl;
  f.is_static = inl;
  return f;
}

}  // namespace sa::addprobe::testing
