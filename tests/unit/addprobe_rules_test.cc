// SPDX-License-Identifier: GPL-2.0-or-later
// The probe rules, the script edits and the extents cache, without libclang: function maps are
// written by hand (the in-memory twin of the indexer) and symbol tables are fakes.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "addprobe.h"
#include "addprobe_fixtures.h"
#include "extents_cache.h"
#include "probe_rules.h"
#include "script_edit.h"

using namespace sa::addprobe;
using sa::addprobe::testing::fn;

namespace {

struct FakeSymbols : sa::ktree::SymbolTable {
  std::set<std::string> names;
  bool known = true;
  bool knows(const std::string& module) const override { return known && module.empty(); }
  bool has_function(const std::string&, const std::string& name) const override {
    return names.count(name) > 0;
  }
};

Resolution run(const FunctionInfo& f, Mode mode, int line, const sa::ktree::SymbolTable* syms,
               const std::string& module = "", const std::string& symbol = "") {
  RuleInput in;
  in.symbol = symbol;
  in.function = &f;
  in.rel_file = "fs/open.c";
  if (!module.empty()) {
    in.build.kind = sa::ktree::BuildInfo::Kind::module;
    in.build.module = module;
  }
  in.symbols = syms;
  in.mode = mode;
  in.line = line;
  sa::Diag err;
  auto r = apply_rules(in, &err);
  REQUIRE_MESSAGE(r.has_value(), err.message);
  return *r;
}

std::vector<std::string> texts(const Resolution& r) {
  std::vector<std::string> out;
  for (const auto& p : r.probes()) out.push_back(p.text());
  return out;
}

}  // namespace

TEST_CASE("a real function: .call and .return on NAME@FILE") {
  auto f = fn("vfs_open", 10, 11, 20, {12, 13});
  auto r = run(f, Mode::function, 0, nullptr);
  CHECK(texts(r) == std::vector<std::string>{
                        "probe kernel.function(\"vfs_open@fs/open.c\").call { trace_call() }",
                        "probe kernel.function(\"vfs_open@fs/open.c\").return { trace_return() }"});
  CHECK(r.kind == TargetKind::function);
  auto m = run(f, Mode::function, 0, nullptr, "ext4");
  CHECK(m.probes()[0].point == "module(\"ext4\").function(\"vfs_open@fs/open.c\").call");
}

TEST_CASE("SYSCALL_DEFINEn: __x64_sys_ wrapper unless __do_sys_ is a real symbol") {
  auto f = fn("__do_sys_openat", 1347, 1349, 1353, {1350, 1351, 1352});
  f.macro = "SYSCALL_DEFINE4";
  f.is_inline = true;
  f.companions = {"__se_sys_openat", "__x64_sys_openat"};
  auto r = run(f, Mode::function, 0, nullptr);
  CHECK(r.function == "__x64_sys_openat");
  CHECK(r.source_function == "__do_sys_openat");
  CHECK(r.targets.size() == 2);
  CHECK(r.probes()[0].point == "kernel.function(\"__x64_sys_openat@fs/open.c\").call");
  auto line = run(f, Mode::line, 1351, nullptr);
  CHECK(texts(line) ==
        std::vector<std::string>{
            "probe kernel.statement(\"__do_sys_openat@fs/open.c:1351\") { trace_line() }"});
  FakeSymbols syms;
  syms.names = {"__do_sys_openat", "__x64_sys_openat"};
  CHECK(run(f, Mode::function, 0, &syms).function == "__do_sys_openat");

  // With a symbol table that shows __se_sys_openat inlined: entries on its copies (the arguments),
  // exits on both stubs.
  syms.names = {"__x64_sys_openat", "__ia32_sys_openat"};
  auto t = run(f, Mode::function, 0, &syms);
  CHECK(t.function == "__x64_sys_openat");
  CHECK(texts(t) ==
        std::vector<std::string>{
            "probe kernel.function(\"__se_sys_openat@fs/open.c\").inline { trace_call() }",
            "probe kernel.function(\"__x64_sys_openat@fs/open.c\").return { trace_return() }",
            "probe kernel.function(\"__ia32_sys_openat@fs/open.c\").return { trace_return() }"});
  CHECK(t.notes.back().message() ==
        "entries on __se_sys_openat (inlined into the stubs; its parameters are the syscall's "
        "arguments as longs), exits on __x64_sys_openat and __ia32_sys_openat");
  syms.names = {"__x64_sys_openat"};
  CHECK(run(f, Mode::function, 0, &syms).targets.size() == 2);
  syms.names = {"__x64_sys_openat", "__se_sys_openat"};  // not inlined: the stub as before
  CHECK(run(f, Mode::function, 0, &syms).probes()[0].point ==
        "kernel.function(\"__x64_sys_openat@fs/open.c\").call");

  auto g = fn("__do_sys_getpid", 1, 2, 4, {3});
  g.macro = "SYSCALL_DEFINE0";
  CHECK(run(g, Mode::function, 0, nullptr).function == "__do_sys_getpid");
  auto c = fn("__do_compat_sys_openat", 1, 2, 4, {3});
  c.macro = "COMPAT_SYSCALL_DEFINE4";
  CHECK(run(c, Mode::function, 0, nullptr).function == "__ia32_compat_sys_openat");
  auto b = fn("____bpf_map_lookup_elem", 1, 2, 4, {3});
  b.macro = "BPF_CALL_2";
  CHECK(run(b, Mode::function, 0, nullptr).function == "bpf_map_lookup_elem");
  CHECK(run(b, Mode::line, 3, nullptr).probes()[0].point ==
        "kernel.statement(\"____bpf_map_lookup_elem@fs/open.c:3\")");
}

