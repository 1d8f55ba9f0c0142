// SPDX-License-Identifier: GPL-2.0-or-later
#include "preamble.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "atomic_file.h"

#ifndef SA_SOURCE_DIR
#error "SA_SOURCE_DIR must be defined by the build"
#endif

namespace sa {

const char* const kPreambleEndMarker =
    "// stap-assistant: end of preamble; probes below are kept by stap-preamble --regenerate";
const char* const kPreambleEndPrefix = "// stap-assistant: end of preamble";

namespace {

std::string self_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

bool starts_with(const std::string& s, size_t pos, const char* prefix) {
  return s.compare(pos, std::char_traits<char>::length(prefix), prefix) == 0;
}

// Line number (1-based) of byte offset `pos`.
int line_of(const std::string& s, size_t pos) {
  int line = 1;
  for (size_t i = 0; i < pos && i < s.size(); ++i)
    if (s[i] == '\n') ++line;
  return line;
}

// Byte offsets of the lines that start with the marker prefix.
std::vector<size_t> marker_lines(const std::string& s) {
  std::vector<size_t> out;
  size_t pos = 0;
  while (pos < s.size()) {
    if (starts_with(s, pos, kPreambleEndPrefix)) out.push_back(pos);
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

bool is_ipv4(const std::string& s) {
  int parts = 0;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find('.', pos);
    if (end == std::string::npos) end = s.size();
    std::string part = s.substr(pos, end - pos);
    if (part.empty() || part.size() > 3 ||
        part.find_first_not_of("0123456789") != std::string::npos || std::stoi(part) > 255)
      return false;
    ++parts;
    pos = end + 1;
  }
  return parts == 4;
}

bool is_mac(const std::string& s) {
  if (s.size() != 17) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool colon = i % 3 == 2;
    if (colon ? s[i] != ':' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_ifname(const std::string& s) {
  if (s.empty() || s.size() > 15 || s == "." || s == "..") return false;
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '"' || c == '\\' || c == '\'')
      return false;
  return true;
}

}  // namespace

bool check_params(const PreambleParams& params, Diag* err) {
  if (params.port < 1 || params.port > 65535) {
    *err = Diag::error(Exit::usage, "port " + std::to_string(params.port) + " is not in 1..65535");
  } else if (!is_ipv4(params.dest_ip)) {
    *err = Diag::error(Exit::usage, "'" + params.dest_ip + "' is not an IPv4 address (a.b.c.d)");
  } else if (!is_mac(params.dest_mac)) {
    *err = Diag::error(Exit::usage,
                       "'" + params.dest_mac + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
  } else if (!is_ifname(params.interface)) {
    *err = Diag::error(Exit::usage, "'" + params.interface + "' is not a network interface name");
  } else if (params.clear_msg.empty() ||
             params.clear_msg.find_first_of("\"\\\n") != std::string::npos) {
    *err =
        Diag::error(Exit::usage, "the clear message must be non-empty, without quotes or newlines");
  } else {
    return true;
  }
  return false;
}

std::optional<std::string> default_template_path(Diag* err) {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("STAP_ASSISTANT_PREAMBLE"); env && *env)
    return std::string(env);
  std::vector<fs::path> candidates;
  std::string dir = self_dir();
  if (!dir.empty()) candidates.push_back(fs::path(dir) / "../share/stap-assistant/preamble.stp");
  candidates.push_back(fs::path(SA_SOURCE_DIR) / "share/preamble.stp");
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(c, ec).string();
  }
  *err = Diag::error(Exit::no_input, "cannot find the default preamble (preamble.stp)");
  for (const auto& c : candidates) err->note("looked in " + c.lexically_normal().string());
  err->note("set STAP_ASSISTANT_PREAMBLE or pass --template");
  return std::nullopt;
}

std::optional<std::string> render_preamble(const std::string& tmpl, const PreambleParams& params,
                                           const std::string& template_name, Diag* err) {
  if (!check_params(params, err)) return std::nullopt;
  const std::map<std::string, std::string> values = {
      {"PORT", std::to_string(params.port)}, {"CLEAR_MSG", params.clear_msg},
      {"INTERFACE", params.interface},       {"DEST_IP", params.dest_ip},
      {"DEST_MAC", params.dest_mac},
  };
  std::string out;
  out.reserve(tmpl.size() + 64);
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find("@@", pos);
    if (open == std::string::npos) break;
    size_t close = tmpl.find("@@", open + 2);
    std::string name = close == std::string::npos ? "" : tmpl.substr(open + 2, close - open - 2);
    bool is_name =
        !name.empty() &&
        name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == std::string::npos;
    if (!is_name) {  // a lone "@@" in SystemTap code (none today) is left alone
      out.append(tmpl, pos, open + 2 - pos);
      pos = open + 2;
      continue;
    }
    auto it = values.find(name);
    if (it == values.end()) {
      *err = Diag::error_at(Exit::data_error, template_name, line_of(tmpl, open),
                            "unknown placeholder @@" + name + "@@");
      err->note(
          "known placeholders: @@PORT@@ @@CLEAR_MSG@@ @@INTERFACE@@ @@DEST_IP@@ @@DEST_MAC@@");
      return std::nullopt;
    }
    out.append(tmpl, pos, open - pos);
    out += it->second;
    pos = close + 2;
  }
  out.append(tmpl, pos, std::string::npos);

  auto markers = marker_lines(out);
  if (markers.size() > 1) {
    *err = Diag::error_at(Exit::data_error, template_name, line_of(out, markers[1]),
                          "template has more than one end-of-preamble marker");
    return std::nullopt;
  }
  if (markers.empty()) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += kPreambleEndMarker;
    out += '\n';
  } else {
    size_t nl = out.find('\n', markers[0]);
    if (nl == std::string::npos) {
      out += '\n';
    } else if (nl + 1 != out.size()) {
      *err = Diag::error_at(Exit::data_error, template_name, line_of(out, markers[0]),
                            "the end-of-preamble marker must be the template's last line");
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> load_preamble(const std::string& template_path,
                                         const PreambleParams& params, Diag* err) {
  std::string path = template_path;
  if (path.empty()) {
    auto found = default_template_path(err);
    if (!found) return std::nullopt;
    path = *found;
  }
  auto text = read_file(path, err);
  if (!text) return std::nullopt;
  return render_preamble(*text, params, path, err);
}

std::optional<ScriptParts> split_script(const std::string& script, const std::string& script_name,
                                        Diag* err) {
  auto markers = marker_lines(script);
  if (markers.empty()) {
    *err = Diag::error_at(Exit::data_error, script_name, 0,
                          "no end-of-preamble marker in this script");
    err->note(std::string("the preamble must end with the line: ") + kPreambleEndMarker);
    err->note("add that line after the preamble by hand, then run this again");
    return std::nullopt;
  }
  if (markers.size() > 1) {
    *err = Diag::error_at(Exit::data_error, script_name, line_of(script, markers[1]),
                          "more than one end-of-preamble marker in this script");
    err->note("the first one is on line " + std::to_string(line_of(script, markers[0])) +
              "; remove all but one");
    return std::nullopt;
  }
  size_t nl = script.find('\n', markers[0]);
  size_t cut = nl == std::string::npos ? script.size() : nl + 1;
  return ScriptParts{script.substr(0, cut), script.substr(cut)};
}

}  // namespace sa
