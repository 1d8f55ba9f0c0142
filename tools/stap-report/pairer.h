// SPDX-License-Identifier: GPL-2.0-or-later
// Pairing calls with returns, per thread, while a session streams by.
//
// Each thread (tid; tid 0, the idle tasks, per CPU) has a stack of its open calls. A "<-" line
// closes the open call of the same function at the same depth (log-format.md: a "<-" line is back
// at its call's depth, which the kernel side counts even when lines are lost); a thread without one
// closes the innermost open call of that function (files whose indent was changed). Calls above the
// one closed never got their return (lost lines, an exception path): they are abandoned. A "<-"
// with no open call of its function is an unmatched return (its call was before the session, or
// lost). A "===CLEAR===" line and the end of the session abandon every open call. The wrappers of
// one system call (__x64_sys_X, __se_sys_X, ...) are one function, sys_X (see pairer.cc).
//
// Listeners see the calls and their ends strictly nested per thread (on_call pushes; on_return and
// on_abandon close the innermost open call), so each keeps its own per-thread stack if it needs
// one. Memory: the functions, the threads and their open calls; nothing grows with the session's
// length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "session_line.h"

namespace sa::report {

using session::TraceLine;

struct Task {
  uint64_t key = 0;  // the thread: tid, or (1 << 32 | cpu) for tid 0
  uint32_t pid = 0;
  uint32_t tid = 0;
  std::string comm;
};

class Listener {
 public:
  virtual ~Listener() = default;
  virtual void on_call(const Task&, uint32_t /*fn*/, const TraceLine&, uint64_t /*line_no*/) {}
  // The innermost open call of the task returned: the TraceLine is its "<-" line.
  virtual void on_return(const Task&, uint32_t /*fn*/, const TraceLine&, uint64_t /*line_no*/,
                         uint64_t /*latency_us*/) {}
  // The innermost open call of the task will never return; end_us is the last time known for it.
  virtual void on_abandon(const Task&, uint32_t /*fn*/, uint64_t /*end_us*/) {}
  virtual void on_unmatched_return(const Task&, uint32_t /*fn*/, const TraceLine&,
                                   uint64_t /*line_no*/) {}
  // A "::" or "!!" line of the task (inside its innermost open call, if any).
  virtual void on_inner(const Task&, const TraceLine&, uint64_t /*line_no*/) {}
};

struct SessionCounts {
  uint64_t lines = 0;
  uint64_t lost = 0;     // the sum of stap-logd's "lost N line(s)" notes
  uint64_t threads = 0;  // distinct threads with a trace line
  uint64_t trace_lines = 0;
  uint64_t notes = 0;
  uint64_t other = 0;  // raw text, netconsole, damaged lines
};

class Pairer {
 public:
  void add_listener(Listener* l) { listeners_.push_back(l); }
  // Feeds one line. Returns its kind, so the caller can judge whether the input is a session at
  // all.
  session::LineKind line(std::string_view text, uint64_t line_no);
  // The end of the session: every open call is abandoned (in thread order, so output is stable).
  void finish();

  const SessionCounts& counts() const { return counts_; }
  const std::vector<std::string>& functions() const { return names_; }
  uint32_t function_id(std::string_view name);

 private:
  struct Open {
    uint32_t fn;
    int depth;
    uint64_t start_us;
  };
  struct Thread {
    Task task;
    std::vector<Open> open;
    uint64_t last_us = 0;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Thread& thread_of(const TraceLine& t);
  void call(Thread& th, const TraceLine& t, uint64_t line_no);
  void ret(Thread& th, const TraceLine& t, uint64_t line_no);
  void abandon_above(Thread& th, size_t keep, uint64_t end_us);
  void abandon_all();

  std::vector<Listener*> listeners_;
  std::unordered_map<uint64_t, Thread> threads_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::string> names_;
  SessionCounts counts_;
};

}  // namespace sa::report
