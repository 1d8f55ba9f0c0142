// SPDX-License-Identifier: GPL-2.0-or-later
// Probe statements of a tracer script; see script_edit.h.
//
// The scanner walks the body once, skipping strings ("..."), comments (//, #, /* */) and
// brace-balanced blocks; at brace depth 0 the word `probe` starts a statement whose point runs to
// the first '{'.
#include "script_edit.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace sa::addprobe {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string squeeze(const std::string& s) {  // white space runs -> one space, trimmed
  std::string out;
  bool space = false;
  for (char c : trim(s)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Skips a string or comment starting at i; returns the index after it, or i when there is none.
size_t skip_literal(const std::string& s, size_t i) {
  if (s[i] == '"') {
    for (++i; i < s.size() && s[i] != '"'; ++i)
      if (s[i] == '\\') ++i;
    return std::min(i + 1, s.size());
  }
  if (s[i] == '#' || (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '/')) {
    size_t nl = s.find('\n', i);
    return nl == std::string::npos ? s.size() : nl;
  }
  if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
    size_t e = s.find("*/", i + 2);
    return e == std::string::npos ? s.size() : e + 2;
  }
  return i;
}

bool word_at(const std::string& s, size_t i, const char* w) {
  size_t n = std::char_traits<char>::length(w);
  if (s.compare(i, n, w) != 0) return false;
  bool left = i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_');
  bool right =
      i + n >= s.size() || !(std::isalnum(static_cast<unsigned char>(s[i + n])) || s[i + n] == '_');
  return left && right;
}

}  // namespace

std::vector<ScriptProbe> list_probes(const std::string& s, size_t body_offset) {
  std::vector<ScriptProbe> out;
  int depth = 0;
  size_t i = body_offset;
  // Line numbers are counted as the scan moves forward, so listing is linear in the script's size.
  size_t counted = 0;
  int line = 1;
  auto line_at = [&](size_t pos) {
    line += static_cast<int>(std::count(s.begin() + static_cast<long>(counted),
                                        s.begin() + static_cast<long>(pos), '\n'));
    counted = pos;
    return line;
  };
  while (i < s.size()) {
    size_t j = skip_literal(s, i);
    if (j != i) {
      i = j;
      continue;
    }
    char c = s[i];
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (depth == 0 && word_at(s, i, "probe")) {
      size_t start = i;
      size_t k = i + 5;
      while (k < s.size() && s[k] != '{') {  // the point may contain strings with braces
        size_t m = skip_literal(s, k);
        k = m != k ? m : k + 1;
      }
      if (k >= s.size()) break;
      size_t open = k;
      int d = 0;
      for (; k < s.size(); ++k) {
        size_t m = skip_literal(s, k);
        if (m != k) {
          k = m - 1;
          continue;
        }
        if (s[k] == '{') ++d;
        if (s[k] == '}' && --d == 0) break;
      }
      if (k >= s.size()) break;
      ScriptProbe p;
      p.line = line_at(start);
      p.point = squeeze(s.substr(start + 5, open - start - 5));
      p.body = squeeze(s.substr(open + 1, k - open - 1));
      p.begin = start;
      p.end = k + 1;
      if (p.end < s.size() && s[p.end] == '\n') ++p.end;
      out.push_back(p);
      i = k + 1;
      continue;
    }
    ++i;
  }
  return out;
}

bool check_script_body(const std::string& s, size_t body_offset, const std::string& script_name,
                       Diag* err) {
  int depth = 0;
  size_t open_at = 0;  // where the outermost unclosed '{' is
  auto line_of = [&](size_t pos) {
    return 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<long>(pos), '\n'));
  };
  for (size_t i = body_offset; i < s.size();) {
    size_t j = skip_literal(s, i);
    if (j == i) {
      if (depth == 0 && word_at(s, i, "probe")) {  // its body must start before the end
        size_t k = i + 5;
        while (k < s.size() && s[k] != '{') {
          size_t m = skip_literal(s, k);
          k = m != k ? m : k + 1;
        }
        if (k >= s.size()) {
          *err = Diag::error_at(Exit::data_error, script_name, line_of(i),
                                "this probe has no body, so it would swallow the probe after it");
          return false;
        }
      }
      if (s[i] == '{' && depth++ == 0) open_at = i;
      if (s[i] == '}' && depth > 0) --depth;
      ++i;
      continue;
    }
    if (s[i] == '/' && s[i + 1] == '*' && s.find("*/", i + 2) == std::string::npos) {
      *err = Diag::error_at(
          Exit::data_error, script_name, line_of(i),
          "this /* comment is never closed, so it would swallow every probe after it");
      err->note("close it with */ or remove it, then run again");
      return false;
    }
    size_t k = i + 1;
    while (s[i] == '"' && k < s.size() && s[k] != '"') k += s[k] == '\\' ? 2 : 1;
    if (s[i] == '"' && k >= s.size()) {
      *err =
          Diag::error_at(Exit::data_error, script_name, line_of(i),
                         "this string is never closed, so it would swallow every probe after it");
      return false;
    }
    i = j;
  }
  if (depth > 0) {
    *err = Diag::error_at(Exit::data_error, script_name, line_of(open_at),
                          "this '{' is never closed, so it would swallow every probe after it");
    return false;
  }
  return true;
}

std::vector<Probe> append_probes(std::string* script, size_t body_offset,
                                 const std::vector<Probe>& add) {
  std::set<std::pair<std::string, std::string>> present;
  for (const auto& p : list_probes(*script, body_offset)) present.insert({p.point, p.body});
  std::vector<Probe> added;
  for (const auto& p : add) {
    if (!present.insert({squeeze(p.point), squeeze(p.body)}).second) continue;
    if (!script->empty() && script->back() != '\n') *script += '\n';
    *script += p.text() + "\n";
    added.push_back(p);
  }
  return added;
}

std::vector<ScriptProbe> remove_probes(
    std::string* script, size_t body_offset,
    const std::function<bool(const std::string& point)>& remove) {
  std::vector<ScriptProbe> removed;
  std::string kept;
  size_t copied = 0;  // bytes of *script up to here are in `kept` or dropped
  const std::string& s = *script;
  for (const auto& p : list_probes(s, body_offset)) {
    if (!remove(p.point)) continue;
    size_t b = p.begin;
    // Take the line's leading white space with it when the statement starts the line.
    while (b > std::max(body_offset, copied) && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
    if (kept.empty()) kept.reserve(s.size());
    kept.append(s, copied, b - copied);
    copied = p.end;
    removed.push_back(p);
  }
  if (removed.empty()) return removed;
  kept.append(s, copied, std::string::npos);
  *script = std::move(kept);
  return removed;
}

std::vector<ScriptProbe> remove_probes(std::string* script, size_t body_offset,
                                       const std::vector<std::string>& points) {
  std::set<std::string> want;
  for (const auto& p : points) want.insert(squeeze(p));
  return remove_probes(script, body_offset,
                       [&](const std::string& point) { return want.count(point) > 0; });
}

}  // namespace sa::addprobe
