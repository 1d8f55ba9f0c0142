// SPDX-License-Identifier: GPL-2.0-or-later
// stap-addprobe's command line (the fixed surface of issue 5) on the shared CLI11 conventions.
#pragma once

#include <CLI/CLI.hpp>

#include "addprobe.h"

namespace sa::addprobe {

// Declares every option, writing into *o.
void define_options(CLI::App& app, Options* o);

// After parsing: the locations in command-line order each with its mode.
void finish_options(const CLI::App& app, Options* o);

// Checks combinations CLI11 cannot express; false with *err (exit 64) on a bad one.
bool validate_options(const Options& o, Diag* err);

}  // namespace sa::addprobe
