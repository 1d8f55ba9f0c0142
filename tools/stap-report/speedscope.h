// SPDX-License-Identifier: GPL-2.0-or-later
// --speedscope: the session in speedscope's own file format
// (https://www.speedscope.app/file-format-schema.json): one "evented" profile per thread, named
// comm[pid/tid], in microseconds since boot, with an "O" event at each call and a "C" event at its
// return. Frames are shared: one per function and call site (the line's "@FILE:LINE"), with "file"
// and "line" so that speedscope shows where a call came from. Calls that never returned close at
// the last time known for them (as the Chrome export's synthetic ends do); returns whose call is
// not in the session, "::" and "!!" lines are not in it (use --chrome for a timeline with them).
// Unlike the Chrome export, whose frames speedscope keys by name and args (so that a return value
// on an "E" event makes it warn once per call), frames here are known up front: a profile of
// 100,000 lines imports without a warning. Timestamps never go backwards within a thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "pairer.h"

namespace sa::report {

class Speedscope : public Listener {
 public:
  Speedscope(const std::vector<std::string>& names, std::string session_name)
      : names_(names), session_name_(std::move(session_name)) {}
  void on_call(const Task&, uint32_t fn, const TraceLine& t, uint64_t) override;
  void on_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t, uint64_t) override;
  void on_abandon(const Task&, uint32_t fn, uint64_t end_us) override;

  // The whole file (call after Pairer::finish()).
  std::string text() const;

 private:
  struct Profile {
    std::string name;
    uint64_t start = 0, last = 0;
    std::string events;          // "{...},{...}"
    std::vector<uint32_t> open;  // frames of the open calls
  };
  struct Frame {
    uint32_t fn;
    std::string file;
    uint32_t line;
  };
  Profile& profile(const Task& task, uint64_t us);
  uint32_t frame(uint32_t fn, const TraceLine& t);
  void event(Profile& p, char type, uint32_t frame);

  const std::vector<std::string>& names_;
  std::string session_name_;
  std::map<uint64_t, Profile> profiles_;  // by thread key, so the order is stable
  std::vector<Frame> frames_;
  std::unordered_map<std::string, uint32_t> frame_ids_;
};

}  // namespace sa::report
