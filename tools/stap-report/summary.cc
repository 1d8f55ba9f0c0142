// SPDX-License-Identifier: GPL-2.0-or-later
#include "summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "json_format.h"

namespace sa::report {

FunctionStats& Summary::at(uint32_t fn) {
  if (fn >= stats_.size()) stats_.resize(fn + 1);
  return stats_[fn];
}

void Summary::on_call(const Task&, uint32_t fn, const TraceLine&, uint64_t) { ++at(fn).calls; }

void Summary::on_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t,
                        uint64_t latency_us) {
  FunctionStats& s = at(fn);
  ++s.returns;
  if (session::is_error_value(session::return_value(t.details))) ++s.errors;
  s.latency.add(latency_us);
}

void Summary::on_abandon(const Task&, uint32_t fn, uint64_t) { ++at(fn).unmatched; }

void Summary::on_unmatched_return(const Task&, uint32_t fn, const TraceLine& t, uint64_t) {
  FunctionStats& s = at(fn);
  ++s.returns;
  ++s.unmatched;
  if (session::is_error_value(session::return_value(t.details))) ++s.errors;
}

std::optional<Latency> latency_of(const FunctionStats& s) {
  const Histogram& h = s.latency;
  if (h.count() == 0) return std::nullopt;
  return Latency{h.min(), h.percentile(50), h.percentile(90), h.percentile(99), h.max()};
}

std::vector<uint32_t> by_name(const std::vector<std::string>& names) {
  std::vector<uint32_t> ids(names.size());
  for (uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  return ids;
}

namespace {
const FunctionStats kNone;
const FunctionStats& stats_at(const Summary& s, uint32_t fn) {
  return fn < s.stats().size() ? s.stats()[fn] : kNone;
}
}  // namespace

std::string render_table(const std::string& session, const SessionCounts& c,
                         const std::vector<std::string>& names, const Summary& s) {
  std::string out = fmt::format("session {}: {} lines, {} lost, {} threads\n", session, c.lines,
                                c.lost, c.threads);
  size_t width = 8;
  for (const auto& n : names) width = std::max(width, n.size());
  out += fmt::format("{:<{}} {:>9} {:>9} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "function",
                     width, "calls", "returns", "unmatched", "errors", "min_us", "p50_us", "p90_us",
                     "p99_us", "max_us");
  for (uint32_t fn : by_name(names)) {
    const FunctionStats& f = stats_at(s, fn);
    if (f.calls == 0 && f.returns == 0) continue;
    out += fmt::format("{:<{}} {:>9} {:>9} {:>9} {:>7}", names[fn], width, f.calls, f.returns,
                       f.unmatched, f.errors);
    if (auto l = latency_of(f))
      out +=
          fmt::format(" {:>9} {:>9} {:>9} {:>9} {:>9}\n", l->min, l->p50, l->p90, l->p99, l->max);
    else
      out += fmt::format(" {:>9} {:>9} {:>9} {:>9} {:>9}\n", "-", "-", "-", "-", "-");
  }
  return out;
}

std::string render_json(const std::string& session, const SessionCounts& c,
                        const std::vector<std::string>& names, const Summary& s) {
  using J = nlohmann::ordered_json;
  auto dump = [](const J& j) { return j.dump(-1, ' ', false, J::error_handler_t::replace) + "\n"; };
  J head;
  head["format"] = kJsonFormat;
  head["session"] = session;
  head["lines"] = c.lines;
  head["lost"] = c.lost;
  head["threads"] = c.threads;
  std::string out = dump(head);
  for (uint32_t fn : by_name(names)) {
    const FunctionStats& f = stats_at(s, fn);
    if (f.calls == 0 && f.returns == 0) continue;
    J j;
    j["format"] = kJsonFormat;
    j["function"] = names[fn];
    j["calls"] = f.calls;
    j["returns"] = f.returns;
    j["unmatched"] = f.unmatched;
    j["errors"] = f.errors;
    if (auto l = latency_of(f)) {
      J lat;
      lat["min"] = l->min;
      lat["p50"] = l->p50;
      lat["p90"] = l->p90;
      lat["p99"] = l->p99;
      lat["max"] = l->max;
      j["latency_us"] = lat;
    } else {
      j["latency_us"] = nullptr;
    }
    out += dump(j);
  }
  return out;
}

}  // namespace sa::report
