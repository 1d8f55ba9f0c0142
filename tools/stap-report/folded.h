// SPDX-License-Identifier: GPL-2.0-or-later
// --folded: folded stacks ("comm;outer;inner SELF_US" a line) for flamegraph.pl, inferno and
// speedscope. A call's self time is its latency minus the latencies of its paired callees; calls
// that never returned have no time and are left out (a stack whose calls all never returned is not
// printed). The stacks are a tree (one node per distinct comm;...;function path, ~40 bytes each),
// so memory grows with the number of distinct stacks, not with the calls; the text is made once at
// the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "pairer.h"

namespace sa::report {

class Folded : public Listener {
 public:
  explicit Folded(const std::vector<std::string>& names) : names_(names) {}
  void on_call(const Task&, uint32_t fn, const TraceLine&, uint64_t) override;
  void on_return(const Task&, uint32_t fn, const TraceLine&, uint64_t,
                 uint64_t latency_us) override;
  void on_abandon(const Task&, uint32_t fn, uint64_t) override;

  std::string text() const;

 private:
  static constexpr uint32_t kNoParent = UINT32_MAX;
  struct Node {
    uint32_t parent;  // kNoParent for a comm's root, whose `fn` indexes comms_
    uint32_t fn;
    uint64_t self_us = 0;
    bool returned = false;
  };
  struct Frame {
    uint32_t node;
    uint64_t child_us;
  };
  uint32_t root(const std::string& comm);
  uint32_t child(uint32_t parent, uint32_t fn);

  const std::vector<std::string>& names_;
  std::vector<Node> nodes_;
  std::vector<std::string> comms_;
  std::map<std::string, uint32_t> roots_;
  std::unordered_map<uint64_t, uint32_t> children_;  // parent << 32 | fn -> node
  std::unordered_map<uint64_t, std::vector<Frame>> stacks_;
};

}  // namespace sa::report
