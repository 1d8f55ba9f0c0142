// SPDX-License-Identifier: GPL-2.0-or-later
// The default answer: per function, calls, returns, unmatched, errors and latency percentiles; and
// its two renderings, the table (for people) and --json (one object a line, an interface: exact).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "histogram.h"
#include "pairer.h"

namespace sa::report {

struct FunctionStats {
  uint64_t calls = 0;
  uint64_t returns = 0;
  uint64_t unmatched = 0;  // calls that never returned + returns whose call is not in the session
  uint64_t errors = 0;     // returns with an error value (session::is_error_value)
  Histogram latency;       // of the paired calls
};

class Summary : public Listener {
 public:
  void on_call(const Task&, uint32_t fn, const TraceLine&, uint64_t) override;
  void on_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t,
                 uint64_t latency_us) override;
  void on_abandon(const Task&, uint32_t fn, uint64_t) override;
  void on_unmatched_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t) override;

  // Indexed by function id; functions never called or returned have all zeros.
  const std::vector<FunctionStats>& stats() const { return stats_; }

 private:
  FunctionStats& at(uint32_t fn);
  std::vector<FunctionStats> stats_;
};

struct Latency {
  uint64_t min, p50, p90, p99, max;
};
std::optional<Latency> latency_of(const FunctionStats& s);

// Function ids in byte order of their names (the order of both renderings).
std::vector<uint32_t> by_name(const std::vector<std::string>& names);

std::string render_table(const std::string& session, const SessionCounts& c,
                         const std::vector<std::string>& names, const Summary& s);
std::string render_json(const std::string& session, const SessionCounts& c,
                        const std::vector<std::string>& names, const Summary& s);

}  // namespace sa::report
