// SPDX-License-Identifier: GPL-2.0-or-later
#include "speedscope.h"

#include <fmt/format.h>

#include "chrome.h"  // append_json_string
#include "cli.h"     // kVersion

namespace sa::report {

namespace {
std::string json_string(std::string_view s) {
  std::string q;
  append_json_string(s, &q);
  return q;
}
}  // namespace

Speedscope::Profile& Speedscope::profile(const Task& task, uint64_t us) {
  auto [it, added] = profiles_.try_emplace(task.key);
  Profile& p = it->second;
  if (added) {
    p.name = fmt::format("{}[{}/{}]", task.comm, task.pid, task.tid);
    p.start = p.last = us;
  }
  p.last = std::max(p.last, us);
  return p;
}

uint32_t Speedscope::frame(uint32_t fn, const TraceLine& t) {
  std::string key = fmt::format("{}\n{}:{}", fn, t.file, t.line);
  auto [it, added] = frame_ids_.try_emplace(std::move(key), uint32_t(frames_.size()));
  if (added) frames_.push_back(Frame{fn, std::string(t.file), t.line});
  return it->second;
}

void Speedscope::event(Profile& p, char type, uint32_t frame) {
  if (!p.events.empty()) p.events += ",\n";
  p.events += fmt::format(R"({{"type":"{}","frame":{},"at":{}}})", type, frame, p.last);
}

void Speedscope::on_call(const Task& task, uint32_t fn, const TraceLine& t, uint64_t) {
  Profile& p = profile(task, t.time_us);
  uint32_t f = frame(fn, t);
  p.open.push_back(f);
  event(p, 'O', f);
}

void Speedscope::on_return(const Task& task, uint32_t, const TraceLine& t, uint64_t, uint64_t) {
  Profile& p = profile(task, t.time_us);
  event(p, 'C', p.open.back());
  p.open.pop_back();
}

void Speedscope::on_abandon(const Task& task, uint32_t, uint64_t end_us) {
  Profile& p = profile(task, end_us);
  event(p, 'C', p.open.back());
  p.open.pop_back();
}

std::string Speedscope::text() const {
  std::string out = R"({"$schema":"https://www.speedscope.app/file-format-schema.json",)";
  out += "\n\"shared\":{\"frames\":[";
  for (size_t i = 0; i < frames_.size(); ++i) {
    const Frame& f = frames_[i];
    out += i ? ",\n" : "\n";
    out += R"({"name":)" + json_string(names_[f.fn]);
    if (!f.file.empty()) out += fmt::format(R"(,"file":{},"line":{})", json_string(f.file), f.line);
    out += "}";
  }
  out += "]},\n\"profiles\":[";
  bool first = true;
  for (const auto& [key, p] : profiles_) {
    if (p.events.empty()) continue;
    out += first ? "\n" : ",\n";
    first = false;
    out += fmt::format(
        R"({{"type":"evented","name":{},"unit":"microseconds","startValue":{},"endValue":{},"events":[)",
        json_string(p.name), p.start, p.last);
    out += "\n" + p.events + "]}";
  }
  out += fmt::format("],\n\"name\":{},\"activeProfileIndex\":0,\"exporter\":{}}}\n",
                     json_string(session_name_),
                     json_string(fmt::format("stap-report {}", sa::kVersion)));
  return out;
}

}  // namespace sa::report
