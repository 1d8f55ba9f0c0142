#include "diag.h"

#include <cstdio>
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
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

std::string format_diag(const std::string& tool, const Diag& d) {
  std::string out = tool + ": ";
  if (!d.file.empty()) {
    out += d.file;
    if (d.line > 0) out += ":" + std::to_string(d.line);
    out += ": ";
  }
  out += severity_word(d.severity);
  out += ": " + d.message + "\n";
  for (const auto& n : d.notes) out += tool + ": note: " + n + "\n";
  return out;
}

void print_diag(const std::string& tool, const Diag& d) {
  std::string text = format_diag(tool, d);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

int exit_code(Exit e) { return static_cast<int>(e); }

}  // namespace sa
