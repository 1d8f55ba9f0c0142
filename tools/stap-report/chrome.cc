// SPDX-License-Identifier: GPL-2.0-or-later
#include "chrome.h"

#include <fmt/format.h>

namespace sa::report {

void append_json_string(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          *out += fmt::format("\\u{:04x}", unsigned(c));
        else
          out->push_back(c);
    }
  }
  out->push_back('"');
}

namespace {
std::string quoted(std::string_view s) {
  std::string q;
  append_json_string(s, &q);
  return q;
}
uint64_t track(const Task& t) { return t.tid != 0 ? t.tid : t.key; }
}  // namespace

void ChromeTrace::event(const std::string& body) {
  out_ += out_.empty() ? "[\n" : ",\n";
  out_ += body;
}

ChromeTrace::Thread& ChromeTrace::thread(const Task& task) {
  Thread& th = threads_[task.key];
  if (!th.named) {
    th.named = true;
    if (processes_.insert(task.pid).second)
      event(fmt::format(
          R"({{"name":"process_name","ph":"M","pid":{},"tid":{},"args":{{"name":{}}}}})", task.pid,
          track(task), quoted(task.comm)));
    event(fmt::format(R"({{"name":"thread_name","ph":"M","pid":{},"tid":{},"args":{{"name":{}}}}})",
                      task.pid, track(task),
                      quoted(fmt::format("{}[{}/{}]", task.comm, task.pid, task.tid))));
  }
  return th;
}

uint64_t ChromeTrace::ts(Thread& th, uint64_t us) {
  th.last_ts = std::max(th.last_ts, us);
  return th.last_ts;
}

void ChromeTrace::on_call(const Task& task, uint32_t fn, const TraceLine& t, uint64_t) {
  Thread& th = thread(task);
  event(fmt::format(R"({{"name":{},"ph":"B","ts":{},"pid":{},"tid":{}}})", quoted(names_[fn]),
                    ts(th, t.time_us), task.pid, track(task)));
  std::string params = quoted(t.details);
  if (!t.where.empty()) params += R"(,"where":)" + quoted(t.where.substr(1));
  th.params.push_back(std::move(params));
}

void ChromeTrace::on_return(const Task& task, uint32_t fn, const TraceLine& t, uint64_t, uint64_t) {
  Thread& th = thread(task);
  std::string args = R"("params":)" + th.params.back();
  th.params.pop_back();
  std::string_view value = session::return_value(t.details);
  if (!value.empty()) args = R"("return":)" + quoted(value) + "," + args;
  event(fmt::format(R"({{"name":{},"ph":"E","ts":{},"pid":{},"tid":{},"args":{{{}}}}})",
                    quoted(names_[fn]), ts(th, t.time_us), task.pid, track(task), args));
}

void ChromeTrace::on_abandon(const Task& task, uint32_t fn, uint64_t end_us) {
  Thread& th = thread(task);
  std::string args = R"("unmatched":"no return in the session","params":)" + th.params.back();
  th.params.pop_back();
  event(fmt::format(R"({{"name":{},"ph":"E","ts":{},"pid":{},"tid":{},"args":{{{}}}}})",
                    quoted(names_[fn]), ts(th, end_us), task.pid, track(task), args));
}

void ChromeTrace::on_unmatched_return(const Task& task, uint32_t fn, const TraceLine& t, uint64_t) {
  Thread& th = thread(task);
  event(fmt::format(
      R"({{"name":{},"ph":"i","s":"t","ts":{},"pid":{},"tid":{},"args":{{"return":{}}}}})",
      quoted("<- " + names_[fn] + " (call not in the session)"), ts(th, t.time_us), task.pid,
      track(task), quoted(session::return_value(t.details))));
}

void ChromeTrace::on_inner(const Task& task, const TraceLine& t, uint64_t) {
  Thread& th = thread(task);
  bool line = t.mark == session::Mark::line;
  std::string name = fmt::format("{} {}{}", line ? "::" : "!!", t.function, t.where);
  event(fmt::format(R"({{"name":{},"ph":"i","s":"t","ts":{},"pid":{},"tid":{},"args":{{{}:{}}}}})",
                    quoted(name), ts(th, t.time_us), task.pid, track(task),
                    line ? R"("locals")" : R"("message")", quoted(t.details)));
}

}  // namespace sa::report
