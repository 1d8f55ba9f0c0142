// SPDX-License-Identifier: GPL-2.0-or-later
// Options of stap-logd. Every long option here is documented in man/stap-logd.1 (a CLI test
// checks).
#include "options.h"

#include <cstdlib>

#include "session_dir.h"

namespace sa::logd {

void add_options(CLI::App& app, Config& cfg) {
  app.description(
      "Receive stap-assistant trace lines (and netconsole) over UDP and keep them in session "
      "files.");
  app.add_option("-p,--port", cfg.server.port, "UDP port to listen on (0: any free port)")
      ->type_name("PORT")
      ->default_val(65530)
      ->check(CLI::Range(0, 65535));
  app.add_option("--bind", cfg.server.bind,
                 "Listen on this address only (default: all, IPv6 and IPv4)")
      ->type_name("ADDR");
  app.add_option("--allow", cfg.allow, "Accept datagrams only from ADDR or ADDR/LEN (repeatable)")
      ->type_name("CIDR");
  app.add_option(
         "-d,--dir", cfg.dir,
         "Session folder (default: ${XDG_STATE_HOME:-~/.local/state}/stap-assistant/sessions)")
      ->type_name("DIR");
  app.add_option("--keep", cfg.keep,
                 "Keep at most N sessions and/or SIZE bytes (N, 100M, 1G; repeatable)")
      ->type_name("N|SIZE");
  app.add_option("--mode", cfg.mode,
                 "Mode of new session files, 0600 to 0644 (default 0640; folders 0750)")
      ->type_name("MODE");
  app.add_flag("-f,--follow", cfg.follow, "Also print every line to stdout as it arrives");
  app.add_flag("--json", cfg.json, "Print JSON lines to stdout instead (implies --follow)");
  app.add_option("--max-senders", cfg.limits.max_senders,
                 "Remember at most N senders; the least recently heard from are forgotten first")
      ->type_name("N")
      ->default_val(cfg.limits.max_senders)
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--max-cpus", cfg.limits.max_cpus, "Remember at most N CPUs per sender")
      ->type_name("N")
      ->default_val(cfg.limits.max_cpus)
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--max-held-lines", cfg.limits.max_held_lines,
                 "Hold at most N lines (all senders) while waiting for late datagrams")
      ->type_name("N")
      ->default_val(cfg.limits.max_held_lines)
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--max-held-bytes", cfg.limits.max_held_bytes,
                 "Hold at most SIZE bytes of such lines")
      ->type_name("SIZE")
      ->default_str("64M")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(size_t{1} << 16, size_t{1} << 34));
  app.add_option("--max-reassembly", cfg.limits.max_reassembly_bytes,
                 "Keep at most SIZE bytes of netconsole messages and raw lines being put together")
      ->type_name("SIZE")
      ->default_str("16M")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(size_t{1} << 17, size_t{1} << 34));
  app.add_option("--max-buffered", cfg.max_buffered,
                 "Keep at most SIZE bytes of lines in memory while writes fail; beyond, lines are "
                 "dropped and noted")
      ->type_name("SIZE")
      ->default_str("64M")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(size_t{1} << 12, size_t{1} << 34));
  app.add_option("--rcvbuf", cfg.server.receive_buffer,
                 "Socket receive buffer to ask for, in bytes")
      ->type_name("BYTES")
      ->default_val(32 << 20)
      ->check(CLI::Range(65536, 1 << 30));
}

bool parse_file_mode(const std::string& text, unsigned* mode, std::string* err) {
  bool octal =
      !text.empty() && text.size() <= 4 && text.find_first_not_of("01234567") == std::string::npos;
  unsigned m = octal ? static_cast<unsigned>(std::stoul(text, nullptr, 8)) : 0;
  if (!octal || (m & ~0644u) || (m & 0600) != 0600) {
    *err = "bad --mode value '" + text +
           "': expected an octal mode from 0600 to 0644 (no write or execute "
           "bits for group and others)";
    return false;
  }
  *mode = m;
  return true;
}

bool check_config(Config& cfg, Diag* err) {
  std::string msg;
  for (const std::string& k : cfg.keep)
    if (!parse_keep(k, &cfg.retention, &msg)) {
      *err = Diag::error(Exit::usage, msg);
      return false;
    }
  for (const std::string& a : cfg.allow) {
    Cidr c;
    if (!parse_cidr(a, &c, &msg)) {
      *err = Diag::error(Exit::usage, msg);
      return false;
    }
    cfg.allow_rules.push_back(c);
  }
  if (!parse_file_mode(cfg.mode, &cfg.file_mode, &msg)) {
    *err = Diag::error(Exit::usage, msg);
    return false;
  }
  if (cfg.dir.empty()) cfg.dir = sa::default_session_dir();
  if (cfg.dir.empty()) {
    *err = Diag::error(Exit::cant_create,
                       "no session folder: neither XDG_STATE_HOME nor HOME is an absolute path");
    err->note("give one with -d DIR");
    return false;
  }
  while (cfg.dir.size() > 1 && cfg.dir.back() == '/') cfg.dir.pop_back();
  return true;
}

}  // namespace sa::logd
