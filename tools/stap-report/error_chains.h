// SPDX-License-Identifier: GPL-2.0-or-later
// --errors: where each error came from and who passed it on.
//
// Per thread, each open call may hold one error chain handed up by a callee: the origin (the
// deepest call that returned an error first: it returned one while none of its own callees had
// handed it one) and the callers that returned an error after it. When a call returns an error, the
// chain its callee handed it grows by that call (or, if none was handed, the call is a new origin)
// and goes to the caller; a call that returns no error ends the chain it was handed ("handled by"),
// as does a call that never returns. A second chain handed to the same call ends the first one
// there. Ended chains are grouped by origin function and location, with counts, the first origin's
// parameters and the
// "::" lines inside it (at most kMaxInner of them), and each distinct chain with its count.
// Memory: the open calls (with their parameters), and one group per origin and distinct chain.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "pairer.h"

namespace sa::report {

inline constexpr size_t kMaxInner = 16;

class ErrorChains : public Listener {
 public:
  explicit ErrorChains(const std::vector<std::string>& names) : names_(names) {}
  void on_call(const Task&, uint32_t fn, const TraceLine& t, uint64_t line_no) override;
  void on_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t line_no, uint64_t) override;
  void on_abandon(const Task&, uint32_t fn, uint64_t) override;
  void on_unmatched_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t line_no) override;
  void on_inner(const Task&, const TraceLine& t, uint64_t line_no) override;

  struct Origin {
    uint32_t fn = 0;
    std::string where, params, value, task, time;
    uint64_t line_no = 0;
    std::vector<std::string> inner;  // the "::" lines inside it, "function@where locals"
    uint64_t more_inner = 0;
  };
  struct Group {
    uint64_t count = 0;
    Origin first;
    std::map<std::string, uint64_t> values;  // return value -> count
    std::map<std::string, uint64_t> chains;  // "a <- b <- c[; handled by d]" -> count
  };
  // Keyed by "function@FILE:LINE" of the origin.
  const std::map<std::string, Group>& groups() const { return groups_; }
  uint64_t total() const { return total_; }

 private:
  struct Chain {
    Origin origin;
    std::vector<uint32_t> passed_by;
  };
  struct Frame {
    uint32_t fn;
    std::string where, params, time;
    uint64_t line_no;
    std::vector<std::string> inner;
    uint64_t more_inner = 0;
    std::unique_ptr<Chain> handed;  // the chain a callee returned to this call
  };

  void hand_up(std::vector<Frame>& stack, std::unique_ptr<Chain> c);
  void end(std::unique_ptr<Chain> c, const std::string& how);

  const std::vector<std::string>& names_;
  std::unordered_map<uint64_t, std::vector<Frame>> stacks_;
  std::map<std::string, Group> groups_;
  uint64_t total_ = 0;
};

std::string render_errors(const std::string& session, const ErrorChains& e);

}  // namespace sa::report
