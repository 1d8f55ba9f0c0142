// The --json line: the fields of a trace line (share/log-format.md) picked apart with a small scanner.
#include "line_format.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace sa::logd {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "12.345678" -> true (the %d.%06d time of the log format; at most 12 digits of seconds).
bool is_time(std::string_view s) {
  size_t dot = s.find('.');
  return dot != std::string_view::npos && dot <= 12 && all_digits(s.substr(0, dot)) &&
         s.size() - dot - 1 == 6 && all_digits(s.substr(dot + 1));
}

// The time as a JSON number. Not parsed as JSON: "06.000001" is a valid time but not valid JSON.
// strtod gives the double nearest to the decimal text, which prints back as the same digits.
nlohmann::ordered_json time_value(std::string_view t) { return std::strtod(std::string(t).c_str(), nullptr); }

std::string_view next_token(std::string_view* rest) {
  size_t start = rest->find_first_not_of(' ');
  if (start == std::string_view::npos) {
    *rest = {};
    return {};
  }
  size_t end = rest->find(' ', start);
  std::string_view tok = rest->substr(start, end == std::string_view::npos ? end : end - start);
  *rest = end == std::string_view::npos ? std::string_view{} : rest->substr(end);
  return tok;
}

void parse_trace_fields(std::string_view line, nlohmann::ordered_json& j) {
  std::string_view rest = line;
  std::string_view t = next_token(&rest);
  if (!is_time(t)) return;
  j["time"] = time_value(t);
  std::string_view cpu = next_token(&rest);
  if (cpu.substr(0, 3) == "cpu" && all_digits(cpu.substr(3)) && cpu.size() <= 12)
    j["cpu"] = std::stoul(std::string(cpu.substr(3)));
  std::string_view task = next_token(&rest);  // comm[pid/tid]
  size_t open = task.rfind('['), slash = task.rfind('/');
  if (open != std::string_view::npos && slash != std::string_view::npos && slash > open &&
      task.back() == ']') {
    std::string_view pid = task.substr(open + 1, slash - open - 1);
    std::string_view tid = task.substr(slash + 1, task.size() - slash - 2);
    j["comm"] = std::string(task.substr(0, open));
    if (all_digits(pid) && pid.size() < 10) j["pid"] = std::stoul(std::string(pid));
    if (all_digits(tid) && tid.size() < 10) j["tid"] = std::stoul(std::string(tid));
  }
  std::string_view mark = next_token(&rest);
  if (mark == "->" || mark == "<-" || mark == "::" || mark == "!!") {
    j["mark"] = std::string(mark);
    std::string_view fn = next_token(&rest);
    j["function"] = std::string(fn.substr(0, fn.find('@')));
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
    case LineKind::trace: return "trace";
    case LineKind::note: return "note";
    case LineKind::raw: return "raw";
    case LineKind::netconsole: return "netconsole";
  }
  return "raw";
}

}  // namespace

void append_json_line(const LineEvent& e, std::string* out) {
  nlohmann::ordered_json j;
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
