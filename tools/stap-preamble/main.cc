// SPDX-License-Identifier: GPL-2.0-or-later
// stap-preamble: prints the tracer preamble, writes it to a new script, or regenerates the preamble
// of an existing script while keeping its probes. Rendering is sa::load_preamble (shared with
// stap-addprobe); the file operations are in script_io.h.
#include <iostream>

#include "atomic_file.h"
#include "cli.h"
#include "diag.h"
#include "preamble.h"
#include "script_io.h"

namespace {

struct Options {
  sa::PreambleParams params;
  std::string template_path;
  std::string output;
  std::string regenerate;
  bool force = false;
};

void add_options(CLI::App& app, Options& o) {
  app.add_option("-o,--output", o.output, "Write a new script FILE instead of printing")
      ->option_text("FILE");
  auto* force = app.add_flag("-f,--force", o.force, "With --output: replace an existing FILE");
  auto* regen =
      app.add_option("--regenerate", o.regenerate,
                     "Replace the preamble of SCRIPT, keeping everything after its marker")
          ->option_text("SCRIPT");
  app.get_option("--output")->excludes(regen);
  force->needs(app.get_option("--output"));
  app.add_option("--template", o.template_path, "Use this template instead of the default preamble")
      ->option_text("FILE");
  app.add_option("-p,--port", o.params.port, "Default destination UDP port (65530)")
      ->option_text("PORT");
  app.add_option("--interface", o.params.interface, "Default network interface (eth0)")
      ->option_text("NAME");
  app.add_option("--dest-ip", o.params.dest_ip,
                 "Default destination IPv4 address (255.255.255.255)")
      ->option_text("ADDR");
  app.add_option("--dest-mac", o.params.dest_mac,
                 "Default destination MAC address (ff:ff:ff:ff:ff:ff)")
      ->option_text("MAC");
}

// --regenerate: the options not given keep the values the script's current preamble has, so that
// regenerating does not silently reset a port chosen when the script was made.
void keep_old_defaults(const CLI::App& app, Options& o) {
  sa::Diag ignored;
  auto script = sa::read_file(o.regenerate, &ignored);
  if (!script) return;  // reported by regenerate_script
  auto parts = sa::split_script(*script, o.regenerate, &ignored);
  if (!parts) return;
  sa::PreambleParams old = o.params;
  sa::read_param_defaults(parts->preamble, &old);
  if (!app.get_option("--port")->count()) o.params.port = old.port;
  if (!app.get_option("--interface")->count()) o.params.interface = old.interface;
  if (!app.get_option("--dest-ip")->count()) o.params.dest_ip = old.dest_ip;
  if (!app.get_option("--dest-mac")->count()) o.params.dest_mac = old.dest_mac;
}

int fail(const std::string& tool, const sa::Diag& err) {
  sa::print_diag(tool, err);
  return sa::exit_code(err.exit);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string tool = "stap-preamble";
  CLI::App app{"Print, write or regenerate the stap-assistant tracer preamble"};
  sa::setup_app(app, tool);
  Options o;
  add_options(app, o);
  if (auto code = sa::parse_args(app, tool, argc, argv)) return *code;

  sa::Diag err;
  if (!sa::check_params(o.params, &err)) return fail(tool, err);
  if (!o.regenerate.empty()) keep_old_defaults(app, o);
  auto text = sa::load_preamble(o.template_path, o.params, &err);
  if (!text) return fail(tool, err);

  if (!o.regenerate.empty()) {
    bool changed = false;
    if (!sa::regenerate_script(o.regenerate, *text, &changed, &err)) return fail(tool, err);
  } else if (!o.output.empty()) {
    if (!sa::write_new_script(o.output, *text, o.force, &err)) return fail(tool, err);
  } else {
    std::cout << *text << std::flush;
    if (!std::cout)
      return fail(tool, sa::Diag::error(sa::Exit::io_error, "cannot write to stdout"));
  }
  return 0;
}
