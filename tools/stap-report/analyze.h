// SPDX-License-Identifier: GPL-2.0-or-later
// Runs a session through a Pairer: the one loop every answer of stap-report shares.
#pragma once

#include "diag.h"
#include "line_reader.h"
#include "pairer.h"

namespace sa::report {

// Feeds every line of `in` to `p`, then p.finish(). Returns false and sets *err on a read error, on
// a line that is not session text (binary data, too long, no final newline), or when the first line
// is neither a trace line, a stap-logd note nor ===CLEAR=== (not a session file).
bool analyze(LineReader& in, Pairer& p, Diag* err);

// One step of analyze(), for readers that interleave two sessions (--diff): false at the end or on
// an error (then *err is set and in.failed()).
bool analyze_line(LineReader& in, Pairer& p, Diag* err);

}  // namespace sa::report
