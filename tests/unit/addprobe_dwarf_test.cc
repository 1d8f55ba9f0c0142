// SPDX-License-Identifier: GPL-2.0-or-later
// DWARF facts: the rules' answers corrected by line records and inlined instances (the in-memory
// twin), and libdw reading a small object that gcc compiles here with -g -O2.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "addprobe_fixtures.h"
#include "dwarf_facts.h"
#include "probe_rules.h"

using namespace sa::addprobe;
using sa::Diag;
using sa::Exit;
using sa::addprobe::testing::fn;
namespace fs = std::filesystem;

namespace {

Resolution rules(const FunctionInfo& f, Mode mode, int line, const std::string& file = "kernel/t.c",
                 const std::string& module = "") {
  static FileIndex empty;
  RuleInput in;
  in.function = &f;
  in.rel_file = file;
  in.build.kind =
      module.empty() ? sa::ktree::BuildInfo::Kind::builtin : sa::ktree::BuildInfo::Kind::module;
  in.build.module = module;
  in.mode = mode;
  in.line = line;
  Diag err;
  auto r = apply_rules(in, &err);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("next_code_line stays inside the function") {
  std::set<int> lines = {10, 12, 20};
  CHECK(next_code_line(lines, 11, 15) == 12);
  CHECK(next_code_line(lines, 12, 15) == 12);
  CHECK(next_code_line(lines, 13, 15) == 0);
  CHECK(next_code_line(lines, 13, 20) == 20);
}

TEST_CASE("a statement probe on a line without a line record snaps to the next line that has one") {
  MemoryDwarfFacts d;
  d.lines["\nkernel/t.c\nkernel/t.c"] = {10, 11, 14, 16};
  FunctionInfo f = fn("foo", 9, 9, 17, {10, 11, 12, 13, 14, 16});
  sa::ktree::BuildInfo bi;
  bi.kind = sa::ktree::BuildInfo::Kind::builtin;
  Diag err;

  Resolution kept = rules(f, Mode::line, 11);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &kept, &err));
  CHECK(kept.probes()[0].point == "kernel.statement(\"foo@kernel/t.c:11\")");

  Resolution moved = rules(f, Mode::line, 12);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &moved, &err));
  CHECK(moved.line == 14);
  CHECK(moved.picked_line == 12);
  CHECK(moved.probes()[0].point == "kernel.statement(\"foo@kernel/t.c:14\")");
  REQUIRE(!moved.notes.empty());
  CHECK(moved.notes.back().message().find("no line record") != std::string::npos);

  // The rules snapped a blank pick to a code line that has no record either: one note says both,
  // and it replaces the rules' own snap note.
  FunctionInfo h = fn("baz", 9, 9, 17, {10, 13, 14});
  Resolution both = rules(h, Mode::line, 12);
  REQUIRE(both.line == 13);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", h, &both, &err));
  CHECK(both.probes()[0].point == "kernel.statement(\"baz@kernel/t.c:14\")");
  CHECK(both.line == 14);
  CHECK(both.note_texts() ==
        std::vector<std::string>{
            "line 12 (and 13) has no line record in the DWARF of vmlinux that stap can probe (its "
            "code was optimized away or merged into another line, is in a partial clone, or is "
            "vmlinux's init code); probing line 14, the next line of baz that has one"});
  CHECK(both.diagnostics().size() == 1);

  // No record from the pick to the end of the function: nothing can be probed there.
  FunctionInfo g = fn("bar", 30, 30, 40, {31, 35});
  d.lines["\nkernel/t.c\nkernel/t.c"] = {10, 31};
  Resolution none = rules(g, Mode::line, 35);
  CHECK_FALSE(refine_with_dwarf(d, bi, "kernel/t.c", g, &none, &err));
  CHECK(err.exit == Exit::data_error);
  CHECK(err.message.find("nothing there can be probed") != std::string::npos);
  Resolution checked = rules(g, Mode::line, 35);  // --check: stap -p2 suggests the line instead
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", g, &checked, &err, true));
  CHECK(checked.probes()[0].point == "kernel.statement(\"bar@kernel/t.c:35\")");

  // Unknown facts (no such CU) change nothing.
  Resolution unknown = rules(f, Mode::line, 12);
  CHECK(refine_with_dwarf(d, bi, "kernel/other.c", f, &unknown, &err));
  CHECK(unknown.probes()[0].point == "kernel.statement(\"foo@kernel/t.c:12\")");
}

