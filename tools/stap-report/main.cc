// SPDX-License-Identifier: GPL-2.0-or-later
// stap-report: answers from a session file. The work is in sa_report_lib; this is the table of
// contents.
#include <cstdio>

#include "cli.h"
#include "diag.h"
#include "options.h"
#include "run.h"

namespace {

const std::string tool = "stap-report";

int fail(const sa::Diag& d) {
  sa::print_diag(tool, d);
  return sa::exit_code(d.exit);
}

bool write_stdout(const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
         std::fflush(stdout) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sa::report;
  CLI::App app;
  sa::setup_app(app, tool);
  Options o;
  add_options(app, o);
  if (auto code = sa::parse_args(app, tool, argc, argv)) return *code;
  sa::Diag err;
  if (!check_options(o, &err)) return fail(err);

  auto text =
      o.output == Output::diff ? report_diff(o.diff[0], o.diff[1], &err) : report_session(o, &err);
  if (!text) return fail(err);
  if (!write_stdout(*text))
    return fail(sa::Diag::error(sa::Exit::io_error, "cannot write to stdout"));
  return 0;
}
