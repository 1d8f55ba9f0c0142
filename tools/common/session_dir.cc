// SPDX-License-Identifier: GPL-2.0-or-later
#include "session_dir.h"

#include <cstdlib>

namespace sa {

std::string default_session_dir() {
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  std::string base;
  if (state && *state == '/')
    base = state;
  else if (home && *home == '/')
    base = std::string(home) + "/.local/state";
  else
    return "";  // never a shared folder such as /tmp: another user could have made it first
  return base + "/stap-assistant/sessions";
}

}  // namespace sa