TEST_CASE("a line with code only outside the function's own out-of-line copy names every copy") {
  // gcc split the function: its own copy holds the entry, a partial clone (foo.part.0) the rest;
  // stap finds foo@FILE:LINE only in the copy that carries foo's symbol.
  MemoryDwarfFacts d;
  d.lines["\nkernel/t.c\nkernel/t.c"] = {10, 11, 14, 16};
  d.outside["\nkernel/t.c\nfoo"] = true;
  d.own["\nkernel/t.c\nkernel/t.c\nfoo"] = {10, 11, 16};
  FunctionInfo f = fn("foo", 9, 9, 17, {10, 11, 12, 13, 14, 16});
  sa::ktree::BuildInfo bi;
  bi.kind = sa::ktree::BuildInfo::Kind::builtin;
  Diag err;

  Resolution own = rules(f, Mode::line, 11);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &own, &err));
  CHECK(own.probes()[0].point == "kernel.statement(\"foo@kernel/t.c:11\")");
  CHECK(own.notes.empty());

  Resolution clone = rules(f, Mode::line, 13);  // blank: moves to 14, which only the clone has
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &clone, &err));
  CHECK(clone.probes()[0].point == "kernel.statement(\"*@kernel/t.c:14\")");
  CHECK(
      clone.note_texts().back() ==
      "line 14 has no code in the out-of-line copy of foo in vmlinux, only in its inlined copies: "
      "the statement probe names every function holding the line "
      "(*@kernel/t.c)");

  // Not known (no such entry): named, as before.
  d.own.clear();
  Resolution unknown = rules(f, Mode::line, 14);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &unknown, &err));
  CHECK(unknown.probes()[0].point == "kernel.statement(\"foo@kernel/t.c:14\")");
}

TEST_CASE("the CU of an included .c is its includer, and modules are asked by name") {
  MemoryDwarfFacts d;
  d.lines["ext4\nfs/ext4/b.c\nfs/ext4/a.c"] = {5, 7};
  FunctionInfo f = fn("foo", 4, 4, 8, {5, 6, 7});
  sa::ktree::BuildInfo bi;
  bi.kind = sa::ktree::BuildInfo::Kind::module;
  bi.module = "ext4";
  bi.includer = "fs/ext4/b.c";
  Resolution r = rules(f, Mode::line, 6, "fs/ext4/a.c", "ext4");
  Diag err;
  CHECK(refine_with_dwarf(d, bi, "fs/ext4/a.c", f, &r, &err));
  CHECK(r.probes()[0].point == "module(\"ext4\").statement(\"foo@fs/ext4/a.c:7\")");
}

TEST_CASE("an .inline probe of a function without any instance with code becomes an error") {
  MemoryDwarfFacts d;
  FunctionInfo f = fn("helper", 3, 3, 6, {4, 5}, true);
  sa::ktree::BuildInfo bi;
  bi.kind = sa::ktree::BuildInfo::Kind::builtin;
  Resolution r = rules(f, Mode::function, 0);
  REQUIRE(r.kind == TargetKind::inline_function);
  Diag err;
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &r, &err));  // unknown: as without DWARF
  d.functions["\nkernel/t.c\nhelper"] = DwarfFacts::Code::some;
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &r, &err));
  CHECK(r.targets.size() == 1);
  d.functions["\nkernel/t.c\nhelper"] = DwarfFacts::Code::none;
  CHECK_FALSE(refine_with_dwarf(d, bi, "kernel/t.c", f, &r, &err));
  CHECK(err.exit == Exit::data_error);
  CHECK(err.message.find("nothing to probe") != std::string::npos);
  d.functions["\nkernel/t.c\nhelper"] = DwarfFacts::Code::init_only;
  Diag init_err;
  CHECK_FALSE(refine_with_dwarf(d, bi, "kernel/t.c", f, &r, &init_err));
  CHECK(init_err.message.find("__init") != std::string::npos);

  // In a module, init/exit code is probed when the module is loaded: not an error.
  sa::ktree::BuildInfo mod;
  mod.kind = sa::ktree::BuildInfo::Kind::module;
  mod.module = "foo";
  Resolution m = rules(f, Mode::function, 0, "kernel/t.c", "foo");
  d.functions["foo\nkernel/t.c\nhelper"] = DwarfFacts::Code::init_only;
  Diag mod_err;
  CHECK(refine_with_dwarf(d, mod, "kernel/t.c", f, &m, &mod_err));
}

