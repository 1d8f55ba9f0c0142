// SPDX-License-Identifier: GPL-2.0-or-later
// --diff OLD NEW: what changed between two sessions.
//
// Per function: calls, errors, p50 and p99 in each (from two Summary listeners). Per process name
// (comm) seen in both: the sequence of its calls ("->" F) and returns ("<-" F VALUE), all its
// threads in file order, is compared step by step while both files are read side by side; the first
// step that differs (another function, or another return value) is kept with both lines and the
// source location of their calls. Two return values are the same when their text is, or when both
// are hex numbers of at least 0x10000 that are not errors (addresses, which differ from run to
// run). A comm whose steps run further than kMaxAhead ahead in one file than in the other is given
// up (said in the output), so memory stays bounded.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pairer.h"
#include "summary.h"

namespace sa::report {

inline constexpr size_t kMaxAhead = 100000;

struct Step {
  bool call = false;
  std::string function, value, where;  // where: of the call ("@FILE:LINE"), empty if unknown
  std::string text;                    // the line
  uint64_t line_no = 0;
};

struct Divergence {
  uint64_t step = 0;             // 1-based
  std::optional<Step> old_step;  // nullopt: that side ended here
  std::optional<Step> new_step;
};

bool same_step(const Step& a, const Step& b);

class Sequences {
 public:
  // The listener for one side (0 old, 1 new).
  Listener& side(int i) { return sides_[i]; }
  // Call after both sessions ended: a comm of both whose steps matched until one side ended.
  void finish();

  struct Comm {
    bool seen[2] = {false, false};
    bool done = false;
    bool gave_up = false;
    uint64_t matched = 0;
    std::deque<Step> queue[2];
    std::optional<Divergence> divergence;
  };
  const std::map<std::string, Comm>& comms() const { return comms_; }

 private:
  class Side : public Listener {
   public:
    Side(Sequences* s, int i) : seqs_(s), i_(i) {}
    void on_call(const Task&, uint32_t fn, const TraceLine& t, uint64_t line_no) override;
    void on_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t line_no,
                   uint64_t) override;
    void on_abandon(const Task&, uint32_t, uint64_t) override;
    void on_unmatched_return(const Task&, uint32_t fn, const TraceLine& t,
                             uint64_t line_no) override;

   private:
    Sequences* seqs_;
    int i_;
    std::unordered_map<uint64_t, std::vector<std::string>> where_;  // of the open calls, per thread
  };
  void add(int side, const std::string& comm, Step s);

  std::map<std::string, Comm> comms_;
  Side sides_[2] = {Side(this, 0), Side(this, 1)};
};

struct DiffInput {
  std::string name;
  const std::vector<std::string>* functions;
  const Summary* summary;
};

std::string render_diff(const DiffInput& old_s, const DiffInput& new_s, const Sequences& seq);

}  // namespace sa::report
