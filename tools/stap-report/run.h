// SPDX-License-Identifier: GPL-2.0-or-later
// The answers of stap-report, each one function over a session: the steps main() lists.
#pragma once

#include <optional>
#include <string>

#include "diag.h"
#include "options.h"

namespace sa::report {

// Reads o.session once and returns what goes to stdout (the --chrome file is written here, only
// when the whole session was read). nullopt with *err on any failure; nothing is written then.
std::optional<std::string> report_session(const Options& o, Diag* err);

// --diff OLD NEW: reads both files side by side.
std::optional<std::string> report_diff(const std::string& old_path, const std::string& new_path,
                                       Diag* err);

}  // namespace sa::report
