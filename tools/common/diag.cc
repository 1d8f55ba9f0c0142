// SPDX-License-Identifier: GPL-2.0-or-later
#include "diag.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace sa {

Diag Diag::error(Exit exit, std::string message) {
  Diag d;
  d.exit = exit;
  d.message = std::move(message);
  return d;
}

Diag Diag::error_at(Exit exit, std::string file, int line, std::string message) {
  Diag d = error(exit, std::move(message));
  d.file = std::move(file);
  d.line = line;
  return d;
}

Diag Diag::warning_at(std::string file, int line, std::string message) {
  Diag d;
  d.severity = Severity::warning;
  d.exit = Exit::ok;
  d.file = std::move(file);
  d.line = line;
  d.message = std::move(message);
  return d;
}

Diag& Diag::note(std::string text) {
  notes.push_back(std::move(text));
  return *this;
}

static const char* severity_word(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

static ColorMode g_color_mode = ColorMode::automatic;

void set_color_mode(ColorMode mode) { g_color_mode = mode; }

bool diag_colored() {
  switch (g_color_mode) {
    case ColorMode::always:
      return true;
    case ColorMode::never:
      return false;
    case ColorMode::automatic:
      break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && !(no_color && *no_color) &&
         !(term && std::strcmp(term, "dumb") == 0);
}

static const char* severity_color(Severity s) {
  switch (s) {
    case Severity::error:
      return "\033[01;31m";
    case Severity::warning:
      return "\033[01;35m";
    case Severity::note:
      return "\033[01;36m";
  }
  return "";
}

std::string format_diag(const std::string& tool, const Diag& d, bool color) {
  auto paint = [color](const char* sgr, const std::string& text) {
    return color ? sgr + text + "\033[m" : text;
  };
  const char* bold = "\033[01m";
  std::string where = tool + ":";
  if (!d.file.empty()) {
    where += " " + d.file;
    if (d.line > 0) where += ":" + std::to_string(d.line);
    where += ":";
  }
  std::string out =
      paint(bold, where) + " " +
      paint(severity_color(d.severity), std::string(severity_word(d.severity)) + ":") + " " +
      d.message + "\n";
  for (const auto& n : d.notes) {
    out += paint(bold, tool + ":") + " " + paint(severity_color(Severity::note), "note:") + " " +
           n + "\n";
  }
  return out;
}

void print_diag(const std::string& tool, const Diag& d) {
  std::string text = format_diag(tool, d, diag_colored());
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

int exit_code(Exit e) { return static_cast<int>(e); }

}  // namespace sa
