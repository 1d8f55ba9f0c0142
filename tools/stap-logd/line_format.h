// SPDX-License-Identifier: GPL-2.0-or-later
// What -f and --json print for each line written to a session.
//
// -f prints the session line itself. --json prints one JSON object a line (share/json-format.md):
//   {"format":1,"sender":"10.0.2.15","session":"20261127-040318.123456_10.0.2.15.log","kind":"trace",
//    "seq":12,"time":12.345678,"cpu":1,"comm":"ls","pid":123,"tid":123,"mark":"->",
//    "function":"do_sys_openat2","text":"12.345678 cpu1 ls[123/123] -> do_sys_openat2@..."}
// kind is trace, note, raw or netconsole (sender and session are null for the note of lines a slow
// reader missed). Fields that a line does not carry are null; text is always
// the whole line as written to the session file.
#pragma once

#include <string>

#include "receiver.h"

namespace sa::logd {

// Appends the JSON object for `e` and a '\n' to *out.
void append_json_line(const LineEvent& e, std::string* out);

}  // namespace sa::logd
