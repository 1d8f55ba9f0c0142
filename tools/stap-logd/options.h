// SPDX-License-Identifier: GPL-2.0-or-later
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
  std::string dir;                 // empty: sa::default_session_dir() (session_dir.h)
  std::vector<std::string> keep;   // --keep values
  std::vector<std::string> allow;  // --allow values
  bool follow = false;
  bool json = false;
  ReceiverLimits limits;
  std::string mode = "0640";        // --mode of new session files
  size_t max_buffered = 64u << 20;  // lines waiting for a disk that fails

  // Filled by check_config:
  Retention retention;
  std::vector<Cidr> allow_rules;
  unsigned file_mode = 0640;
};

void add_options(CLI::App& app, Config& cfg);

// Parses a --mode value: octal, at most 0644 and at least 0600 (we must write our files; nobody
// else may). Returns false with *err set otherwise.
bool parse_file_mode(const std::string& text, unsigned* mode, std::string* err);

// Parses --keep, --allow and --mode, fills the default folder. Exit::usage on a bad value,
// Exit::cant_create when there is no default folder.
bool check_config(Config& cfg, Diag* err);

}  // namespace sa::logd
