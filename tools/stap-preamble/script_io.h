// SPDX-License-Identifier: GPL-2.0-or-later
// What stap-preamble does to files, apart from rendering (which lives in tools/common/preamble.h so
// that stap-addprobe creates scripts with the same text).
//
// Two operations, both all-or-nothing:
//  - write_new_script: puts a rendered preamble into a file that must not exist yet (or may, with
//    force). The text goes to a temporary file in the same folder first; without force it is then
//    hard-linked to the final name, which fails atomically with EEXIST when someone else created
//    the file meanwhile, so an existing file is never replaced by accident, not even in a race.
//  - regenerate_script: replaces the part of a script up to and including the end-of-preamble
//  marker
//    and keeps every byte after it. The script is locked (flock) while it is read and rewritten,
//    the rewrite is a temporary file renamed over the original (mode kept), and any error leaves
//    the old file untouched.
#pragma once

#include <optional>
#include <string>

#include "diag.h"
#include "preamble.h"

namespace sa {

// The load-time defaults an existing preamble was rendered with, read back from its lines
// `global dest_port = N`, `global interface = "..."`, `global dest_ip = "..."`, `global dest_mac =
// "..."` (the default template's). Only values found and valid are set in *params; returns how
// many.
int read_param_defaults(const std::string& preamble, PreambleParams* params);

bool write_new_script(const std::string& path, const std::string& content, bool force, Diag* err);

// `preamble` is a rendered preamble (ends with the marker line). Sets *changed to whether the
// file's bytes differ from before (an identical result is not rewritten).
bool regenerate_script(const std::string& path, const std::string& preamble, bool* changed,
                       Diag* err);

// The pure part of regenerate_script: the new text of `script` with its preamble replaced.
std::optional<std::string> replace_preamble(const std::string& script, const std::string& preamble,
                                            const std::string& script_name, Diag* err);

}  // namespace sa
