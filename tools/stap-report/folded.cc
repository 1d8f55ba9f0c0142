// SPDX-License-Identifier: GPL-2.0-or-later
#include "folded.h"

#include <fmt/format.h>

#include <algorithm>

namespace sa::report {

uint32_t Folded::root(const std::string& comm) {
  auto [it, added] = roots_.try_emplace(comm, uint32_t(nodes_.size()));
  if (added) {
    nodes_.push_back(Node{kNoParent, uint32_t(comms_.size())});
    std::string c = comm;
    std::replace(c.begin(), c.end(), ';', '_');  // ';' separates frames
    comms_.push_back(std::move(c));
  }
  return it->second;
}

uint32_t Folded::child(uint32_t parent, uint32_t fn) {
  auto [it, added] = children_.try_emplace(uint64_t(parent) << 32 | fn, uint32_t(nodes_.size()));
  if (added) nodes_.push_back(Node{parent, fn});
  return it->second;
}

void Folded::on_call(const Task& task, uint32_t fn, const TraceLine&, uint64_t) {
  auto& stack = stacks_[task.key];
  uint32_t parent = stack.empty() ? root(task.comm) : stack.back().node;
  stack.push_back(Frame{child(parent, fn), 0});
}

void Folded::on_return(const Task& task, uint32_t, const TraceLine&, uint64_t,
                       uint64_t latency_us) {
  auto& stack = stacks_[task.key];
  if (stack.empty()) return;
  Node& n = nodes_[stack.back().node];
  uint64_t child_us = stack.back().child_us;
  n.self_us += latency_us > child_us ? latency_us - child_us : 0;
  n.returned = true;
  stack.pop_back();
  if (!stack.empty()) stack.back().child_us += latency_us;
}

void Folded::on_abandon(const Task& task, uint32_t, uint64_t) {
  auto& stack = stacks_[task.key];
  if (!stack.empty()) stack.pop_back();
}

std::string Folded::text() const {
  std::vector<std::pair<std::string, uint64_t>> lines;
  std::vector<uint32_t> path;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i].returned) continue;
    path.clear();
    uint32_t at = i;
    for (; nodes_[at].parent != kNoParent; at = nodes_[at].parent) path.push_back(nodes_[at].fn);
    std::string key = comms_[nodes_[at].fn];
    for (size_t k = path.size(); k-- > 0;) key += ";" + names_[path[k]];
    lines.emplace_back(std::move(key), nodes_[i].self_us);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& [key, us] : lines) out += fmt::format("{} {}\n", key, us);
  return out;
}

}  // namespace sa::report
