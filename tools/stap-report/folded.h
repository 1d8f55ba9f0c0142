// --folded: folded stacks ("comm;outer;inner SELF_US" a line) for flamegraph.pl, inferno and
// speedscope. A call's self time is its latency minus the latencies of its paired callees; calls that
// never returned have no time and are left out. Memory: one total per distinct stack.
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
  void on_return(const Task&, uint32_t fn, const TraceLine&, uint64_t, uint64_t latency_us) override;
  void on_abandon(const Task&, uint32_t fn, uint64_t) override;

  std::string text() const;

 private:
  struct Frame {
    uint32_t fn;
    uint64_t child_us;
  };
  const std::vector<std::string>& names_;
  std::unordered_map<uint64_t, std::vector<Frame>> stacks_;
  std::map<std::string, uint64_t> totals_;
};

}  // namespace sa::report
