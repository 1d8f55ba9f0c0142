// SPDX-License-Identifier: GPL-2.0-or-later
// The --json line: the fields of a trace line (share/log-format.md), from the shared session-line
// parser.
#include "line_format.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "json_format.h"
#include "session_line.h"

namespace sa::logd {

namespace {

// "12.345678" -> true (the %d.%06d time of the log format), for netconsole's "[   12.345678]".
bool is_time(std::string_view s) {
  session::TraceLine t = session::scan_trace_line(s);
  return t.has_time && t.time.size() == s.size();
}

// The time as a JSON number. Not parsed as JSON: "06.000001" is a valid time but not valid JSON.
// strtod gives the double nearest to the decimal text, which prints back as the same digits.
nlohmann::ordered_json time_value(std::string_view t) {
  return std::strtod(std::string(t).c_str(), nullptr);
}

// The fields of a trace line, from the one session-line parser (tools/common/session_line.h).
void parse_trace_fields(std::string_view line, nlohmann::ordered_json& j) {
  session::TraceLine t = session::scan_trace_line(line);
  if (!t.has_time) return;
  j["time"] = time_value(t.time);
  if (t.has_cpu) j["cpu"] = t.cpu;
  if (t.has_task) j["comm"] = std::string(t.comm);
  if (t.has_pid) j["pid"] = t.pid;
  if (t.has_tid) j["tid"] = t.tid;
  if (t.has_mark) {
    static const char* const marks[] = {"->", "<-", "::", "!!"};
    j["mark"] = marks[int(t.mark)];
    j["function"] = std::string(t.function);
  }
}

void parse_netconsole_time(std::string_view line, nlohmann::ordered_json& j) {
  if (line.empty() || line[0] != '[') return;
  size_t close = line.find(']');
  if (close == std::string_view::npos) return;
  std::string_view t = line.substr(1, close - 1);
  t.remove_prefix(std::min(t.find_first_not_of(' '), t.size()));
  if (is_time(t)) j["time"] = time_value(t);
}

const char* kind_name(LineKind k) {
  switch (k) {
    case LineKind::trace:
      return "trace";
    case LineKind::note:
      return "note";
    case LineKind::raw:
      return "raw";
    case LineKind::netconsole:
      return "netconsole";
  }
  return "raw";
}

}  // namespace

void append_json_line(const LineEvent& e, std::string* out) {
  nlohmann::ordered_json j;
  j["format"] = kJsonFormat;
  j["sender"] = e.sender ? nlohmann::ordered_json(*e.sender) : nlohmann::ordered_json(nullptr);
  j["session"] = e.session ? nlohmann::ordered_json(*e.session) : nlohmann::ordered_json(nullptr);
  j["kind"] = kind_name(e.kind);
  j["seq"] = e.seq ? nlohmann::ordered_json(*e.seq) : nlohmann::ordered_json(nullptr);
  j["time"] = nullptr;
  j["cpu"] = e.cpu ? nlohmann::ordered_json(*e.cpu) : nlohmann::ordered_json(nullptr);
  j["comm"] = nullptr;
  j["pid"] = nullptr;
  j["tid"] = nullptr;
  j["mark"] = nullptr;
  j["function"] = nullptr;
  if (e.kind == LineKind::trace) parse_trace_fields(e.text, j);
  if (e.kind == LineKind::netconsole) parse_netconsole_time(e.text, j);
  j["text"] = std::string(e.text);
  // Sanitised text is valid UTF-8, so dump() cannot throw; replace anyway rather than abort.
  *out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  out->push_back('\n');
}

}  // namespace sa::logd
