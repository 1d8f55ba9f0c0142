// SPDX-License-Identifier: GPL-2.0-or-later
#include "diff.h"

#include <fmt/format.h>

#include <set>

namespace sa::report {

namespace {

bool address_like(std::string_view v) {
  if (v.size() < 7 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X')) return false;  // >= 0x10000
  if (session::is_error_value(v)) return false;
  size_t digits = v.find_first_not_of('0', 2);
  return digits != std::string_view::npos && v.size() - digits >= 5;
}

}  // namespace

bool same_step(const Step& a, const Step& b) {
  if (a.call != b.call || a.function != b.function) return false;
  if (a.call) return true;
  return a.value == b.value || (address_like(a.value) && address_like(b.value));
}

void Sequences::Side::on_call(const Task& task, uint32_t, const TraceLine& t, uint64_t line_no) {
  where_[task.key].emplace_back(t.where);
  seqs_->add(
      i_, task.comm,
      Step{true, std::string(t.function), "", std::string(t.where), std::string(t.text), line_no});
}

void Sequences::Side::on_return(const Task& task, uint32_t, const TraceLine& t, uint64_t line_no,
                                uint64_t) {
  auto& w = where_[task.key];
  std::string where;
  if (!w.empty()) {
    where = std::move(w.back());
    w.pop_back();
  }
  seqs_->add(i_, task.comm,
             Step{false, std::string(t.function), std::string(session::return_value(t.details)),
                  std::move(where), std::string(t.text), line_no});
}

void Sequences::Side::on_abandon(const Task& task, uint32_t, uint64_t) {
  auto& w = where_[task.key];
  if (!w.empty()) w.pop_back();
}

void Sequences::Side::on_unmatched_return(const Task& task, uint32_t, const TraceLine& t,
                                          uint64_t line_no) {
  seqs_->add(i_, task.comm,
             Step{false, std::string(t.function), std::string(session::return_value(t.details)), "",
                  std::string(t.text), line_no});
}

void Sequences::add(int side, const std::string& comm, Step s) {
  Comm& c = comms_[comm];
  c.seen[side] = true;
  if (c.done) return;
  c.queue[side].push_back(std::move(s));
  while (!c.queue[0].empty() && !c.queue[1].empty()) {
    if (!same_step(c.queue[0].front(), c.queue[1].front())) {
      c.divergence = Divergence{c.matched + 1, c.queue[0].front(), c.queue[1].front()};
      break;
    }
    ++c.matched;
    c.queue[0].pop_front();
    c.queue[1].pop_front();
  }
  if (c.divergence || c.queue[side].size() > kMaxAhead) {
    c.gave_up = !c.divergence;
    c.done = true;
    c.queue[0].clear();
    c.queue[1].clear();
  }
}

void Sequences::finish() {
  for (auto& [name, c] : comms_) {
    if (c.done || !c.seen[0] || !c.seen[1]) continue;
    if (c.queue[0].empty() && c.queue[1].empty()) continue;
    Divergence d{c.matched + 1, std::nullopt, std::nullopt};
    if (!c.queue[0].empty()) d.old_step = c.queue[0].front();
    if (!c.queue[1].empty()) d.new_step = c.queue[1].front();
    c.divergence = d;
    c.done = true;
  }
}

namespace {

struct Row {
  const FunctionStats* s[2] = {nullptr, nullptr};
};

std::string num(const FunctionStats* s, uint64_t FunctionStats::*field) {
  return s ? std::to_string(s->*field) : "-";
}

std::string pct(const FunctionStats* s, unsigned p) {
  if (!s || s->latency.count() == 0) return "-";
  return std::to_string(s->latency.percentile(p));
}

std::string delta(const FunctionStats* a, const FunctionStats* b, uint64_t FunctionStats::*field) {
  int64_t d = int64_t(b ? b->*field : 0) - int64_t(a ? a->*field : 0);
  return d == 0 ? "0" : fmt::format("{:+}", d);
}

std::string step_text(const std::string& file, const std::optional<Step>& s) {
  if (!s) return "(no more calls or returns)";
  std::string where = s->call || s->where.empty() ? "" : fmt::format(" (call at {})", s->where);
  return fmt::format("{}:{}: {}{}", file, s->line_no, s->text, where);
}

}  // namespace

std::string render_diff(const DiffInput& o, const DiffInput& n, const Sequences& seq) {
  std::map<std::string, Row> rows;
  const DiffInput* in[2] = {&o, &n};
  for (int i = 0; i < 2; ++i) {
    const auto& names = *in[i]->functions;
    const auto& stats = in[i]->summary->stats();
    for (uint32_t fn = 0; fn < names.size() && fn < stats.size(); ++fn)
      if (stats[fn].calls || stats[fn].returns) rows[names[fn]].s[i] = &stats[fn];
  }
  std::string out = fmt::format("old {}\nnew {}\n", o.name, n.name);
  size_t width = 8;
  for (const auto& [name, r] : rows) width = std::max(width, name.size());
  out += fmt::format("{:<{}} {:>9} {:>9} {:>7} {:>10} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9}\n",
                     "function", width, "calls_old", "calls_new", "delta", "errors_old",
                     "errors_new", "delta", "p50_old", "p50_new", "p99_old", "p99_new");
  for (const auto& [name, r] : rows) {
    out += fmt::format(
        "{:<{}} {:>9} {:>9} {:>7} {:>10} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9}\n", name, width,
        num(r.s[0], &FunctionStats::calls), num(r.s[1], &FunctionStats::calls),
        delta(r.s[0], r.s[1], &FunctionStats::calls), num(r.s[0], &FunctionStats::errors),
        num(r.s[1], &FunctionStats::errors), delta(r.s[0], r.s[1], &FunctionStats::errors),
        pct(r.s[0], 50), pct(r.s[1], 50), pct(r.s[0], 99), pct(r.s[1], 99));
  }
  out += "\nfirst difference in the calls and returns of each process name in both:\n";
  for (const auto& [comm, c] : seq.comms()) {
    if (!c.seen[0] || !c.seen[1]) continue;
    if (c.gave_up) {
      out += fmt::format(
          "{}: same for {} steps, then one session runs more than {} steps ahead (not compared)\n",
          comm, c.matched, kMaxAhead);
    } else if (!c.divergence) {
      out += fmt::format("{}: same {} steps\n", comm, c.matched);
    } else {
      const Divergence& d = *c.divergence;
      out += fmt::format("{}: differs at step {}\n  old {}\n  new {}\n", comm, d.step,
                         step_text(o.name, d.old_step), step_text(n.name, d.new_step));
    }
  }
  return out;
}

}  // namespace sa::report
