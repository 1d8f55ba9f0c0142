// SPDX-License-Identifier: GPL-2.0-or-later
// --chrome: the session as Chrome Trace Event JSON (the array form), for Perfetto and speedscope.
//
// One event a line: "B" at each call and "E" at its return (ts in µs since boot, pid = tgid, tid =
// tid; tid 0 tasks get 2^32 + cpu so that each CPU's idle task is its own track), the return value
// and the call's parameters in the "args" of the "E" only (viewers merge frames by name and args of
// "B"), "i" events for "::" and "!!" lines and for returns whose call is not in the session, "M"
// events naming each process and thread when it first appears, and a synthetic "E" (args.unmatched)
// for every call that never returned, so that nesting always holds. Timestamps never go backwards
// within a thread (a thread that moved CPU may show a line stamped before the previous one).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pairer.h"

namespace sa::report {

class ChromeTrace : public Listener {
 public:
  explicit ChromeTrace(const std::vector<std::string>& names) : names_(names) {}
  void on_call(const Task&, uint32_t fn, const TraceLine& t, uint64_t) override;
  void on_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t, uint64_t) override;
  void on_abandon(const Task&, uint32_t fn, uint64_t end_us) override;
  void on_unmatched_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t) override;
  void on_inner(const Task&, const TraceLine& t, uint64_t) override;

  // The whole JSON array (call after Pairer::finish()).
  std::string text() const { return out_ + (out_.empty() ? "[\n]\n" : "\n]\n"); }

 private:
  struct Thread {
    bool named = false;
    uint64_t last_ts = 0;
    std::vector<std::string> params;  // of the open calls
  };
  Thread& thread(const Task& task);
  uint64_t ts(Thread& th, uint64_t us);
  void event(const std::string& body);

  const std::vector<std::string>& names_;
  std::unordered_map<uint64_t, Thread> threads_;
  std::unordered_set<uint32_t> processes_;
  std::string out_;
};

// Appends `s` as a JSON string (quoted, escaped) to *out.
void append_json_string(std::string_view s, std::string* out);

}  // namespace sa::report
