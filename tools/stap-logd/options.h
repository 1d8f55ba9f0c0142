// stap-logd's command line: the options (shared by main and the man page test) and their checking.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "daemon.h"
#include "diag.h"
#include "session_store.h"
#include "udp_server.h"

namespace sa::logd {

struct Config {
  ServerOptions server;
  std::string dir;                 // empty: default_session_dir()
  std::vector<std::string> keep;   // --keep values
  std::vector<std::string> allow;  // --allow values
  bool follow = false;
  bool json = false;
  ReceiverLimits limits;

  // Filled by check_config:
  Retention retention;
  std::vector<Cidr> allow_rules;
};

void add_options(CLI::App& app, Config& cfg);

// ${XDG_STATE_HOME:-$HOME/.local/state}/stap-assistant/sessions
std::string default_session_dir();

// Parses --keep and --allow, fills the default folder. Exit::usage on a bad value.
bool check_config(Config& cfg, Diag* err);

}  // namespace sa::logd
