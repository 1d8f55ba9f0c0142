// SPDX-License-Identifier: GPL-2.0-or-later
// See pairer.h for the pairing rules.
#include "pairer.h"

#include <algorithm>

namespace sa::report {

using session::LineKind;
using session::Mark;

namespace {

// The functions SYSCALL_DEFINEn makes for one system call (arch/x86/include/asm/syscall_wrapper.h):
// __x64_sys_X and __ia32_sys_X out of line, __se_sys_X and __do_sys_X inlined into them, and the
// same with compat_sys_X. stap-addprobe probes a syscall's entry on __se_sys_X (it has the
// arguments) and its exit on __x64_sys_X.return, so they are one function, named as
// include/linux/syscalls.h declares it: sys_X (compat_sys_X). Other names are kept.
std::string_view syscall_name(std::string_view name, std::string& buf) {
  static constexpr std::string_view wrappers[] = {"__x64_", "__ia32_", "__se_", "__do_"};
  if (name.size() < 2 || name[0] != '_' || name[1] != '_') return name;
  for (std::string_view w : wrappers) {
    if (name.substr(0, w.size()) != w) continue;
    std::string_view rest = name.substr(w.size());
    bool sys = rest.substr(0, 4) == "sys_" && rest.size() > 4;
    bool compat = rest.substr(0, 11) == "compat_sys_" && rest.size() > 11;
    if (!sys && !compat) return name;
    buf.assign(rest);
    return buf;
  }
  return name;
}

}  // namespace

uint32_t Pairer::function_id(std::string_view name) {
  std::string buf;
  name = syscall_name(name, buf);
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  uint32_t id = uint32_t(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

Pairer::Thread& Pairer::thread_of(const TraceLine& t) {
  uint64_t key = t.tid != 0 ? t.tid : (uint64_t{1} << 32 | (t.cpu & 0xffffffff));
  auto [it, added] = threads_.try_emplace(key);
  Thread& th = it->second;
  if (added) {
    th.task.key = key;
    ++counts_.threads;
  }
  th.task.pid = t.pid;
  th.task.tid = t.tid;
  if (th.task.comm != t.comm) th.task.comm.assign(t.comm);  // a new comm after exec
  th.last_us = std::max(th.last_us, t.time_us);
  return th;
}

LineKind Pairer::line(std::string_view text, uint64_t line_no) {
  ++counts_.lines;
  session::SessionLine s = session::parse_session_line(text);
  switch (s.kind) {
    case LineKind::note:
      ++counts_.notes;
      counts_.lost += s.lost;
      break;
    case LineKind::clear:
      abandon_all();
      break;
    case LineKind::other:
      ++counts_.other;
      break;
    case LineKind::trace: {
      ++counts_.trace_lines;
      Thread& th = thread_of(s.trace);
      switch (s.trace.mark) {
        case Mark::call:
          call(th, s.trace, line_no);
          break;
        case Mark::ret:
          ret(th, s.trace, line_no);
          break;
        case Mark::line:
        case Mark::message:
          for (Listener* l : listeners_) l->on_inner(th.task, s.trace, line_no);
          break;
      }
      break;
    }
  }
  return s.kind;
}

void Pairer::call(Thread& th, const TraceLine& t, uint64_t line_no) {
  uint32_t fn = function_id(t.function);
  th.open.push_back(Open{fn, t.depth, t.time_us});
  for (Listener* l : listeners_) l->on_call(th.task, fn, t, line_no);
}

void Pairer::ret(Thread& th, const TraceLine& t, uint64_t line_no) {
  uint32_t fn = function_id(t.function);
  size_t n = th.open.size(), found = n;
  for (size_t i = n; i-- > 0;)
    if (th.open[i].fn == fn && th.open[i].depth == t.depth) {
      found = i;
      break;
    }
  if (found == n)
    for (size_t i = n; i-- > 0;)
      if (th.open[i].fn == fn) {
        found = i;
        break;
      }
  if (found == n) {
    for (Listener* l : listeners_) l->on_unmatched_return(th.task, fn, t, line_no);
    return;
  }
  abandon_above(th, found + 1, t.time_us);
  uint64_t start = th.open.back().start_us;
  th.open.pop_back();
  // A thread that moved to another CPU can show a return stamped a little before its call.
  uint64_t latency = t.time_us > start ? t.time_us - start : 0;
  for (Listener* l : listeners_) l->on_return(th.task, fn, t, line_no, latency);
}

void Pairer::abandon_above(Thread& th, size_t keep, uint64_t end_us) {
  while (th.open.size() > keep) {
    uint32_t fn = th.open.back().fn;
    th.open.pop_back();
    for (Listener* l : listeners_) l->on_abandon(th.task, fn, end_us);
  }
}

void Pairer::abandon_all() {
  std::vector<Thread*> order;
  for (auto& [key, th] : threads_)
    if (!th.open.empty()) order.push_back(&th);
  std::sort(order.begin(), order.end(),
            [](const Thread* a, const Thread* b) { return a->task.key < b->task.key; });
  for (Thread* th : order) abandon_above(*th, 0, th->last_us);
}

void Pairer::finish() { abandon_all(); }

}  // namespace sa::report