TEST_CASE("a pick naming a stub the macro generates probes that stub, not the syscall") {
  auto f = fn("__do_sys_openat", 1347, 1349, 1353, {1350, 1351, 1352});
  f.macro = "SYSCALL_DEFINE4";
  f.is_inline = true;
  f.companions = {"__se_sys_openat", "__x64_sys_openat", "__ia32_sys_openat"};
  FakeSymbols syms;
  syms.names = {"__x64_sys_openat", "__ia32_sys_openat"};  // __se_sys_openat inlined into both
  auto se = run(f, Mode::function, 0, &syms, "", "__se_sys_openat");
  CHECK(se.function == "__se_sys_openat");
  CHECK(se.source_function == "__do_sys_openat");
  CHECK(texts(se) ==
        std::vector<std::string>{
            "probe kernel.function(\"__se_sys_openat@fs/open.c\").inline { trace_call() }"});
  auto ia32 = run(f, Mode::function, 0, &syms, "", "__ia32_sys_openat");
  CHECK(ia32.function == "__ia32_sys_openat");
  CHECK(texts(ia32) ==
        std::vector<std::string>{
            "probe kernel.function(\"__ia32_sys_openat@fs/open.c\").call { trace_call() }",
            "probe kernel.function(\"__ia32_sys_openat@fs/open.c\").return { trace_return() }"});
  // The syscall's own stub is the syscall answer, as without a stub named.
  CHECK(texts(run(f, Mode::function, 0, &syms, "", "__x64_sys_openat")) ==
        texts(run(f, Mode::function, 0, &syms)));
}

TEST_CASE(
    "a refused function: its lines, and its inlined-everywhere copies when refused for its "
    "section alone, wait for the DWARF step; the rest is an error") {
  FakeSymbols syms;  // knows vmlinux; neither function below has a symbol (inlined everywhere)
  auto blocked = fn("foo_intr_check", 10, 11, 20, {12, 13});  // stap's blocklist: .*_intr.*
  blocked.is_static = true;
  auto line = run(blocked, Mode::line, 12, &syms);
  REQUIRE(line.refusal.has_value());
  CHECK(line.refusal->message ==
        "systemtap cannot probe foo_intr_check: foo_intr_check is on systemtap's function "
        "blocklist (allowed only in guru mode, -g)");
  CHECK(texts(line) ==
        std::vector<std::string>{"probe kernel.statement(\"*@fs/open.c:12\") { trace_line() }"});
  RuleInput in;
  in.function = &blocked;
  in.rel_file = "fs/open.c";
  in.symbols = &syms;
  sa::Diag err;
  CHECK_FALSE(apply_rules(in, &err).has_value());  // .inline checks the name too
  CHECK(err.message.find("systemtap cannot probe foo_intr_check") == 0);

  auto meminit = fn("defer_setup", 30, 31, 40, {32});
  meminit.is_static = true;
  meminit.markers = {"__meminit"};
  auto pending = run(meminit, Mode::function, 0, &syms);
  REQUIRE(pending.refusal.has_value());
  CHECK(pending.refusal->message.find("defer_setup is in .meminit.text") != std::string::npos);
  CHECK(texts(pending) ==
        std::vector<std::string>{
            "probe kernel.function(\"defer_setup@fs/open.c\").inline { trace_call() }"});
  in.function = &meminit;
  syms.names = {"defer_setup"};  // its own copy exists, in the section its annotation names
  CHECK_FALSE(apply_rules(in, &err).has_value());
  in.symbols = nullptr;  // nothing known: the annotation stands
  CHECK_FALSE(apply_rules(in, &err).has_value());

  // The file blocklist covers every function of the file, inlined or not.
  in.function = &blocked;
  in.rel_file = "kernel/kprobes.c";
  in.mode = Mode::line;
  in.line = 12;
  CHECK_FALSE(apply_rules(in, &err).has_value());
  auto plain = fn("plain", 10, 11, 20, {12});
  in.function = &plain;
  CHECK_FALSE(apply_rules(in, &err).has_value());
  CHECK(err.message.find("kernel/kprobes.c is on systemtap's file blocklist") != std::string::npos);
}

