#include "folded.h"

#include <fmt/format.h>

namespace sa::report {

void Folded::on_call(const Task& task, uint32_t fn, const TraceLine&, uint64_t) {
  stacks_[task.key].push_back(Frame{fn, 0});
}

void Folded::on_return(const Task& task, uint32_t, const TraceLine&, uint64_t, uint64_t latency_us) {
  auto& stack = stacks_[task.key];
  if (stack.empty()) return;
  std::string key = task.comm;
  for (const Frame& f : stack) key += ";" + names_[f.fn];
  uint64_t child = stack.back().child_us;
  totals_[key] += latency_us > child ? latency_us - child : 0;
  stack.pop_back();
  if (!stack.empty()) stack.back().child_us += latency_us;
}

void Folded::on_abandon(const Task& task, uint32_t, uint64_t) {
  auto& stack = stacks_[task.key];
  if (!stack.empty()) stack.pop_back();
}

std::string Folded::text() const {
  std::string out;
  for (const auto& [key, us] : totals_) out += fmt::format("{} {}\n", key, us);
  return out;
}

}  // namespace sa::report
