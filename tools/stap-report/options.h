// SPDX-License-Identifier: GPL-2.0-or-later
// The command line of stap-report. Every long option is documented in man/stap-report.1 (a CLI test
// checks).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "diag.h"

namespace sa::report {

enum class Output { table, json, errors, folded, diff };

struct Options {
  std::string session;  // empty: stap-logd's current session
  Output output = Output::table;
  std::string chrome;             // --chrome FILE, empty when not asked
  std::string speedscope;         // --speedscope FILE, empty when not asked
  std::vector<std::string> diff;  // OLD NEW

  bool json = false, errors = false, folded = false;
};

void add_options(CLI::App& app, Options& o);
// Settles what add_options left open (the default session, the output); false with *err on a usage
// error.
bool check_options(Options& o, Diag* err);

}  // namespace sa::report
