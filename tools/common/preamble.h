// SPDX-License-Identifier: GPL-2.0-or-later
// The preamble: the guru-mode SystemTap code at the top of every tracer script.
//
// stap-preamble prints it and regenerates it; stap-addprobe creates a missing script with it. Both
// go through render_preamble() so that the text is the same byte for byte. A template is plain
// SystemTap with @@NAME@@ placeholders; the rendered preamble always ends with the marker line,
// which is the one boundary --regenerate trusts: everything after it belongs to the user.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "diag.h"

namespace sa {

// The exact marker line (without its newline). Detection accepts any line starting with
// kPreambleEndPrefix so that a user may reword the rest of the comment.
extern const char* const kPreambleEndMarker;
extern const char* const kPreambleEndPrefix;

struct PreambleParams {
  int port = 65530;                            // @@PORT@@
  std::string clear_msg = "===CLEAR===";       // @@CLEAR_MSG@@
  std::string interface = "eth0";              // @@INTERFACE@@: default of the load-time parameter
  std::string dest_ip = "255.255.255.255";     // @@DEST_IP@@
  std::string dest_mac = "ff:ff:ff:ff:ff:ff";  // @@DEST_MAC@@
};

// Checks the values before they are written into SystemTap code: a port in 1..65535, a dotted-quad
// IPv4 address, a MAC as six colon-separated hex pairs, an interface name the kernel accepts (1..15
// characters, no '/', ':', whitespace or quotes). Errors use Exit::usage.
bool check_params(const PreambleParams& params, Diag* err);

// Finds the default template: $STAP_ASSISTANT_PREAMBLE if set, else the installed
// <prefix>/share/stap-assistant/preamble.stp next to the running binary, else the source tree's
// share/preamble.stp (when running from a build folder).
std::optional<std::string> default_template_path(Diag* err);

// Fills the placeholders of `tmpl`. An unknown @@NAME@@ is an error (a typo in a user's template
// would otherwise reach stap as garbage). Appends the marker line when the template does not end
// with one.
std::optional<std::string> render_preamble(const std::string& tmpl, const PreambleParams& params,
                                           const std::string& template_name, Diag* err);

// Loads and renders the default template (or `template_path` when not empty).
std::optional<std::string> load_preamble(const std::string& template_path,
                                         const PreambleParams& params, Diag* err);

struct ScriptParts {
  std::string preamble;  // up to and including the marker line and its newline
  std::string body;      // everything after it, byte for byte
};

// Splits a script at its marker line. No marker, or more than one, is an error naming
// `script_name`.
std::optional<ScriptParts> split_script(const std::string& script, const std::string& script_name,
                                        Diag* err);

}  // namespace sa
