// SPDX-License-Identifier: GPL-2.0-or-later
// stap-addprobe's options; the man page (man/stap-addprobe.1) documents the same list, and a CLI
// test checks that the two agree.
#include "options.h"

namespace sa::addprobe {

void define_options(CLI::App& app, Options* o) {
  app.description(
      "Resolve kernel source locations to SystemTap probe points and append them to a tracer "
      "script.\n"
      "LOCATION is FILE:LINE, FUNCTION, FILE:FUNCTION, FUNCTION@FILE, FUNCTION@FILE:LINE "
      "(stap's),\n"
      "FUNCTION:N (perf's: line N of FUNCTION) or FUNCTION%return (perf's: only its exits); FILE "
      "is\n"
      "relative to the kernel tree, or absolute. \"-\" reads locations from standard input, one a "
      "line.\n"
      "A LOCATION probes its function's entries and exits; --line LOCATION probes that line.");
  // Positional locations and --function/--line values go into one list in command-line order
  // (finish_options), each with its own mode.
  app.add_option("location", o->positional,
                 "A location to probe on its function's entries and exits, or - for stdin")
      ->type_name("LOCATION");
  app.add_option("--function", o->function_picks,
                 "Probe this location's function (the same as a bare LOCATION)")
      ->type_name("LOCATION")
      ->allow_extra_args(false);
  app.add_option("--line", o->line_picks,
                 "Probe this line, with its locals (repeat for more lines)")
      ->type_name("LOCATION")
      ->allow_extra_args(false);
  app.add_flag("--replace", o->replace,
               "Write the script anew: the preamble and exactly this run's probes, all or nothing "
               "(for Make)");
  app.add_option("-o,--output", o->script,
                 "The script to append to; created with the default preamble")
      ->type_name("SCRIPT")
      ->default_str("tracer.stp");
  app.add_option("-C,--tree", o->tree_dir,
                 "The kernel tree (default: found by walking up from the location)")
      ->type_name("DIR");
  app.add_option("-r,--build", o->build_dir,
                 "The kernel build, as stap -r takes it (symbol tables, --check)")
      ->type_name("DIR");
  app.add_flag(
      "-v,--verbose", o->verbose,
      "Say which kernel tree, .config, build folder and -r folder were used (notes on stderr)");
  app.add_flag("--dry-run", o->dry_run,
               "Print the probes that would be appended and change nothing");
  app.add_flag("--json", o->json, "Print one JSON object per location");
  app.add_option("--call-code", o->code.call, "Body of entry probes")
      ->type_name("CODE")
      ->default_str("trace_call()");
  app.add_option("--return-code", o->code.ret, "Body of return probes")
      ->type_name("CODE")
      ->default_str("trace_return()");
  app.add_option("--line-code", o->code.line, "Body of line probes")
      ->type_name("CODE")
      ->default_str("trace_line()");
  app.add_flag("--list", o->list, "List the probes already in the script");
  app.add_flag("--remove", o->remove,
               "Remove what each location added (or literal probe points); a miss is an error");
  app.add_flag(
      "--diff", o->diff,
      "Read a unified diff on stdin and probe every function it touches (skips are noted)");
  app.add_flag("--check", o->check, "Elaborate the new probes with stap -p2 before appending them");
  app.add_option("--stap", o->stap, "The stap program --check runs")
      ->type_name("PROG")
      ->default_str("stap");
  app.add_option("--cache-dir", o->cache_dir,
                 "Folder of the function-extents cache (\"none\": no cache)")
      ->type_name("DIR");
}

void finish_options(const CLI::App& app, Options* o) {
  size_t next_pos = 0, next_fn = 0, next_line = 0;
  for (const CLI::Option* opt : app.parse_order()) {
    if (opt->get_name() == "location" && next_pos < o->positional.size())
      o->locations.emplace_back(o->positional[next_pos++], Mode::function);
    else if (opt->get_name() == "--function" && next_fn < o->function_picks.size())
      o->locations.emplace_back(o->function_picks[next_fn++], Mode::function);
    else if (opt->get_name() == "--line" && next_line < o->line_picks.size())
      o->locations.emplace_back(o->line_picks[next_line++], Mode::line);
  }
}

bool validate_options(const Options& o, Diag* err) {
  auto usage = [&](const std::string& msg) {
    *err = Diag::error(Exit::usage, msg);
    err->note("try 'stap-addprobe --help'");
    return false;
  };
  if (o.list && (o.remove || o.diff || o.check || !o.locations.empty()))
    return usage("--list takes no location and no other action");
  if (o.diff && !o.locations.empty())
    return usage("--diff reads the diff on stdin and takes no location");
  if (o.diff && o.remove) return usage("--diff and --remove cannot be combined");
  if (o.replace && (o.list || o.remove))
    return usage("--replace writes new probes and takes no --list or --remove");
  if (!o.list && !o.diff && o.locations.empty()) return usage("no location given");
  for (const auto& [text, mode] : o.locations)
    if (text.size() > 1 && text[0] == '-')  // `--line -o x.stp LOC`: --line takes its location now
      return usage(std::string(mode == Mode::line ? "--line" : "--function") +
                   " takes a location, not " + text);
  return true;
}

}  // namespace sa::addprobe
