// SPDX-License-Identifier: GPL-2.0-or-later
// The probes of a tracer script: reading them (--list), appending new ones without duplicates, and
// removing them (--remove). Pure text functions; the locked, atomic file edit around them is
// sa::edit_file_locked (atomic_file.h) and a missing script starts as the default preamble.
//
// A probe is a `probe POINT { BODY }` statement after the end-of-preamble marker; it may span lines
// (braces are counted outside strings and comments). stap-addprobe writes one probe a line. Two
// probes are the same when their points are equal and their bodies are equal up to white space.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "diag.h"
#include "probe_rules.h"

namespace sa::addprobe {

struct ScriptProbe {
  int line = 0;       // 1-based line in the whole script
  std::string point;  // as written, trimmed
  std::string body;   // between the braces, trimmed
  size_t begin = 0;   // byte range of the statement in the whole script, through its newline
  size_t end = 0;
};

// The probes after the marker. `body_offset` is where the body starts in `script` (the preamble's
// length); lines are counted from the start of the script.
std::vector<ScriptProbe> list_probes(const std::string& script, size_t body_offset);

// False with *err (exit 65, FILE:LINE) when the body has a /* comment, a string or a '{' that is
// never closed: every probe appended after it would be swallowed.
bool check_script_body(const std::string& script, size_t body_offset,
                       const std::string& script_name, Diag* err);

// Appends each probe of `add` not already in `script` (nor earlier in `add`) at the end, one a
// line. Returns the probes it appended.
std::vector<Probe> append_probes(std::string* script, size_t body_offset,
                                 const std::vector<Probe>& add);

// Removes every probe statement whose point `remove` accepts, in one pass. Returns the removed
// probes.
std::vector<ScriptProbe> remove_probes(std::string* script, size_t body_offset,
                                       const std::function<bool(const std::string& point)>& remove);

// Removes every probe statement whose point is in `points`. Returns the removed probes.
std::vector<ScriptProbe> remove_probes(std::string* script, size_t body_offset,
                                       const std::vector<std::string>& points);

}  // namespace sa::addprobe
