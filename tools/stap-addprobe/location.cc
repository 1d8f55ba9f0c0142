// SPDX-License-Identifier: GPL-2.0-or-later
// Location spellings; see location.h. A hand-written splitter, not a regex: the diagnostics say
// which part is wrong, and no input (huge numbers, bytes that are not UTF-8) can make it throw.
#include "location.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <istream>

namespace sa::addprobe {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool all_digits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

Diag bad(const std::string& text, const std::string& why) {
  Diag d = Diag::error(Exit::usage, why + ": " + text);
  d.note(
      "write FILE:LINE, FUNCTION, FILE:FUNCTION, FUNCTION@FILE[:LINE], FUNCTION:N or "
      "FUNCTION%return");
  return d;
}

// A line number: digits only, 1..kMaxLine (or 0..kMaxLine for a relative line).
std::optional<int> parse_line(const std::string& digits, const std::string& text, bool relative,
                              Diag* err) {
  long long v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || v > kMaxLine) {
    *err = Diag::error(Exit::usage,
                       "line number out of range (1-" + std::to_string(kMaxLine) + "): " + text);
    return std::nullopt;
  }
  if (v == 0 && !relative) {
    *err = Diag::error(Exit::usage, "line numbers start at 1: " + text);
    return std::nullopt;
  }
  return static_cast<int>(v);
}

}  // namespace

std::optional<Location> parse_location(const std::string& raw, Diag* err, Mode mode) {
  Location loc;
  loc.input = raw;
  loc.mode = mode;
  std::string text = trim(raw);
  if (text.empty()) {
    *err = Diag::error(Exit::usage, "empty location");
    return std::nullopt;
  }
  if (starts_with(text, "probe ")) text = trim(text.substr(6));
  if (starts_with(text, "kernel.") || starts_with(text, "module(")) {
    loc.kind = Location::Kind::point;
    loc.point = text;
    return loc;
  }
  if (ends_with(text, "%return")) {
    loc.returns_only = true;
    text.resize(text.size() - 7);
  }
  // FUNCTION@FILE[:LINE]
  if (size_t at = text.find('@'); at != std::string::npos) {
    loc.function = text.substr(0, at);
    std::string rest = text.substr(at + 1);
    if (!is_identifier(loc.function))
      return *err = bad(text, "not a function name before '@'"), std::nullopt;
    size_t colon = rest.rfind(':');
    if (colon != std::string::npos && all_digits(rest.substr(colon + 1))) {
      auto line = parse_line(rest.substr(colon + 1), text, false, err);
      if (!line) return std::nullopt;
      loc.kind = Location::Kind::line;
      loc.line = *line;
      rest = rest.substr(0, colon);
    }
    if (rest.empty() || rest.find(':') != std::string::npos || rest.find('@') != std::string::npos)
      return *err = bad(text, "not a file after '@'"), std::nullopt;
    loc.file = rest;
    if (loc.kind != Location::Kind::line) loc.kind = Location::Kind::function;
  } else if (size_t c1 = text.find(':'); c1 == std::string::npos) {
    if (!is_identifier(text)) return *err = bad(text, "not a location"), std::nullopt;
    loc.kind = Location::Kind::function;
    loc.function = text;
  } else {
    std::string head = text.substr(0, c1);
    std::string rest = text.substr(c1 + 1);
    size_t c2 = rest.find(':');
    if (c2 != std::string::npos && all_digits(rest.substr(0, c2)) &&
        all_digits(rest.substr(c2 + 1)))
      rest = rest.substr(0, c2);  // FILE:LINE:COLUMN from an editor
    if (head.empty()) return *err = bad(text, "not a location"), std::nullopt;
    if (all_digits(rest)) {
      bool relative = is_identifier(head);  // perf's FUNCTION:N
      auto line = parse_line(rest, text, relative, err);
      if (!line) return std::nullopt;
      if (relative) {
        loc.kind = Location::Kind::function_line;
        loc.function = head;
        loc.relative_line = *line;
      } else {
        loc.kind = Location::Kind::line;
        loc.file = head;
        loc.line = *line;
      }
    } else if (is_identifier(rest)) {
      loc.kind = Location::Kind::function;
      loc.file = head;
      loc.function = rest;
    } else {
      return *err = bad(text, "not a location"), std::nullopt;
    }
  }
  if (loc.returns_only && loc.kind != Location::Kind::function)
    return *err = bad(text, "%return follows a function, not a line"), std::nullopt;
  if (loc.returns_only && mode == Mode::line)
    return *err = bad(text, "%return names a function's exits, not a line (drop --line)"),
           std::nullopt;
  return loc;
}

std::string to_string(const Location& loc) {
  std::string out;
  switch (loc.kind) {
    case Location::Kind::point:
      return loc.point;
    case Location::Kind::line:
      out = loc.function.empty() ? loc.file + ":" + std::to_string(loc.line)
                                 : loc.function + "@" + loc.file + ":" + std::to_string(loc.line);
      break;
    case Location::Kind::function_line:
      out = loc.function + ":" + std::to_string(loc.relative_line);
      break;
    case Location::Kind::function:
      out = loc.file.empty() ? loc.function : loc.function + "@" + loc.file;
      break;
  }
  return loc.returns_only ? out + "%return" : out;
}

std::vector<std::string> read_location_lines(std::istream& in) {
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

}  // namespace sa::addprobe
