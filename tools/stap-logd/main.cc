// SPDX-License-Identifier: GPL-2.0-or-later
// stap-logd: receives trace lines over UDP and keeps them in session files. The work is in
// sa_logd_lib; this is the table of contents.
#include <cstdio>

#include "cli.h"
#include "daemon.h"
#include "diag.h"
#include "file_system.h"
#include "follow_writer.h"
#include "options.h"
#include "session_store.h"
#include "udp_server.h"

namespace {

const std::string tool = "stap-logd";

int fail(const sa::Diag& d) {
  sa::print_diag(tool, d);
  return sa::exit_code(d.exit);
}

sa::Diag note(std::string message) {
  sa::Diag d;
  d.severity = sa::Severity::note;
  d.message = std::move(message);
  return d;
}

constexpr size_t kFollowBuffer = 4u << 20;  // follow output waiting for a slow reader

}  // namespace

int main(int argc, char** argv) {
  using namespace sa::logd;
  CLI::App app;
  sa::setup_app(app, tool);
  Config cfg;
  add_options(app, cfg);
  if (auto code = sa::parse_args(app, tool, argc, argv)) return *code;
  sa::Diag err;
  if (!check_config(cfg, &err)) return fail(err);

  auto fs = make_posix_file_system();
  StoreOptions store_options;
  store_options.dir = cfg.dir;
  store_options.keep = cfg.retention;
  store_options.max_buffered = cfg.max_buffered;
  store_options.file_mode = cfg.file_mode;
  SessionStore store(*fs, store_options);
  if (!store.open(&err)) return fail(err);

  UdpServer server;
  std::vector<sa::Diag> notes;
  if (!server.open(cfg.server, &err, &notes)) return fail(err);
  for (const auto& n : notes) sa::print_diag(tool, n);
  // The traced machine is usually another host, so the default is every interface; say so at start.
  bool everywhere = cfg.server.bind.empty();
  std::string where = everywhere ? "every interface (" + server.address() + ")" : server.address();
  sa::Diag listening = note("listening on " + where + " port " + std::to_string(server.port()) +
                            ", sessions in " + cfg.dir);
  if (everywhere)
    listening.note(
        "any host that can reach this port can start sessions; --bind 127.0.0.1 (enough for a QEMU "
        "guest's 10.0.2.2) or --allow limit that");
  sa::print_diag(tool, listening);

  Follow follow = cfg.json ? Follow::json : cfg.follow ? Follow::text : Follow::none;
  FollowWriter out(1, kFollowBuffer,
                   [follow](uint64_t n) { return missed_follow_note(follow, n); });
  Daemon daemon(store, DaemonOptions{cfg.allow_rules, follow,
                                     [](const sa::Diag& d) { sa::print_diag(tool, d); },
                                     [&out](std::string_view s) { out.push(s); },
                                     [&out] { return out.error(); }, cfg.limits});
  server.run(daemon);
  sa::Exit exit = daemon.finish();
  bool printed = follow == Follow::none || out.drain(std::chrono::seconds(2));
  std::string summary = daemon.summary();
  if (out.missed()) summary += ", follow output skipped " + std::to_string(out.missed()) + " lines";
  if (!printed && !out.error()) summary += ", follow output unfinished (its reader did not read)";
  sa::print_diag(tool, note(summary));
  return sa::exit_code(exit);
}
