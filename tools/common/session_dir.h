// SPDX-License-Identifier: GPL-2.0-or-later
// Where stap-logd keeps its sessions, and so where readers look for `current` by default.
#pragma once

#include <string>

namespace sa {

// ${XDG_STATE_HOME:-~/.local/state}/stap-assistant/sessions (an XDG_STATE_HOME that is not absolute
// is ignored, as the XDG spec says); "" when neither gives an absolute folder: never a shared one
// such as /tmp, which another user could have made first.
std::string default_session_dir();

}  // namespace sa
