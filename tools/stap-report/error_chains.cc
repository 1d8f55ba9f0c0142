// SPDX-License-Identifier: GPL-2.0-or-later
// See error_chains.h for the rules.
#include "error_chains.h"

#include <fmt/format.h>

#include <algorithm>

namespace sa::report {

namespace {
std::string task_name(const Task& t) { return fmt::format("{}[{}/{}]", t.comm, t.pid, t.tid); }
}  // namespace

void ErrorChains::on_call(const Task& task, uint32_t fn, const TraceLine& t, uint64_t line_no) {
  stacks_[task.key].push_back(Frame{fn,
                                    std::string(t.where),
                                    std::string(t.details),
                                    std::string(t.time),
                                    line_no,
                                    {},
                                    0,
                                    nullptr});
}

void ErrorChains::on_inner(const Task& task, const TraceLine& t, uint64_t) {
  if (t.mark != session::Mark::line) return;
  auto it = stacks_.find(task.key);
  if (it == stacks_.end() || it->second.empty()) return;
  Frame& f = it->second.back();
  if (f.inner.size() < kMaxInner) {
    std::string s = fmt::format("{}{}", t.function, t.where);
    if (!t.details.empty()) s += fmt::format(" {}", t.details);
    f.inner.push_back(std::move(s));
  } else {
    ++f.more_inner;
  }
}

void ErrorChains::hand_up(std::vector<Frame>& stack, std::unique_ptr<Chain> c) {
  if (stack.empty()) {
    end(std::move(c), "");
    return;
  }
  Frame& caller = stack.back();
  if (caller.handed) end(std::move(caller.handed), "; handled by " + names_[caller.fn]);
  caller.handed = std::move(c);
}

void ErrorChains::on_return(const Task& task, uint32_t fn, const TraceLine& t, uint64_t, uint64_t) {
  auto& stack = stacks_[task.key];
  if (stack.empty()) return;  // cannot happen: the pairer closes only calls it announced
  Frame f = std::move(stack.back());
  stack.pop_back();
  std::string_view value = session::return_value(t.details);
  if (!session::is_error_value(value)) {
    if (f.handed) end(std::move(f.handed), "; handled by " + names_[fn]);
    return;
  }
  std::unique_ptr<Chain> c = std::move(f.handed);
  if (c) {
    c->passed_by.push_back(fn);
  } else {
    c = std::make_unique<Chain>();
    c->origin = Origin{fn,
                       std::move(f.where),
                       std::move(f.params),
                       std::string(value),
                       task_name(task),
                       std::move(f.time),
                       f.line_no,
                       std::move(f.inner),
                       f.more_inner};
  }
  hand_up(stack, std::move(c));
}

void ErrorChains::on_abandon(const Task& task, uint32_t fn, uint64_t) {
  auto& stack = stacks_[task.key];
  if (stack.empty()) return;
  Frame f = std::move(stack.back());
  stack.pop_back();
  if (f.handed) end(std::move(f.handed), "; " + names_[fn] + " did not return");
}

// A return whose call is not in the session: an origin with nothing known but its value.
void ErrorChains::on_unmatched_return(const Task& task, uint32_t fn, const TraceLine& t,
                                      uint64_t line_no) {
  std::string_view value = session::return_value(t.details);
  if (!session::is_error_value(value)) return;
  auto c = std::make_unique<Chain>();
  c->origin =
      Origin{fn, "", "", std::string(value), task_name(task), std::string(t.time), line_no, {}, 0};
  hand_up(stacks_[task.key], std::move(c));
}

void ErrorChains::end(std::unique_ptr<Chain> c, const std::string& how) {
  ++total_;
  Group& g = groups_[names_[c->origin.fn] + c->origin.where];
  if (g.count++ == 0) g.first = c->origin;
  ++g.values[c->origin.value];
  std::string chain = names_[c->origin.fn];
  for (uint32_t fn : c->passed_by) chain += " <- " + names_[fn];
  ++g.chains[chain + how];
}

std::string render_errors(const std::string& session, const ErrorChains& e) {
  std::string out =
      fmt::format("session {}: {} error{} from {} origin{}\n", session, e.total(),
                  e.total() == 1 ? "" : "s", e.groups().size(), e.groups().size() == 1 ? "" : "s");
  std::vector<const std::pair<const std::string, ErrorChains::Group>*> order;
  for (const auto& g : e.groups()) order.push_back(&g);
  std::stable_sort(order.begin(), order.end(),
                   [](auto* a, auto* b) { return a->second.count > b->second.count; });
  for (const auto* entry : order) {
    const ErrorChains::Group& g = entry->second;
    const ErrorChains::Origin& o = g.first;
    std::string values;
    for (const auto& [v, n] : g.values)
      values += fmt::format("{}{} ({}x)", values.empty() ? "" : ", ", v, n);
    out += fmt::format("\n{}: {} error{}, returned {}\n", entry->first, g.count,
                       g.count == 1 ? "" : "s", values);
    if (o.where.empty())
      out += fmt::format("  first: {} at {} (line {}), its call is not in the session\n", o.task,
                         o.time, o.line_no);
    else
      out += fmt::format("  first: {} at {} (line {})\n", o.task, o.time, o.line_no);
    if (!o.params.empty()) out += fmt::format("    {}\n", o.params);
    for (const auto& in : o.inner) out += fmt::format("    :: {}\n", in);
    if (o.more_inner) out += fmt::format("    ({} more :: lines)\n", o.more_inner);
    std::vector<std::pair<std::string, uint64_t>> chains(g.chains.begin(), g.chains.end());
    std::stable_sort(chains.begin(), chains.end(),
                     [](auto& a, auto& b) { return a.second > b.second; });
    for (const auto& [c, n] : chains) out += fmt::format("  {}x {}\n", n, c);
  }
  return out;
}

}  // namespace sa::report