TEST_CASE(
    "a refused function's line is probed where its code is inlined into a function stap takes") {
  // stap checks its blocklist against each function holding an address (the out-of-line function
  // and every inlined copy around it), and probes the address when one passes.
  MemoryDwarfFacts d;
  d.lines["\nkernel/t.c\nkernel/t.c"] = {11, 12, 14, 15};
  d.holders["\nkernel/t.c\nkernel/t.c"] = {{11, {"foo_intr_check"}},
                                           {12, {"foo_intr_check", "foo_run"}},
                                           {14, {"foo_intr_check", "bar_intr"}},
                                           {15, {"foo_intr_check"}}};
  FunctionInfo f = fn("foo_intr_check", 10, 10, 16, {11, 12, 13, 14, 15}, true);
  sa::ktree::BuildInfo bi;
  bi.kind = sa::ktree::BuildInfo::Kind::builtin;
  sa::ktree::SymbolTable* none = nullptr;
  auto pick = [&](int line) {
    RuleInput in;
    in.function = &f;
    in.rel_file = "kernel/t.c";
    in.build = bi;
    in.symbols = none;
    in.mode = Mode::line;
    in.line = line;
    Diag err;
    auto r = apply_rules(in, &err);
    REQUIRE(r);
    REQUIRE(r->refusal);
    return *r;
  };
  Diag err;
  Resolution r = pick(11);  // 11's only holder is the refused function: the next line, 12
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &r, &err));
  CHECK_FALSE(r.refusal.has_value());
  CHECK(r.probes()[0].point == "kernel.statement(\"*@kernel/t.c:12\")");
  std::vector<std::string> notes;
  for (const auto& n : r.notes) notes.push_back(n.message());
  CHECK(notes == std::vector<std::string>{
                     "foo_intr_check is on systemtap's function blocklist (allowed only in guru "
                     "mode, -g); probing line 12, the next line from 11 with code inlined into a "
                     "function systemtap probes (foo_run): the statement probe names the functions "
                     "holding it (*@kernel/t.c)"});
  Resolution at = pick(12);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &at, &err));
  REQUIRE(at.notes.size() == 1);
  CHECK(at.notes[0].message() ==
        "foo_intr_check is on systemtap's function blocklist (allowed only in guru mode, -g); but "
        "line 12 also has code inlined into foo_run, which systemtap probes: the statement probe "
        "names the functions holding it (*@kernel/t.c)");

  Resolution late = pick(13);  // 14 and 15 are held by refused functions only
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &late, &err));
  REQUIRE(late.refusal.has_value());
  CHECK(late.refusal->notes ==
        std::vector<std::string>{"no line from 13 to the end of foo_intr_check has code inlined "
                                 "into a function systemtap probes (DWARF of vmlinux)"});

  d.holders.clear();  // not known: the refusal stands
  Resolution unknown = pick(12);
  CHECK(refine_with_dwarf(d, bi, "kernel/t.c", f, &unknown, &err));
  CHECK(unknown.refusal.has_value());
}

