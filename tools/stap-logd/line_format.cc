// SPDX-License-Identifier: GPL-2.0-or-later
// The --json line: the fields of a trace line (share/log-format.md), from the shared session-line
// parser.
#include "line_format.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "json_format.h"
#include "session_line.h"

namespace sa::logd {

namespace {

// "12.345678" -> true (the %d.%06d time of the log format), for netconsole's "[   12.345678]".
bool is_time(std::string_view s) {
  session::TraceLine t = session::scan_trace_line(s);
  return t.has_time && t.time.size() == s.size();
}

// JSON text, written field by field in the order of share/json-format.md (an nlohmann object, its
// ordered key lookups and its serializer were most of --json's cost and of the fuzz run's). Every
// value is printed as nlohmann prints it: a string of printable ASCII without '"' and '\\' is the
// same text in quotes, anything else goes through nlohmann's serializer; integers in decimal.
void append_string(std::string_view s, std::string* out) {
  bool plain = std::all_of(s.begin(), s.end(),
                           [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  // Sanitised text is valid UTF-8, so dump() cannot throw; replace anyway rather than abort.
  *out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_field(const char* name, std::string* out) {
  out->push_back(',');
  out->push_back('"');
  out->append(name);
  out->append("\":");
}

void append_string_or_null(const char* name, std::optional<std::string_view> s, std::string* out) {
  append_field(name, out);
  if (s)
    append_string(*s, out);
  else
    out->append("null");
}

template <typename T>
void append_number_or_null(const char* name, const std::optional<T>& v, std::string* out) {
  append_field(name, out);
  out->append(v ? std::to_string(*v) : std::string("null"));
}

// The time as a JSON number. Not parsed as JSON: "06.000001" is a valid time but not valid JSON.
// strtod gives the double nearest to the decimal text, which prints back as the same digits.
std::string time_value(std::string_view t) {
  return nlohmann::json(std::strtod(std::string(t).c_str(), nullptr)).dump();
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

// The fields that a trace line (from the one session-line parser, tools/common/session_line.h) or
// a netconsole line's "[   12.345678]" carries.
struct Fields {
  std::optional<std::string> time;  // as JSON
  std::optional<uint64_t> cpu;
  std::optional<std::string_view> comm, mark, function;
  std::optional<uint32_t> pid, tid;
};

Fields trace_fields(std::string_view line) {
  Fields f;
  session::TraceLine t = session::scan_trace_line(line);
  if (!t.has_time) return f;
  f.time = time_value(t.time);
  if (t.has_cpu) f.cpu = t.cpu;
  if (t.has_task) f.comm = t.comm;
  if (t.has_pid) f.pid = t.pid;
  if (t.has_tid) f.tid = t.tid;
  if (t.has_mark) {
    static const char* const marks[] = {"->", "<-", "::", "!!"};
    f.mark = marks[int(t.mark)];
    f.function = t.function;
  }
  return f;
}

Fields netconsole_fields(std::string_view line) {
  Fields f;
  if (line.empty() || line[0] != '[') return f;
  size_t close = line.find(']');
  if (close == std::string_view::npos) return f;
  std::string_view t = line.substr(1, close - 1);
  t.remove_prefix(std::min(t.find_first_not_of(' '), t.size()));
  if (is_time(t)) f.time = time_value(t);
  return f;
}

}  // namespace

void append_json_line(const LineEvent& e, std::string* out) {
  Fields f;
  if (e.kind == LineKind::trace) f = trace_fields(e.text);
  if (e.kind == LineKind::netconsole) f = netconsole_fields(e.text);
  if (!f.cpu && e.cpu) f.cpu = *e.cpu;
  out->append("{\"format\":" + std::to_string(kJsonFormat));
  auto view = [](const std::string* s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
  };
  append_string_or_null("sender", view(e.sender), out);
  append_string_or_null("session", view(e.session), out);
  append_field("kind", out);
  append_string(kind_name(e.kind), out);
  append_number_or_null("seq", e.seq, out);
  append_field("time", out);
  out->append(f.time ? *f.time : std::string("null"));
  append_number_or_null("cpu", f.cpu, out);
  append_string_or_null("comm", f.comm, out);
  append_number_or_null("pid", f.pid, out);
  append_number_or_null("tid", f.tid, out);
  append_string_or_null("mark", f.mark, out);
  append_string_or_null("function", f.function, out);
  append_field("text", out);
  append_string(e.text, out);
  out->append("}\n");
}

}  // namespace sa::logd
