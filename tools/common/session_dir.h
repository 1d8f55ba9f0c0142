// Where stap-logd keeps its sessions, and so where readers look for `current` by default.
#pragma once

#include <string>

namespace sa {

// ${XDG_STATE_HOME:-~/.local/state}/stap-assistant/sessions (an XDG_STATE_HOME that is not absolute is
// ignored, as the XDG spec says; with no HOME, /tmp/.local/state).
std::string default_session_dir();

}  // namespace sa