TEST_CASE("inline functions: .inline and a warning, never .return") {
  auto f = fn("helper", 5, 6, 9, {7});
  f.is_inline = true;
  f.is_static = true;
  auto r = run(f, Mode::function, 0, nullptr);
  CHECK(r.kind == TargetKind::inline_function);
  CHECK(texts(r) == std::vector<std::string>{
                        "probe kernel.function(\"helper@fs/open.c\").inline { trace_call() }"});
  REQUIRE(r.diagnostics().size() == 1);
  CHECK(r.diagnostics()[0].severity == sa::Severity::warning);
  // Not declared inline, but gcc inlined it: the symbol table says so.
  auto g = fn("static_helper", 5, 6, 9, {7});
  FakeSymbols syms;
  CHECK(run(g, Mode::function, 0, &syms).kind == TargetKind::inline_function);
  syms.names = {"static_helper"};
  CHECK(run(g, Mode::function, 0, &syms).kind == TargetKind::function);
  // Declared inline but an out-of-line copy exists: entries and exits work.
  syms.names = {"helper"};
  CHECK(run(f, Mode::function, 0, &syms).kind == TargetKind::function);
}

TEST_CASE("an inlined function whose body does nothing is an error, not a probe") {
  auto f = fn("set_section_nid", 57, 58, 59, {});
  f.is_inline = true;
  f.trivial = true;
  RuleInput in;
  FileIndex idx;
  in.function = &f;
  in.rel_file = "mm/sparse.c";
  sa::Diag err;
  CHECK_FALSE(apply_rules(in, &err).has_value());
  CHECK(err.exit == sa::Exit::data_error);
  CHECK(err.message.find("set_section_nid has no code of its own") == 0);
  // With an out-of-line copy in the symbol table, entries and exits work.
  FakeSymbols syms;
  syms.names = {"set_section_nid"};
  in.symbols = &syms;
  CHECK(apply_rules(in, &err).has_value());
}

TEST_CASE("lines snap forward to code, in the same function, and say so") {
  auto f = fn("f", 10, 11, 20, {13, 15});
  CHECK(snap_line(f, 13) == 13);
  CHECK(snap_line(f, 12) == 13);
  CHECK(snap_line(f, 10) == 13);
  CHECK(snap_line(f, 16) == 20);
  CHECK(snap_line(f, 21) == 0);
  auto r = run(f, Mode::line, 14, nullptr);
  CHECK(r.line == 15);
  CHECK(r.probes()[0].point == "kernel.statement(\"f@fs/open.c:15\")");
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].message() ==
        "line 14 has no code; probing line 15, the next line with code in f");
}

TEST_CASE("a line that may hold code is probed as picked: break;, declarations with initializers") {
  // code_lines (the likely ones) lack 12 (`break;`) and 13 (`int x = 0;`); both have tokens.
  auto f = fn("f", 10, 11, 20, {15});
  f.token_lines = {12, 13, 15, 20};
  for (int l : {12, 13}) {
    auto r = run(f, Mode::line, l, nullptr);
    CHECK(r.line == l);
    CHECK(r.probes()[0].point == "kernel.statement(\"f@fs/open.c:" + std::to_string(l) + "\")");
    CHECK(r.notes.empty());
  }
  auto blank = run(f, Mode::line, 14, nullptr);  // no token: a blank or comment line
  CHECK(blank.line == 15);
}

