// SPDX-License-Identifier: GPL-2.0-or-later
// stap-addprobe's steps; see addprobe.h. The resolver keeps, per kernel tree, the tree's
// description, its symbol table (loaded on the first function pick that needs it) and the function
// maps of the files it has seen, so a run over many locations parses each file at most once; across
// runs the extents cache does the same job without loading libclang.
#include "addprobe.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "atomic_file.h"
#include "dwarf_facts.h"
#include "extents_cache.h"
#include "json_format.h"
#include "preamble.h"
#include "script_edit.h"

namespace sa::addprobe {
namespace fs = std::filesystem;

namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

std::vector<DiffFile> parse_unified_diff(std::istream& in) {
  std::vector<DiffFile> out;
  std::string line, old_path;
  int next = 0;          // next new-side line number inside a hunk, 0 outside
  int left = 0;          // new-side lines left in the hunk
  bool deleted = false;  // the current file is deleted (+++ /dev/null): nothing to probe
  auto strip = [](std::string path) {
    size_t tab = path.find('\t');
    if (tab != std::string::npos) path = path.substr(0, tab);
    if (starts_with(path, "a/") || starts_with(path, "b/")) path = path.substr(2);
    return path;
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (starts_with(line, "--- ")) old_path = strip(line.substr(4));
    if (starts_with(line, "+++ ")) {
      std::string path = line.substr(4);
      deleted = strip(path) == "/dev/null";
      next = 0;
      out.push_back({deleted ? old_path : strip(path), {}, deleted});
      continue;
    }
    if (starts_with(line, "@@ ")) {
      size_t plus = line.find(" +");
      if (plus == std::string::npos || out.empty() || deleted) continue;
      long start = std::strtol(line.c_str() + plus + 2, nullptr, 10);
      size_t comma = line.find(',', plus);
      size_t end = line.find(' ', plus + 2);
      long count = (comma != std::string::npos && comma < end)
                       ? std::strtol(line.c_str() + comma + 1, nullptr, 10)
                       : 1;
      if (start < 0 || start > kMaxLine || count < 0 || count > kMaxLine)
        continue;  // not a hunk header
      left = static_cast<int>(count);
      next = static_cast<int>(start);
      if (left == 0) out.back().lines.push_back(std::max(1, next));  // pure deletion after `start`
      continue;
    }
    if (next == 0 || out.empty()) continue;
    if (starts_with(line, "+")) {
      out.back().lines.push_back(next++);
      --left;
    } else if (starts_with(line, "-")) {
      out.back().lines.push_back(next);  // a deletion shows at the line that follows it
    } else if (starts_with(line, " ") || line.empty()) {
      ++next;
      --left;
    }
    if (left <= 0) next = 0;
  }
  for (auto& f : out) {
    std::sort(f.lines.begin(), f.lines.end());
    f.lines.erase(std::unique(f.lines.begin(), f.lines.end()), f.lines.end());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

// A symbol table that answers from the facts remembered in the file's cache entry and asks the real
// table (loaded on first need, ~150 ms for a System.map + vmlinux) only about what it has not seen.
class RememberingSymbols : public ktree::SymbolTable {
 public:
  RememberingSymbols(Resolver::Facts* facts, std::function<const ktree::SymbolTable*()> load)
      : facts_(facts), load_(std::move(load)) {}
  bool knows(const std::string& module) const override {
    auto it = facts_->symbols.knows.find(module);
    if (it != facts_->symbols.knows.end()) return it->second;
    bool k = load_()->knows(module);
    facts_->symbols.knows[module] = k;
    facts_->symbols_changed = true;
    return k;
  }
  bool has_function(const std::string& module, const std::string& name) const override {
    return lookup(module, name).present;
  }
  std::string section(const std::string& module, const std::string& name) const override {
    return lookup(module, name).section;
  }

 private:
  const SymbolFacts::Name& lookup(const std::string& module, const std::string& name) const {
    std::string key = module + "\n" + name;
    auto it = facts_->symbols.names.find(key);
    if (it != facts_->symbols.names.end()) return it->second;
    const ktree::SymbolTable* real = load_();
    SymbolFacts::Name n{real->has_function(module, name), real->section(module, name)};
    facts_->symbols_changed = true;
    return facts_->symbols.names[key] = n;
  }
  Resolver::Facts* facts_;
  std::function<const ktree::SymbolTable*()> load_;
};

struct Resolver::Tree {
  ktree::KernelTree kt;
  std::unique_ptr<ktree::SymbolTable> symbols;  // loaded on first need
  std::map<std::string, Facts> files;           // rel path -> build facts and map
};

Resolver::Resolver(ResolveOptions opts, std::unique_ptr<SourceIndexer> indexer,
                   std::unique_ptr<DwarfFacts> dwarf)
    : opts_(std::move(opts)), indexer_(std::move(indexer)), dwarf_(std::move(dwarf)) {
  if (!dwarf_ && !opts_.build_dir.empty()) dwarf_ = open_dwarf_facts(opts_.build_dir);
}

Resolver::~Resolver() = default;

std::vector<std::string> Resolver::choices() const {
  std::vector<std::string> out;
  for (const auto& t : trees_)
    for (auto& line : ktree::describe(t->kt)) out.push_back(std::move(line));
  return out;
}

Resolver::Tree* Resolver::tree_for(const std::string& start, Diag* err) {
  std::error_code ec;
  for (auto& t : trees_) {
    if (!opts_.tree_dir.empty()) return t.get();  // -C names the one tree
    fs::path p = fs::absolute(start.empty() ? "." : start, ec).lexically_normal();
    std::string s = p.string();
    if (s == t->kt.src || starts_with(s, t->kt.src + "/")) return t.get();
  }
  auto kt =
      ktree::find_kernel_tree(start.empty() ? "." : start, opts_.tree_dir, opts_.build_dir, err);
  if (!kt) return nullptr;
  auto t = std::make_unique<Tree>();
  t->kt = *kt;
  trees_.push_back(std::move(t));
  return trees_.back().get();
}

Resolver::Facts* Resolver::facts_for(Tree& t, const std::string& rel, Diag* err) {
  auto found = t.files.find(rel);
  if (found != t.files.end()) return &found->second;
  std::string target = t.kt.src + "/" + rel;
  std::string dir = opts_.cache_dir.empty() ? default_cache_dir() : opts_.cache_dir;
  bool use_cache = opts_.cache_dir != "none";
  auto key = cache_key(target, flags_context(t.kt, opts_.build_dir, rel));
  if (use_cache && key) {
    if (auto hit = cache_load(dir, *key)) {
      ++stats_.cache_hits;
      Facts& f = t.files[rel];
      f.build = std::move(hit->build);
      f.index = std::move(hit->index);
      f.symbols = std::move(hit->symbols);
      f.key = key;
      return &f;
    }
  }
  Facts facts;
  facts.key = key;
  facts.build = ktree::build_info(t.kt, rel);
  // A file Kbuild compiles through an explicit rule of another folder's Makefile
  // ($(obj)/x.o: $(srctree)/other/x.c) looks unbuilt to build_info; vmlinux's DWARF names every
  // file compiled into it (the compile unit's DW_AT_name), and with -r that is the truth.
  if (facts.build.kind == ktree::BuildInfo::Kind::not_built && dwarf_ &&
      dwarf_->has_compile_unit("", rel)) {
    facts.build = ktree::BuildInfo{};
    facts.build.kind = ktree::BuildInfo::Kind::builtin;
  }
  const ktree::BuildInfo& bi = facts.build;
  if (bi.kind != ktree::BuildInfo::Kind::not_built) {
    std::string main_rel = bi.includer.empty() ? rel : bi.includer;
    ParseRequest req;
    req.main_file = t.kt.src + "/" + main_rel;
    req.target_file = target;
    bool is_module = bi.kind == ktree::BuildInfo::Kind::module;
    req.args = ktree::compile_args(t.kt, main_rel, is_module ? bi.module : "", is_module);
    if (!indexer_) indexer_ = make_clang_indexer();
    auto idx = indexer_->index(req, err);
    if (!idx) return nullptr;
    ++stats_.parses;
    facts.index = std::move(*idx);
  }
  if (use_cache && key) {
    Diag ignored;  // a cache that cannot be written only costs time
    cache_store(dir, *key, CacheEntry{facts.build, facts.index, facts.symbols}, &ignored);
  }
  return &(t.files[rel] = std::move(facts));
}

std::vector<std::string> Resolver::find_definitions(Tree& t, const std::string& name) {
  // A plain text search of the tree's .c files for lines that can start a definition of `name`;
  // the parse then confirms. SYSCALL names are searched as their SYSCALL_DEFINE invocation.
  std::string needle = name + "(";
  std::string sys;
  for (const char* p : {"__x64_sys_", "__se_sys_", "__do_sys_", "sys_"})
    if (starts_with(name, p)) {
      sys = name.substr(std::char_traits<char>::length(p));
      break;
    }
  std::vector<std::string> out;
  std::error_code ec;
  static const std::set<std::string> skip = {"Documentation", "tools",    "scripts", "samples",
                                             "usr",           "LICENSES", ".git",    "rust"};
  fs::recursive_directory_iterator it(t.kt.src, fs::directory_options::skip_permission_denied, ec),
      end;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    if (it.depth() == 0 && it->is_directory(ec) && skip.count(it->path().filename().string())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().extension() != ".c" || !it->is_regular_file(ec)) continue;
    Diag ignored;
    auto text = read_file(it->path().string(), &ignored);
    if (!text) continue;
    bool hit = false;
    for (size_t pos = text->find(sys.empty() ? needle : sys); pos != std::string::npos && !hit;
         pos = text->find(sys.empty() ? needle : sys, pos + 1)) {
      size_t bol = text->rfind('\n', pos);
      bol = bol == std::string::npos ? 0 : bol + 1;
      char first = (*text)[bol];
      if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_')) continue;
      if (pos > 0 &&
          (std::isalnum(static_cast<unsigned char>((*text)[pos - 1])) || (*text)[pos - 1] == '_'))
        continue;
      if (!sys.empty()) {
        size_t after = pos + sys.size();
        if (after >= text->size() || ((*text)[after] != ',' && (*text)[after] != ')')) continue;
        if (text->compare(bol, 14, "SYSCALL_DEFINE") != 0) continue;
        hit = true;
        continue;
      }
      size_t eol = text->find('\n', pos);
      std::string rest =
          trim(text->substr(pos, (eol == std::string::npos ? text->size() : eol) - pos));
      if (!rest.empty() && rest.back() == ';') continue;
      hit = true;
    }
    if (hit) out.push_back(fs::path(it->path()).lexically_relative(t.kt.src).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The pipeline for one location in one file: locate (facts: cache or libclang; the function and the
// line's #if state) -> rules -> DWARF -> the typed Resolution. --check and rendering come after.
std::optional<Resolution> Resolver::resolve_in_file(Tree& t, const Location& loc,
                                                    const std::string& rel, Mode mode, Diag* err,
                                                    Miss* miss) {
  Miss ignored_miss;
  if (!miss) miss = &ignored_miss;
  *miss = Miss::error;
  Facts* facts = facts_for(t, rel, err);
  if (!facts) return std::nullopt;
  const ktree::BuildInfo& bi = facts->build;
  if (bi.kind == ktree::BuildInfo::Kind::not_built) {
    *err = Diag::error_at(Exit::data_error, rel, loc.line,
                          "this file is not built in this kernel configuration");
    if (!bi.reason.empty()) err->note(bi.reason);
    return std::nullopt;
  }
  const FileIndex* idx = &facts->index;
  auto parse_note = [&](Diag* d) {
    if (idx->errors > 0)
      d->note("libclang reported " + std::to_string(idx->errors) +
              " errors in this file, so its function map may be incomplete" +
              (idx->first_errors.empty() ? "" : ": " + idx->first_errors[0]));
  };
  const FunctionInfo* f = nullptr;
  if (loc.line > 0) {
    if (line_skipped(*idx, loc.line)) {
      *err = Diag::error_at(Exit::data_error, rel, loc.line,
                            "this line is in code disabled by #if in this kernel configuration");
      return std::nullopt;
    }
    f = function_at_line(*idx, loc.line);
    if (!f) {
      *err = Diag::error_at(Exit::data_error, rel, loc.line, "this line is not inside a function");
      if (const FunctionInfo* n = nearest_function(*idx, loc.line))
        err->note("the nearest function is " + n->name + " (lines " +
                  std::to_string(n->start_line) + "-" + std::to_string(n->end_line) + ")");
      parse_note(err);
      return std::nullopt;
    }
  } else {
    f = function_named(*idx, loc.function);
    if (!f && starts_with(loc.function, "sys_")) f = function_named(*idx, "__do_" + loc.function);
    if (!f) f = function_named(*idx, "__do_sys_" + loc.function);  // kernel/sys.c:getpid
    if (!f) {
      *err = Diag::error_at(Exit::data_error, rel, 0,
                            "no definition of " + loc.function + " in this file");
      parse_note(err);
      *miss = Miss::no_definition;
      return std::nullopt;
    }
  }
  RuleInput in;
  in.function = f;
  in.rel_file = rel;
  in.build = bi;
  in.code = opts_.code;
  in.mode = mode;
  in.line = loc.line > 0 ? loc.line : f->body_line;
  if (loc.line <= 0 && f->name != loc.function &&
      std::find(f->companions.begin(), f->companions.end(), loc.function) != f->companions.end())
    in.symbol = loc.function;  // a stub the macro generates, picked by its name
  // Without -r, a tree built against Debian's linux-headers-RELEASE takes that release's symbol
  // tables (/boot/System.map-RELEASE, /lib/modules/RELEASE) when the kernel is installed.
  std::string build = opts_.build_dir;
  std::string obj_name = fs::path(t.kt.obj).filename().string();
  if (build.empty() && starts_with(obj_name, "linux-headers-")) build = obj_name.substr(14);
  // Its loader refers to `build`: both live to the end. Line picks ask it too: a statement probe
  // names a function only when it has an out-of-line copy.
  std::string fp = symbols_fingerprint(t.kt, build);
  if (facts->symbols.fingerprint != fp) facts->symbols = SymbolFacts{fp, {}, {}};
  RememberingSymbols symbols(facts, [&]() -> const ktree::SymbolTable* {
    if (!t.symbols) t.symbols = ktree::load_symbols(t.kt, build);
    return t.symbols.get();
  });
  in.symbols = &symbols;
  auto r = apply_rules(in, err);
  if (facts->symbols_changed && facts->key && opts_.cache_dir != "none") {
    Diag ignored;
    cache_store(opts_.cache_dir.empty() ? default_cache_dir() : opts_.cache_dir, *facts->key,
                CacheEntry{facts->build, facts->index, facts->symbols}, &ignored);
    facts->symbols_changed = false;
  }
  if (!r) return std::nullopt;
  if (dwarf_ && !refine_with_dwarf(*dwarf_, bi, rel, *f, &*r, err, opts_.checked))
    return std::nullopt;
  if (r->refusal) {  // no DWARF showed copies that stap probes
    *err = *r->refusal;
    return std::nullopt;
  }
  if (r->kind == TargetKind::statement && !r->line_verified && !opts_.checked &&
      may_hold_code(*f, r->picked_line)) {
    Note n{NoteKind::unverified};
    n.line = r->line;
    r->notes.push_back(n);
  }
  r->input = loc.input;
  *miss = Miss::none;
  return r;
}

namespace {

// Every function name a resolution stands for: the source function, the symbol probed, and the
// symbols its probe points name (a SYSCALL's stubs).
std::set<std::string> names_of(const Resolution& r) {
  std::set<std::string> names{r.source_function, r.function};
  for (const auto& t : r.targets)
    if (t.kind != PointKind::literal) names.insert(t.symbol);
  return names;
}

}  // namespace

// The spellings that need an answer first: FUNCTION:N (the function's first line, then the line),
// FUNCTION@FILE:LINE (the line must be in FUNCTION) and %return (only the exits).
Outcome Resolver::resolve(const Location& loc) {
  if (loc.kind == Location::Kind::function_line) {
    Location fn = loc;
    fn.kind = Location::Kind::function;
    fn.mode = Mode::function;
    Outcome f = resolve_place(fn);
    f.location = loc;
    if (!f.resolution) return f;
    const Resolution fr = *f.resolution;
    f.resolution.reset();
    Location at = loc;
    at.kind = Location::Kind::line;
    at.line = fr.line + loc.relative_line;
    Tree* t = tree_for(".", &f.error);
    if (!t) return f;
    auto r = resolve_in_file(*t, at, fr.file, at.mode, &f.error);
    if (!r) return f;
    if (r->source_function != fr.source_function) {
      f.error =
          Diag::error_at(Exit::data_error, fr.file, at.line,
                         "line " + std::to_string(loc.relative_line) + " of " + loc.function +
                             " is outside it (it starts at line " + std::to_string(fr.line) + ")");
      return f;
    }
    r->input = loc.input;
    f.resolution = std::move(*r);
    return f;
  }
  Outcome o = resolve_place(loc);
  if (!o.resolution) return o;
  Resolution& r = *o.resolution;
  if (loc.kind == Location::Kind::line && !loc.function.empty() &&
      !names_of(r).count(loc.function)) {
    o.error = Diag::error_at(Exit::data_error, r.file, loc.line,
                             "this line is in " + r.source_function + ", not in " + loc.function);
    o.resolution.reset();
    return o;
  }
  if (loc.returns_only) {
    std::vector<ProbeTarget> exits;
    for (const auto& t : r.targets)
      if (t.suffix == Suffix::return_) exits.push_back(t);
    if (exits.empty()) {
      o.error = Diag::error_at(
          Exit::data_error, r.file, r.line,
          r.function + (r.kind == TargetKind::inline_function ? " is inlined, so it" : "") +
              " has no return probe");
      o.resolution.reset();
      return o;
    }
    r.targets = exits;
  }
  return o;
}

Outcome Resolver::resolve_place(const Location& loc) {
  Outcome o;
  o.location = loc;
  Diag err;
  if (!loc.point.empty()) {
    if (!opts_.accept_points) {
      o.error =
          Diag::error(Exit::usage, "a probe point is accepted only with --remove: " + loc.point);
      return o;
    }
    Resolution r;
    r.input = loc.input;
    r.kind = TargetKind::point;
    ProbeTarget p;
    p.kind = PointKind::literal;
    p.literal = loc.point;
    r.targets.push_back(p);
    o.resolution = r;
    return o;
  }
  Tree* t = tree_for(loc.file.empty() ? "." : loc.file, &err);
  if (!t) {
    o.error = err;
    return o;
  }
  std::string rel;
  if (loc.file.empty()) {
    auto files = find_definitions(*t, loc.function);
    std::vector<std::pair<std::string, Resolution>> found;
    Diag last;
    for (const auto& f : files) {
      Diag e;
      Miss miss;
      if (auto r = resolve_in_file(*t, loc, f, loc.mode, &e, &miss))
        found.emplace_back(f, *r);
      else if (miss != Miss::no_definition)
        last = e;
    }
    if (found.size() == 1) {
      o.resolution = found[0].second;
      return o;
    }
    if (found.empty()) {
      o.error = last.message.empty()
                    ? Diag::error(Exit::data_error,
                                  "no definition of " + loc.function + " in " + t->kt.src)
                    : last;
      return o;
    }
    o.error = Diag::error(Exit::data_error, loc.function + " is defined in " +
                                                std::to_string(found.size()) + " files");
    for (const auto& [f, r] : found)
      o.error.note("write " + f + ":" + loc.function + " for the one in " + f);
    return o;
  }
  auto r = ktree::relative_to_tree(t->kt, loc.file, &err);
  if (!r) {
    o.error = err;
    return o;
  }
  auto res = resolve_in_file(*t, loc, *r, loc.mode, &err);
  if (res)
    o.resolution = std::move(*res);
  else
    o.error = err;
  return o;
}

namespace {

bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

Diag diff_note(const std::string& file, int line, const std::string& msg) {
  Diag d = Diag::error_at(Exit::ok, file, line, msg);
  d.severity = Severity::note;
  return d;
}

}  // namespace

std::vector<Outcome> Resolver::resolve_diff(const std::vector<DiffFile>& files,
                                            std::vector<Diag>* notes) {
  std::vector<Outcome> out;
  for (const auto& df : files) {
    if (df.deleted) {
      notes->push_back(diff_note(df.file, 0, "skipped: the patch deletes this file"));
      continue;
    }
    bool header = ends_with(df.file, ".h");
    if (!ends_with(df.file, ".c") && !header) {
      notes->push_back(diff_note(df.file, 0, "skipped: not C source"));
      continue;
    }
    if (df.lines.empty()) {
      notes->push_back(diff_note(df.file, 0, "skipped: no changed lines"));
      continue;
    }
    Diag err;
    std::string start = opts_.tree_dir.empty() ? "." : opts_.tree_dir;
    Tree* t = tree_for(start, &err);
    Outcome failed;
    failed.location.input = df.file;
    failed.location.file = df.file;
    if (!t) {
      failed.error = err;
      out.push_back(failed);
      continue;
    }
    std::string abs = t->kt.src + "/" + df.file;
    const Facts* facts = facts_for(*t, df.file, &err);
    if (!facts || facts->build.kind == ktree::BuildInfo::Kind::not_built) {
      if (header && facts) {
        notes->push_back(diff_note(
            df.file, 0, "skipped: this header is not built in this kernel configuration"));
        continue;
      }
      failed.error = facts ? Diag::error_at(Exit::data_error, df.file, 0,
                                            "this file is not built in this kernel configuration")
                           : err;
      out.push_back(failed);
      continue;
    }
    const FileIndex* idx = &facts->index;
    std::set<std::string> done;
    for (int line : df.lines) {
      const FunctionInfo* f = function_at_line(*idx, line);
      if (line_skipped(*idx, line)) {
        notes->push_back(
            diff_note(df.file, line, "skipped: this change is in code disabled by #if"));
        continue;
      }
      if (!f) {
        notes->push_back(diff_note(df.file, line, "skipped: this change is outside any function"));
        continue;
      }
      if (!done.insert(f->name).second) continue;
      Location loc;
      loc.kind = Location::Kind::function;
      loc.file = abs;
      loc.function = f->name;
      loc.input = df.file + ":" + f->name;
      Outcome o;
      o.location = loc;
      Diag e;
      auto r = resolve_in_file(*t, loc, df.file, Mode::function, &e);
      if (r)
        o.resolution = std::move(*r);
      else
        o.error = e;
      out.push_back(o);
    }
  }
  if (files.empty())
    notes->push_back(
        Diag::error(Exit::data_error, "no unified diff on standard input (no '+++ FILE' line)"));
  else if (out.empty())
    notes->push_back(
        Diag::error(Exit::data_error, "the diff changes no function that can be probed"));
  return out;
}

// ---------------------------------------------------------------------------------------------------

namespace {

std::vector<Probe> wanted_probes(const std::vector<Outcome>& outcomes) {
  std::vector<Probe> out;
  for (const auto& o : outcomes)
    if (o.resolution)
      for (const auto& p : o.resolution->probes()) out.push_back(p);
  return out;
}

}  // namespace

bool apply_to_script(const ScriptOptions& opts, const std::vector<Outcome>& outcomes,
                     EditResult* result, Diag* err) {
  std::vector<Probe> want = wanted_probes(outcomes);
  if (want.empty() && !opts.replace) return true;
  auto edit = [&](std::string& content, bool existed, Diag* e) -> bool {
    if (!existed || opts.replace) {  // --replace: the preamble and this run's probes, nothing else
      auto pre = load_preamble("", PreambleParams{}, e);
      if (!pre) return false;
      content = *pre;
      result->created = !existed;
    }
    auto parts = split_script(content, opts.script, e);
    if (!parts) return false;
    if (!check_script_body(content, parts->preamble.size(), opts.script, e)) return false;
    result->added = append_probes(&content, parts->preamble.size(), want);
    std::set<std::pair<std::string, std::string>> added;
    for (const auto& a : result->added) added.insert({a.point, a.body});
    for (const auto& p : want)
      if (!added.count({p.point, p.body})) result->duplicates.push_back(p);
    return !result->added.empty() || result->created || opts.replace;
  };
  if (opts.dry_run) {
    Diag read_err;
    auto text = read_file(opts.script, &read_err);
    std::string content = text ? *text : "";
    if (!text && read_err.exit != Exit::no_input) {
      *err = read_err;
      return false;
    }
    Diag e;
    if (!edit(content, !content.empty(), &e) && !e.message.empty()) {
      *err = e;
      return false;
    }
    return true;
  }
  return edit_file_locked(opts.script, edit, err);
}

namespace {

// A SYSCALL's family: SYSCALL_DEFINEn(x) makes __do_sys_x, __se_sys_x, __x64_sys_x and
// __ia32_sys_x, and which of them carry probes depends on what the symbol tables said when they
// were added (-r).
void add_syscall_family(std::set<std::string>* names) {
  static const char* const kStubs[] = {"__do_sys_", "__se_sys_", "__x64_sys_", "__ia32_sys_"};
  std::set<std::string> more;
  for (const auto& n : *names)
    for (const char* stub : kStubs)
      if (starts_with(n, stub))
        for (const char* other : kStubs)
          more.insert(other + n.substr(std::char_traits<char>::length(stub)));
  names->insert(more.begin(), more.end());
}

// `PREFIX.function("NAME@FILE")SUFFIX` split into PREFIX, NAME and FILE; false for other points.
bool split_function_point(const std::string& point, std::string* prefix, std::string* name,
                          std::string* file) {
  size_t f = point.find(".function(\"");
  if (f == std::string::npos) return false;
  size_t at = point.find('@', f);
  size_t q = point.find('"', f + 11);
  if (at == std::string::npos || q == std::string::npos || at > q) return false;
  *prefix = point.substr(0, f);
  *name = point.substr(f + 11, at - f - 11);
  *file = point.substr(at + 1, q - at - 1);
  return true;
}

// What a pick added: for a function pick every entry and exit probe of the function and its SYSCALL
// stubs in that file, whatever the suffixes (with or without -r they differ); for a line or a
// literal point, the points themselves.
std::function<bool(const std::string&)> added_by(const Outcome& o) {
  const Resolution& r = *o.resolution;
  std::set<std::string> exact;
  for (const auto& p : r.probes()) exact.insert(p.point);
  std::set<std::string> names = names_of(r);
  add_syscall_family(&names);
  std::string want_prefix = r.module.empty() ? "kernel" : "module(\"" + r.module + "\")";
  bool function_pick =
      o.location.kind != Location::Kind::point && o.location.mode == Mode::function;
  return [=](const std::string& point) {
    if (exact.count(point)) return true;
    std::string prefix, name, file;
    return function_pick && split_function_point(point, &prefix, &name, &file) &&
           prefix == want_prefix && file == r.file && names.count(name) > 0;
  };
}

}  // namespace

bool remove_from_script(const ScriptOptions& opts, const std::vector<Outcome>& outcomes,
                        EditResult* result, Diag* err) {
  std::vector<const Outcome*> picks;
  for (const auto& o : outcomes)
    if (o.resolution) picks.push_back(&o);
  if (picks.empty()) return true;
  auto edit = [&](std::string& content, bool existed, Diag* e) -> bool {
    if (!existed) {
      *e = Diag::error_at(Exit::no_input, opts.script, 0, "no such script");
      return false;
    }
    auto parts = split_script(content, opts.script, e);
    if (!parts) return false;
    std::vector<std::function<bool(const std::string&)>> tests;
    for (const Outcome* o : picks) tests.push_back(added_by(*o));
    std::vector<int> hits(picks.size(), 0);
    auto removed = remove_probes(&content, parts->preamble.size(), [&](const std::string& point) {
      bool any = false;
      for (size_t i = 0; i < tests.size(); ++i)
        if (tests[i](point)) ++hits[i], any = true;
      return any;
    });
    for (const auto& r : removed)
      result->removed.push_back("probe " + r.point + " { " + r.body + " }");
    for (size_t i = 0; i < picks.size(); ++i)
      if (hits[i] == 0) result->missing.push_back(picks[i]->location.input);
    return !result->removed.empty() && !opts.dry_run;
  };
  if (opts.dry_run) {
    auto text = read_file(opts.script, err);
    if (!text) return false;
    Diag e;
    if (!edit(*text, !text->empty(), &e) && !e.message.empty()) {
      *err = e;
      return false;
    }
    return true;
  }
  return edit_file_locked(opts.script, edit, err);
}

std::optional<std::string> list_script(const std::string& script, bool json, Diag* err) {
  auto text = read_file(script, err);
  if (!text) return std::nullopt;
  auto parts = split_script(*text, script, err);
  if (!parts) return std::nullopt;
  std::string out;
  for (const auto& p : list_probes(*text, parts->preamble.size())) {
    if (json) {
      nlohmann::ordered_json j = {
          {"format", kJsonFormat}, {"line", p.line}, {"point", p.point}, {"body", p.body}};
      out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    } else {
      out += std::to_string(p.line) + ": probe " + p.point + " { " + p.body + " }\n";
    }
  }
  return out;
}

std::string format_report(const ReportOptions& opts, const std::vector<Outcome>& outcomes,
                          const EditResult& edit) {
  std::string out;
  if (!opts.json) {
    if (opts.remove) {
      for (const auto& r : edit.removed) out += r + "\n";
      return out;
    }
    for (const auto& p : edit.added) out += p.text() + "\n";
    return out;
  }
  // One object per location, as share/json-format.md has it (format 1).
  using J = nlohmann::ordered_json;
  auto dump = [](const J& j) { return j.dump(-1, ' ', false, J::error_handler_t::replace) + "\n"; };
  for (const auto& o : outcomes) {
    J j;
    j["format"] = kJsonFormat;
    j["input"] = o.location.input;
    if (!o.resolution) {
      j["error"] = o.error.message;
      j["notes"] = o.error.notes;
      out += dump(j);
      continue;
    }
    const Resolution& r = *o.resolution;
    j["function"] = r.function;
    j["source_function"] = r.source_function;
    j["file"] = r.file;
    j["line"] = r.line;
    j["module"] = r.module.empty() ? J(nullptr) : J(r.module);  // null: vmlinux
    j["kind"] = kind_name(r.kind);
    j["probes"] = J::array();
    for (const auto& p : r.probes()) {
      bool dup = std::any_of(edit.duplicates.begin(), edit.duplicates.end(), [&](const Probe& d) {
        return d.point == p.point && d.body == p.body;
      });
      j["probes"].push_back({{"point", p.point}, {"body", p.body}, {"already_present", dup}});
    }
    j["notes"] = r.note_texts();
    out += dump(j);
  }
  return out;
}

}  // namespace sa::addprobe
