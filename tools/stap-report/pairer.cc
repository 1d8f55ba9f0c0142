// SPDX-License-Identifier: GPL-2.0-or-later
// See pairer.h for the pairing rules.
#include "pairer.h"

#include <algorithm>

namespace sa::report {

using session::LineKind;
using session::Mark;

uint32_t Pairer::function_id(std::string_view name) {
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