TEST_CASE(
    "a statement in a function that has no out-of-line copy names every function: *@FILE:LINE") {
  auto f = fn("__do_sys_openat", 1350, 1351, 1360, {1352});
  f.macro = "SYSCALL_DEFINE4";
  f.companions = {"__se_sys_openat", "__x64_sys_openat"};
  FakeSymbols syms;
  syms.names = {"__x64_sys_openat"};  // __do_sys_openat only inlined into __se_sys_openat
  auto r = run(f, Mode::line, 1352, &syms);
  CHECK(texts(r) ==
        std::vector<std::string>{"probe kernel.statement(\"*@fs/open.c:1352\") { trace_line() }"});
  CHECK(r.has_note(NoteKind::every_copy));
  auto h = fn("helper", 1, 2, 9, {3}, true);
  CHECK(run(h, Mode::line, 3, &syms).probes()[0].point == "kernel.statement(\"*@fs/open.c:3\")");
  syms.names.insert("helper");
  CHECK(run(h, Mode::line, 3, &syms).probes()[0].point ==
        "kernel.statement(\"helper@fs/open.c:3\")");
}

TEST_CASE(
    "a function whose only out-of-line copy is a .part clone is probed with .inline and a "
    "warning") {
  struct PartSymbols : FakeSymbols {
    std::string part_clone(const std::string&, const std::string& name) const override {
      return name == "link_path_walk" ? "link_path_walk.part.0.constprop.0" : "";
    }
  } syms;
  auto f = fn("link_path_walk", 1, 2, 40, {3});
  f.is_static = true;
  auto r = run(f, Mode::function, 0, &syms);
  CHECK(r.kind == TargetKind::inline_function);
  CHECK(texts(r) ==
        std::vector<std::string>{
            "probe kernel.function(\"link_path_walk@fs/open.c\").inline { trace_call() }"});
  REQUIRE(r.diagnostics().size() == 1);
  CHECK(r.diagnostics()[0].severity == sa::Severity::warning);
  CHECK(r.diagnostics()[0].message.find(
            "only the partial clone link_path_walk.part.0.constprop.0") != std::string::npos);
}

TEST_CASE("refusals are errors with exit 65") {
  auto f = fn("setup", 1, 2, 5, {3});
  f.markers = {"__init"};
  RuleInput in;
  in.function = &f;
  in.rel_file = "init/main.c";
  sa::Diag err;
  CHECK_FALSE(apply_rules(in, &err).has_value());
  CHECK(err.exit == sa::Exit::data_error);
  CHECK(err.message.find("cannot probe setup") != std::string::npos);
}

TEST_CASE("a module's __init/__exit code is probed, with a warning; vmlinux's is refused") {
  // stap elaborates probes in a module's .init.text/.exit.text (they fire when the module is
  // loaded/unloaded after the script starts); vmlinux's init code is freed at boot and refused.
  auto f = fn("foo_init", 1, 2, 5, {3});
  f.markers = {"__init"};
  Resolution r = run(f, Mode::function, 0, nullptr, "foo");
  CHECK(texts(r) ==
        std::vector<std::string>{
            "probe module(\"foo\").function(\"foo_init@fs/open.c\").call { trace_call() }",
            "probe module(\"foo\").function(\"foo_init@fs/open.c\").return { "
            "trace_return() }"});
  REQUIRE(r.diagnostics().size() == 1);
  CHECK(r.diagnostics()[0].severity == sa::Severity::warning);
  CHECK(r.diagnostics()[0].message ==
        "foo_init is in .init.text of foo.ko: the probe fires only when the module is loaded "
        "(its init code runs) after the script starts");
  Resolution line = run(f, Mode::line, 3, nullptr, "foo");
  CHECK(texts(line) ==
        std::vector<std::string>{"probe module(\"foo\").statement(\"foo_init@fs/open.c:3\") { "
                                 "trace_line() }"});
  auto g = fn("foo_exit", 1, 2, 5, {3});
  g.markers = {"__exit"};
  CHECK(run(g, Mode::function, 0, nullptr, "foo").diagnostics()[0].message ==
        "foo_exit is in .exit.text of foo.ko: the probe fires only when the module is unloaded "
        "(its exit code runs)");

  RuleInput in;
  in.function = &f;
  in.rel_file = "fs/open.c";
  sa::Diag err;
  CHECK_FALSE(apply_rules(in, &err).has_value());  // vmlinux
  CHECK(err.message.find("cannot probe foo_init") != std::string::npos);
}