TEST_CASE("a function refused for its section but inlined everywhere: DWARF shows its copies") {
  struct NoSymbols : sa::ktree::SymbolTable {
    bool knows(const std::string& m) const override { return m.empty(); }
    bool has_function(const std::string&, const std::string&) const override { return false; }
  } syms;
  FunctionInfo f = fn("defer_setup", 5, 6, 9, {7});
  f.markers = {"__meminit"};
  RuleInput in;
  in.function = &f;
  in.rel_file = "kernel/t.c";
  in.build.kind = sa::ktree::BuildInfo::Kind::builtin;
  in.symbols = &syms;
  Diag err;
  auto r = apply_rules(in, &err);
  REQUIRE(r);
  REQUIRE(r->refusal);
  MemoryDwarfFacts d;
  CHECK(refine_with_dwarf(d, in.build, "kernel/t.c", f, &*r, &err));
  CHECK(r->refusal.has_value());  // nothing known
  d.functions["\nkernel/t.c\ndefer_setup"] = DwarfFacts::Code::some;
  CHECK(refine_with_dwarf(d, in.build, "kernel/t.c", f, &*r, &err));
  CHECK_FALSE(r->refusal.has_value());
  CHECK(r->probes()[0].point == "kernel.function(\"defer_setup@kernel/t.c\").inline");
  bool said = false;
  for (const auto& n : r->notes)
    said |= n.message() ==
            "defer_setup is in .meminit.text, which systemtap does not probe (code discarded after "
            "init); but its copies inlined into other functions are their code, which systemtap "
            "probes";
  CHECK(said);
  auto again = apply_rules(in, &err);
  d.functions["\nkernel/t.c\ndefer_setup"] = DwarfFacts::Code::init_only;
  CHECK_FALSE(refine_with_dwarf(d, in.build, "kernel/t.c", f, &*again, &err));
  CHECK(err.message.find("inlined into __init/__exit code") != std::string::npos);
}

TEST_CASE("libdw: the functions holding each line, and the compile units of a binary") {
  char tmpl[] = "/tmp/sa-dwarf-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path dir = tmpl;
  std::ofstream(dir / "t.c") << "int g;\n"                                        // 1
                                "static inline __attribute__((always_inline))\n"  // 2
                                "void check_intr_x(int x)\n"                      // 3
                                "{\n"                                             // 4
                                "\tg = x * 7;\n"                                  // 5
                                "}\n"                                             // 6
                                "\n"                                              // 7
                                "int api(int x)\n"                                // 8
                                "{\n"                                             // 9
                                "\tcheck_intr_x(x);\n"                            // 10
                                "\treturn x + g;\n"                               // 11
                                "}\n";                                            // 12
  std::string cmd = "cd " + dir.string() + " && gcc -g -O2 -c t.c -o vmlinux";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto d = open_dwarf_facts(dir.string());
  auto holders = d->line_holders("", "t.c", "t.c");
  REQUIRE(holders);
  REQUIRE(holders->count(5));
  CHECK(holders->at(5) == std::set<std::string>{"api", "check_intr_x"});
  REQUIRE(holders->count(11));
  CHECK(holders->at(11) == std::set<std::string>{"api"});
  CHECK(d->has_compile_unit("", "t.c"));
  CHECK_FALSE(d->has_compile_unit("", "other.c"));
  CHECK_FALSE(d->has_compile_unit("ext4", "t.c"));
  CHECK_FALSE(d->line_holders("", "other.c", "other.c"));
  fs::remove_all(dir);
}

TEST_CASE("libdw: the code of a __weak function a strong one overrides still has line records") {
  // The link keeps the weak copy's code but drops its symbol (the name points to the strong one);
  // its DWARF function still holds the addresses, and stap probes them.
  char tmpl[] = "/tmp/sa-dwarf-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path dir = tmpl;
  std::ofstream(dir / "t.c") << "int g;\n"                                 // 1
                                "__attribute__((weak)) int hook(int x)\n"  // 2
                                "{\n"                                      // 3
                                "\treturn x * 5 + g;\n"                    // 4
                                "}\n"                                      // 5
                                "int api(int x)\n"                         // 6
                                "{\n"                                      // 7
                                "\treturn hook(x) + 1;\n"                  // 8
                                "}\n";                                     // 9
  std::ofstream(dir / "s.c") << "int hook(int x)\n{\n\treturn x - 1;\n}\n";
  std::string cmd = "cd " + dir.string() +
                    " && gcc -g -O2 -c t.c -o t.o && gcc -g -O2 -c s.c -o s.o && "
                    "ld -r -o vmlinux t.o s.o";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto d = open_dwarf_facts(dir.string());
  auto lines = d->code_lines("", "t.c", "t.c");
  REQUIRE(lines);
  CHECK(lines->count(4) == 1);
  CHECK(lines->count(8) == 1);
  fs::remove_all(dir);
}

