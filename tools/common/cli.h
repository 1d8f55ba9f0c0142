// SPDX-License-Identifier: GPL-2.0-or-later
// Command-line conventions shared by the tools, on top of CLI11:
// --help prints to stdout and exits 0, --version prints "TOOL VERSION", and any parse error is one
// diagnostic line in the shared format plus a hint, with exit code 64.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace sa {

extern const char* const kVersion;

// Sets up the options every tool has (--version) and the help formatting.
void setup_app(CLI::App& app, const std::string& tool);

// Parses; returns an exit code when the process should end now (help, version, usage error),
// nullopt when the tool should go on.
std::optional<int> parse_args(CLI::App& app, const std::string& tool, int argc, char** argv);

}  // namespace sa
