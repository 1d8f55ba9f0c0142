// SPDX-License-Identifier: GPL-2.0-or-later
// stap-addprobe's steps, in the order main() calls them: read the locations (arguments, "-" for
// stdin, or a unified diff), resolve each one (kernel tree -> build info -> function map from the
// cache or libclang -> probe rules), optionally check the probes with `stap -p2`, then edit the
// script (append, or remove) and format what happened as text or JSON. Nothing here prints or
// exits.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clang_index.h"
#include "diag.h"
#include "dwarf_facts.h"
#include "extents_cache.h"
#include "kernel_tree.h"
#include "location.h"
#include "probe_rules.h"
#include "progress.h"

namespace sa::addprobe {

// What each step needs, and nothing more; main() maps the command line (Options) into these.
struct ResolveOptions {   // the mode is each Location's own (--line LOCATION)
  std::string tree_dir;   // -C
  std::string build_dir;  // -r
  std::string cache_dir;  // empty: default_cache_dir(); "none" disables the cache
  ProbeCode code;
  bool accept_points = false;  // --remove: a literal probe point is a location
  bool checked = false;        // --check follows: stap -p2 settles lines DWARF cannot
};

struct CheckOptions {
  std::string stap = "stap";  // may be a command with words ("stap-testbed stap")
  std::string build_dir;      // -r
  ProgressFn progress;        // told of each stap run (may be empty)
};

struct ScriptOptions {
  std::string script = "tracer.stp";
  bool dry_run = false;
  bool replace = false;  // the preamble and exactly this run's probes, nothing else
};

struct ReportOptions {
  bool json = false;
  bool remove = false;
};

// The command line, as options.cc declares it.
struct Options {
  std::string script = "tracer.stp";
  std::string tree_dir;   // -C
  std::string build_dir;  // -r
  bool dry_run = false, json = false, check = false, list = false, remove = false, diff = false;
  bool verbose = false;
  ProbeCode code;
  std::vector<std::pair<std::string, Mode>> locations;  // as given, with the mode of each (--line)
  std::vector<std::string> positional, function_picks, line_picks;  // CLI11's three sources of them
  bool replace = false;   // --replace: write the preamble and exactly this run's probes
  std::string cache_dir;  // empty: default_cache_dir(); "none" disables the cache
  std::string stap = "stap";

  ResolveOptions resolve_options() const {
    return {tree_dir, build_dir, cache_dir, code, remove, check};
  }
  CheckOptions check_options() const { return {stap, build_dir}; }
  ScriptOptions script_options() const { return {script, dry_run, replace}; }
  ReportOptions report_options() const { return {json, remove}; }
};

// The new-side lines a unified diff adds or changes, per file (paths with a/ b/ prefixes removed).
struct DiffFile {
  std::string file;
  std::vector<int> lines;
  bool deleted = false;  // the patch deletes the file (`file` is its old name)
};
std::vector<DiffFile> parse_unified_diff(std::istream& in);

struct Outcome {
  Location location;
  std::optional<Resolution> resolution;
  Diag error;  // when !resolution
};

struct Stats {
  int parses = 0;      // files parsed with libclang
  int cache_hits = 0;  // files served from the extents cache
};

class Resolver {
 public:
  // `indexer` may be null: make_clang_indexer() is used on the first cache miss. `dwarf` may be
  // null: opened from opts.build_dir when it is set (-r), else statement lines stay unverified.
  Resolver(ResolveOptions opts, std::unique_ptr<SourceIndexer> indexer,
           std::unique_ptr<DwarfFacts> dwarf = nullptr);
  ~Resolver();
  Outcome resolve(const Location& loc);
  // Every function a diff touches, in function mode. What it skips (a deleted file, a hunk outside
  // every function, a file that is not C) goes to *notes as a note; a diff with nothing to probe
  // adds an error there.
  std::vector<Outcome> resolve_diff(const std::vector<DiffFile>& files, std::vector<Diag>* notes);
  const Stats& stats() const { return stats_; }
  // -v: which tree, .config, build folder and -r folder each location used (ktree::describe).
  std::vector<std::string> choices() const;

  // What is known about one file: build facts, function map, symbol facts (cached together).
  struct Facts {
    ktree::BuildInfo build;
    FileIndex index;  // empty when the file is not built
    SymbolFacts symbols;
    bool symbols_changed = false;  // new symbol facts to write back to the cache
    std::optional<CacheKey> key;
  };

 private:
  struct Tree;
  Outcome resolve_place(const Location& loc);
  Tree* tree_for(const std::string& start, Diag* err);
  // The build facts and function map of `rel`: from memory, the extents cache, or Kbuild +
  // libclang.
  Facts* facts_for(Tree& t, const std::string& rel, Diag* err);
  // Why resolve_in_file found nothing: the function is not defined there, or a real error.
  enum class Miss { none, no_definition, error };
  std::optional<Resolution> resolve_in_file(Tree& t, const Location& loc, const std::string& rel,
                                            Mode mode, Diag* err, Miss* miss = nullptr);
  std::vector<std::string> find_definitions(Tree& t, const std::string& name);

  ResolveOptions opts_;
  std::unique_ptr<SourceIndexer> indexer_;
  std::unique_ptr<DwarfFacts> dwarf_;
  std::vector<std::unique_ptr<Tree>> trees_;
  Stats stats_;
};

// --check: runs `stap -p2` on the probes; failing probes move to an error. Returns false when stap
// itself could not run (*err set).
bool check_outcomes(const CheckOptions& opts, std::vector<Outcome>* outcomes, Diag* err);

// What the script edit did, for the report.
struct EditResult {
  std::vector<Probe> added;          // appended (or, with --dry-run, that would be)
  std::vector<Probe> duplicates;     // already in the script
  std::vector<std::string> removed;  // --remove: the probe statements taken out
  std::vector<std::string> missing;  // --remove: the locations that named no probe of the script
  bool created = false;              // the script did not exist and was created with the preamble
};

// Appends the probes of the resolved outcomes to opts.script (or only computes it with --dry-run).
bool apply_to_script(const ScriptOptions& opts, const std::vector<Outcome>& outcomes,
                     EditResult* result, Diag* err);

// --remove: takes out the probes the outcomes name (resolved or literal points).
bool remove_from_script(const ScriptOptions& opts, const std::vector<Outcome>& outcomes,
                        EditResult* result, Diag* err);

// --list: the probes in the script, as text lines ("LINE: probe ...") or JSON objects, one a line.
std::optional<std::string> list_script(const std::string& script, bool json, Diag* err);

// The report on stdout: the probes (text) or one JSON object per location.
std::string format_report(const ReportOptions& opts, const std::vector<Outcome>& outcomes,
                          const EditResult& edit);

}  // namespace sa::addprobe
