#include "session_dir.h"

#include <cstdlib>

namespace sa {

std::string default_session_dir() {
  const char* state = std::getenv("XDG_STATE_HOME");
  std::string base;
  if (state && *state == '/') {
    base = state;
  } else {
    const char* home = std::getenv("HOME");
    base = std::string(home && *home ? home : "/tmp") + "/.local/state";
  }
  return base + "/stap-assistant/sessions";
}

}  // namespace sa
