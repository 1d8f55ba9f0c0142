// stap-addprobe's options; the man page (man/stap-addprobe.1) documents the same list, and a CLI test
// checks that the two agree.
#include "options.h"

namespace sa::addprobe {

void define_options(CLI::App& app, Options* o) {
  app.description(
      "Resolve kernel source locations to SystemTap probe points and append them to a tracer script.\n"
      "LOCATION is FILE:LINE, FUNCTION or FILE:FUNCTION (FILE relative to the kernel tree, or absolute);\n"
      "\"-\" reads locations from standard input, one a line.");
  app.add_option("location", o->locations, "FILE:LINE, FUNCTION, FILE:FUNCTION, or - for stdin")
      ->type_name("LOCATION");
  app.add_flag_callback("--function", [o] { o->mode = Mode::function; },
                        "Probe the enclosing function's entries and exits (the default)");
  app.add_flag_callback("--line", [o] { o->mode = Mode::line; }, "Probe this line (FILE:LINE)");
  app.add_option("-o,--output", o->script, "The script to append to; created with the default preamble")
      ->type_name("SCRIPT")
      ->default_str("tracer.stp");
  app.add_option("-C,--tree", o->tree_dir, "The kernel tree (default: found by walking up from the location)")
      ->type_name("DIR");
  app.add_option("-r,--build", o->build_dir, "The kernel build, as stap -r takes it (symbol tables, --check)")
      ->type_name("DIR");
  app.add_flag("-v,--verbose", o->verbose,
               "Say which kernel tree, .config, build folder and -r folder were used (notes on stderr)");
  app.add_flag("--dry-run", o->dry_run, "Print the probes that would be appended and change nothing");
  app.add_flag("--json", o->json, "Print one JSON object per location");
  app.add_option("--call-code", o->code.call, "Body of entry probes")->type_name("CODE")->default_str("trace_call()");
  app.add_option("--return-code", o->code.ret, "Body of return probes")->type_name("CODE")->default_str("trace_return()");
  app.add_option("--line-code", o->code.line, "Body of line probes")->type_name("CODE")->default_str("trace_line()");
  app.add_flag("--list", o->list, "List the probes already in the script");
  app.add_flag("--remove", o->remove, "Remove the probes the locations resolve to (or literal probe points)");
  app.add_flag("--diff", o->diff, "Read a unified diff on stdin and probe every function it touches");
  app.add_flag("--check", o->check, "Elaborate the new probes with stap -p2 before appending them");
  app.add_option("--stap", o->stap, "The stap program --check runs")->type_name("PROG")->default_str("stap");
  app.add_option("--cache-dir", o->cache_dir,
                 "Folder of the function-extents cache (\"none\": no cache)")
      ->type_name("DIR");
}

bool validate_options(const Options& o, Diag* err) {
  auto usage = [&](const std::string& msg) {
    *err = Diag::error(Exit::usage, msg);
    err->note("try 'stap-addprobe --help'");
    return false;
  };
  if (o.list && (o.remove || o.diff || o.check || !o.locations.empty()))
    return usage("--list takes no location and no other action");
  if (o.diff && !o.locations.empty()) return usage("--diff reads the diff on stdin and takes no location");
  if (o.diff && o.remove) return usage("--diff and --remove cannot be combined");
  if (!o.list && !o.diff && o.locations.empty()) return usage("no location given");
  return true;
}

}  // namespace sa::addprobe