TEST_CASE("script edits: append without duplicates, list, remove") {
  std::string pre = "// preamble\n// ---- end of preamble ----\n";
  std::string s = pre + "probe kernel.function(\"a@x.c\").call {\n  trace_call()\n}\n";
  std::vector<Probe> add = {{"kernel.function(\"a@x.c\").call", "trace_call()"},
                            {"kernel.function(\"a@x.c\").return", "trace_return()"},
                            {"kernel.function(\"a@x.c\").return", "trace_return()"}};
  auto added = append_probes(&s, pre.size(), add);
  REQUIRE(added.size() == 1);
  CHECK(s == pre +
                 "probe kernel.function(\"a@x.c\").call {\n  trace_call()\n}\n"
                 "probe kernel.function(\"a@x.c\").return { trace_return() }\n");
  // A different body is a different probe.
  CHECK(append_probes(&s, pre.size(),
                      {{"kernel.function(\"a@x.c\").call", "trace_call(); printf(\"}\")"}})
            .size() == 1);
  auto listed = list_probes(s, pre.size());
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].line == 3);
  CHECK(listed[0].body == "trace_call()");
  CHECK(listed[2].body == "trace_call(); printf(\"}\")");
  auto removed = remove_probes(&s, pre.size(), {"kernel.function(\"a@x.c\").call"});
  CHECK(removed.size() == 2);
  CHECK(s == pre + "probe kernel.function(\"a@x.c\").return { trace_return() }\n");
  // The preamble's own text is never taken for a probe.
  CHECK(list_probes(pre + "# probe kernel.x {}\n", pre.size()).empty());
}

TEST_CASE("extents cache: round trip, and any change of the key is a miss") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sa-cache-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string src = (dir / "a.c").string();
  {
    FILE* f = fopen(src.c_str(), "w");
    fputs("int x;\n", f);
    fclose(f);
  }
  auto key = cache_key(src, "flags 1");
  REQUIRE(key.has_value());
  CacheEntry entry;
  entry.build.kind = sa::ktree::BuildInfo::Kind::module;
  entry.build.module = "ext4";
  FileIndex& idx = entry.index;
  idx.functions.push_back(fn("f", 1, 2, 3, {2}));
  idx.functions[0].companions = {"g"};
  idx.skipped = {{5, 6}};
  sa::Diag err;
  std::string cdir = (dir / "cache").string();
  REQUIRE(cache_store(cdir, *key, entry, &err));
  auto back = cache_load(cdir, *key);
  REQUIRE(back.has_value());
  CHECK(index_to_json(back->index) == index_to_json(idx));
  CHECK(back->build.module == "ext4");
  CHECK(back->build.kind == sa::ktree::BuildInfo::Kind::module);
  CHECK_FALSE(cache_load(cdir, *cache_key(src, "flags 2")).has_value());
  auto other = *key;
  other.mtime_ns += 1;
  CHECK_FALSE(cache_load(cdir, other).has_value());
  fs::remove_all(dir);
}

TEST_CASE("locations and diffs") {
  sa::Diag err;
  auto a = parse_location("fs/open.c:1351", &err);
  REQUIRE(a);
  CHECK(a->file == "fs/open.c");
  CHECK(a->line == 1351);
  auto b = parse_location("fs/open.c:1351:7", &err);
  REQUIRE(b);
  CHECK(b->line == 1351);
  auto c = parse_location("fs/open.c:vfs_open", &err);
  REQUIRE(c);
  CHECK(c->function == "vfs_open");
  auto d = parse_location("vfs_open", &err);
  REQUIRE(d);
  CHECK(d->file.empty());
  auto e = parse_location("probe kernel.function(\"x@y.c\").call", &err);
  REQUIRE(e);
  CHECK(e->point == "kernel.function(\"x@y.c\").call");
  CHECK_FALSE(parse_location("fs/open.c:12x", &err));
  CHECK(err.exit == sa::Exit::usage);
  CHECK_FALSE(parse_location("fs/open.c:0", &err));

  std::istringstream diff(
      "diff --git a/fs/open.c b/fs/open.c\n"
      "--- a/fs/open.c\n"
      "+++ b/fs/open.c\n"
      "@@ -10,4 +10,5 @@ int f(void)\n"
      " a\n"
      "-b\n"
      "+c\n"
      "+d\n"
      " e\n"
      "@@ -40,3 +41,2 @@\n"
      " x\n"
      "-y\n"
      " z\n"
      "--- a/old.c\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "-gone\n");
  auto files = parse_unified_diff(diff);
  REQUIRE(files.size() == 2);
  CHECK(files[0].file == "fs/open.c");
  CHECK(files[0].lines == std::vector<int>{11, 12, 42});
  CHECK(files[1].file == "old.c");  // said in a note by --diff, not dropped silently
  CHECK(files[1].deleted);
}
