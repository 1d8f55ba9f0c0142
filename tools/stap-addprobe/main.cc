// SPDX-License-Identifier: GPL-2.0-or-later
// stap-addprobe: resolve kernel source locations to SystemTap probe points and append them to a
// tracer script. main() is the table of contents and the one exception boundary; the steps live in
// addprobe.h.
#include <exception>
#include <iostream>

#include "addprobe.h"
#include "cli.h"
#include "options.h"

namespace ap = sa::addprobe;
static const std::string kTool = "stap-addprobe";

// Locations from the arguments ("-" = stdin), or the functions a diff on stdin touches.
static std::vector<ap::Outcome> resolve_inputs(const ap::Options& o, ap::Resolver& resolver,
                                               std::vector<sa::Diag>* notes) {
  if (o.diff) return resolver.resolve_diff(ap::parse_unified_diff(std::cin), notes);
  std::vector<ap::Outcome> out;
  for (const auto& [arg, mode] : o.locations) {
    std::vector<std::string> texts =
        arg == "-" ? ap::read_location_lines(std::cin) : std::vector{arg};
    for (const auto& text : texts) {
      sa::Diag err;
      auto loc = ap::parse_location(text, &err, mode);
      if (!loc) {
        ap::Outcome bad;
        bad.location.input = text;
        bad.error = err;
        out.push_back(bad);
        continue;
      }
      out.push_back(resolver.resolve(*loc));
    }
  }
  return out;
}

// Prints every diagnostic of the run; returns the exit status of the first error (0 if none).
static int report_diagnostics(const std::vector<ap::Outcome>& outcomes,
                              const std::vector<sa::Diag>& notes, const ap::EditResult& edit,
                              const ap::Options& o) {
  int status = 0;
  for (const auto& n : notes) {
    sa::print_diag(kTool, n);
    if (n.severity == sa::Severity::error && status == 0) status = sa::exit_code(n.exit);
  }
  for (const auto& oc : outcomes) {
    if (oc.resolution) {
      for (const auto& w : oc.resolution->diagnostics()) sa::print_diag(kTool, w);
    } else {
      sa::print_diag(kTool, oc.error);
      if (status == 0) status = sa::exit_code(oc.error.exit);
    }
  }
  for (const auto& d : edit.duplicates) {
    sa::Diag n;
    n.severity = sa::Severity::note;
    n.message = "already in " + o.script + ": " + d.text();
    sa::print_diag(kTool, n);
  }
  for (const auto& m : edit.missing) {
    sa::Diag e =
        sa::Diag::error_at(sa::Exit::data_error, o.script, 0, "no probe of " + m + " to remove");
    sa::print_diag(kTool, e);
    if (status == 0) status = sa::exit_code(e.exit);
  }
  return status;
}

// --replace writes all or nothing: one location that does not resolve leaves the script untouched.
static bool all_resolved(const std::vector<ap::Outcome>& outcomes,
                         const std::vector<sa::Diag>& notes) {
  for (const auto& oc : outcomes)
    if (!oc.resolution) return false;
  for (const auto& n : notes)
    if (n.severity == sa::Severity::error) return false;
  return true;
}

// -v: the tree, .config, build folder and -r folder used, as notes.
static void report_choices(const ap::Resolver& resolver) {
  for (const auto& text : resolver.choices()) {
    sa::Diag n;
    n.severity = sa::Severity::note;
    n.message = text;
    sa::print_diag(kTool, n);
  }
}

static int run(int argc, char** argv) {
  ap::Options o;
  CLI::App app{kTool};
  sa::setup_app(app, kTool);
  ap::define_options(app, &o);
  if (auto code = sa::parse_args(app, kTool, argc, argv)) return *code;
  ap::finish_options(app, &o);
  sa::Diag err;
  if (!ap::validate_options(o, &err)) return sa::print_diag(kTool, err), sa::exit_code(err.exit);

  if (o.list) {
    auto text = ap::list_script(o.script, o.json, &err);
    if (!text) return sa::print_diag(kTool, err), sa::exit_code(err.exit);
    std::cout << *text;
    return 0;
  }

  ap::Resolver resolver(o.resolve_options(), nullptr);
  std::vector<sa::Diag> notes;  // --diff: what it skipped, or that it found nothing
  std::vector<ap::Outcome> outcomes = resolve_inputs(o, resolver, &notes);
  if (o.verbose) report_choices(resolver);
  if (o.check) {
    sa::Progress progress(kTool, sa::progress_on_tty());  // stap -p2 takes tens of seconds a run
    ap::CheckOptions check = o.check_options();
    check.progress = progress.fn();
    bool checked = ap::check_outcomes(check, &outcomes, &err);
    progress.done();
    if (!checked) return sa::print_diag(kTool, err), sa::exit_code(err.exit);
  }

  ap::EditResult edit;
  if (o.replace && !all_resolved(outcomes, notes)) {
    int status = report_diagnostics(outcomes, notes, edit, o);
    sa::print_diag(
        kTool, sa::Diag::error_at(sa::Exit::data_error, o.script, 0, "not written (--replace)"));
    return status;
  }
  bool edited = o.remove ? ap::remove_from_script(o.script_options(), outcomes, &edit, &err)
                         : ap::apply_to_script(o.script_options(), outcomes, &edit, &err);
  int status = report_diagnostics(outcomes, notes, edit, o);
  if (!edited) return sa::print_diag(kTool, err), sa::exit_code(err.exit);
  std::cout << ap::format_report(o.report_options(), outcomes, edit);
  return status;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    sa::print_diag(kTool,
                   sa::Diag::error(sa::Exit::internal, std::string("internal error: ") + e.what()));
  } catch (...) {
    sa::print_diag(kTool, sa::Diag::error(sa::Exit::internal, "internal error: unknown exception"));
  }
  return sa::exit_code(sa::Exit::internal);
}
