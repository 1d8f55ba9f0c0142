// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include "session_dir.h"

namespace sa::report {

void add_options(CLI::App& app, Options& o) {
  app.description(
      "Answers from a stap-assistant session file: per-function calls, errors and latency, error "
      "chains, exports for Chrome trace viewers and flame graphs, and the difference between two "
      "sessions.");
  app.add_option("session", o.session,
                 "Session file (default: stap-logd's current session; - is stdin)")
      ->option_text("SESSION");
  auto* json = app.add_flag("--json", o.json, "Print the summary as JSON lines instead of a table");
  auto* errors =
      app.add_flag("--errors", o.errors, "Print where each error came from and who passed it on");
  auto* folded =
      app.add_flag("--folded", o.folded, "Print folded stacks (comm;outer;inner SELF_US)");
  app.add_option("--chrome", o.chrome, "Also write the session as Chrome Trace Event JSON to FILE")
      ->option_text("FILE");
  app.add_option("--speedscope", o.speedscope,
                 "Also write the session in speedscope's file format to FILE")
      ->option_text("FILE");
  auto* diff = app.add_option("--diff", o.diff,
                              "Compare two sessions: per function, and the first change "
                              "in each process's calls")
                   ->expected(2)
                   ->option_text("OLD NEW");
  json->excludes(errors)->excludes(folded)->excludes(diff);
  errors->excludes(folded)->excludes(diff);
  folded->excludes(diff);
  diff->excludes(app.get_option("session"));
  diff->excludes(app.get_option("--chrome"));
  diff->excludes(app.get_option("--speedscope"));
}

bool check_options(Options& o, Diag* err) {
  if (o.json) o.output = Output::json;
  if (o.errors) o.output = Output::errors;
  if (o.folded) o.output = Output::folded;
  if (!o.diff.empty()) {
    o.output = Output::diff;
    if (o.diff[0] == "-" && o.diff[1] == "-") {
      *err = Diag::error(Exit::usage, "--diff: at most one of OLD and NEW can be standard input");
      return false;
    }
  }
  if (o.session.empty()) {
    std::string dir = default_session_dir();
    if (dir.empty()) {
      *err = Diag::error(
          Exit::usage, "no SESSION given and no session folder known: set HOME or XDG_STATE_HOME");
      return false;
    }
    o.session = dir + "/current";
  }
  for (const auto& [name, file] :
       {std::pair{"--chrome", &o.chrome}, {"--speedscope", &o.speedscope}})
    if (*file == "-") {
      *err = Diag::error(
          Exit::usage,
          std::string(name) + ": give a file name (the export is written to a file, safely)");
      return false;
    }
  if (!o.chrome.empty() && o.chrome == o.speedscope) {
    *err = Diag::error(Exit::usage, "--chrome and --speedscope: give two different files");
    return false;
  }
  return true;
}

}  // namespace sa::report
