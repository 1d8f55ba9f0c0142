// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the script scanner (script_edit.h) on an arbitrary script body after a
// preamble. Besides crashes and sanitizer reports it checks the promise that matters: when
// check_script_body accepts a body, a probe appended to it is listed as its own statement
// afterwards (an unclosed /* once swallowed every appended probe), and removing it gives back the
// body it was appended to. Built by fuzz/build.sh (clang-14).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "script_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sa::addprobe;
  const std::string pre = "// preamble\n// stap-assistant: end of preamble\n";
  std::string script = pre + std::string(reinterpret_cast<const char*>(data), size);
  (void)list_probes(script, pre.size());
  sa::Diag err;
  if (!check_script_body(script, pre.size(), "t.stp", &err)) {
    if (err.exit != sa::Exit::data_error || err.line < 2) std::abort();
    return 0;
  }
  const Probe mine{"kernel.function(\"fuzz_target_probe@x.c\").call", "trace_call()"};
  std::string before = script;
  if (append_probes(&script, pre.size(), {mine}).empty()) return 0;  // already there
  bool listed = false;
  for (const auto& p : list_probes(script, pre.size()))
    if (p.point == mine.point && p.body == mine.body) listed = true;
  if (!listed) std::abort();
  auto removed = remove_probes(&script, pre.size(),
                               [&](const std::string& point) { return point == mine.point; });
  if (removed.size() != 1) std::abort();
  // What was appended is gone again (a newline added before it may stay).
  if (script != before && script != before + "\n") std::abort();
  return 0;
}