TEST_CASE("libdw: inside a partial clone only the records of inlined copies count") {
  // stap never probes a partial clone (name.part.N) as its function, but probes the inlined copies
  // it holds like any other. The asm label gives `work` a partial clone's symbol name.
  char tmpl[] = "/tmp/sa-dwarf-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path dir = tmpl;
  std::ofstream(dir / "t.c")
      << "int g;\n"                                                        // 1
         "static inline __attribute__((always_inline)) void set(int x)\n"  // 2
         "{\n"                                                             // 3
         "\tg = x * 7;\n"                                                  // 4
         "}\n"                                                             // 5
         "int work(int x) __asm__(\"work.part.0\");\n"                     // 6
         "int work(int x)\n"                                               // 7
         "{\n"                                                             // 8
         "\tset(x);\n"                                                     // 9
         "\treturn x + g;\n"                                               // 10
         "}\n";                                                            // 11
  std::string cmd = "cd " + dir.string() + " && gcc -g -O2 -c t.c -o vmlinux";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto d = open_dwarf_facts(dir.string());
  auto lines = d->code_lines("", "t.c", "t.c");
  REQUIRE(lines);
  CHECK(lines->count(4) == 1);   // set's copy
  CHECK(lines->count(10) == 0);  // the clone's own code
  fs::remove_all(dir);
}

TEST_CASE("libdw reads line records and instances with code from an object gcc compiled") {
  char tmpl[] = "/tmp/sa-dwarf-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path dir = tmpl;
  std::ofstream(dir / "t.c") << "int g;\n"                                          // 1
                                "static inline void nothing(int x)\n"               // 2
                                "{\n"                                               // 3
                                "\tif (x > 100000 && 0)\n"                          // 4
                                "\t\tg = x;\n"                                      // 5
                                "}\n"                                               // 6
                                "\n"                                                // 7
                                "int api(int x)\n"                                  // 8
                                "{\n"                                               // 9
                                "\tint unused = 5;\n"                               // 10
                                "\n"                                                // 11
                                "\tnothing(x);\n"                                   // 12
                                "\tg = x;\n"                                        // 13
                                "\treturn x + unused;\n"                            // 14
                                "}\n"                                               // 15
                                "__attribute__((section(\".init.text\"), used))\n"  // 16
                                "int setup(int x)\n"                                // 17
                                "{\n"                                               // 18
                                "\tg = x * 3;\n"                                    // 19
                                "\treturn 0;\n"                                     // 20
                                "}\n";                                              // 21
  std::string cmd = "cd " + dir.string() + " && gcc -g -O2 -c t.c -o vmlinux";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto d = open_dwarf_facts(dir.string());
  auto lines = d->code_lines("", "t.c", "t.c");
  REQUIRE(lines);
  CHECK(lines->count(13) == 1);
  CHECK(lines->count(11) == 0);
  CHECK(lines->count(19) == 0);  // vmlinux's .init.text: freed at boot, stap refuses it
  CHECK(lines->count(5) == 0);
  CHECK(next_code_line(*lines, 11, 15) >= 12);
  CHECK(d->function_code("", "t.c", "api") == DwarfFacts::Code::some);
  CHECK(d->function_code("", "t.c", "nothing") == DwarfFacts::Code::none);
  CHECK_FALSE(d->function_code("", "t.c", "absent"));
  auto own = d->own_lines("", "t.c", "t.c", "api");
  REQUIRE(own);
  CHECK(own->count(13) == 1);
  CHECK(own->count(11) == 0);
  auto inlined_only = d->own_lines("", "t.c", "t.c", "nothing");  // no out-of-line copy
  CHECK((!inlined_only || inlined_only->empty()));
  CHECK_FALSE(d->own_lines("", "t.c", "t.c", "absent"));
  CHECK_FALSE(d->code_lines("", "other.c", "other.c"));
  CHECK_FALSE(d->code_lines("ext4", "t.c", "t.c"));  // no ext4.ko here
  auto none = open_dwarf_facts((dir / "nothing-here").string());
  CHECK_FALSE(none->code_lines("", "t.c", "t.c"));
  fs::remove_all(dir);
}
