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
  CHECK(
      both.note_texts() ==
      std::vector<std::string>{
          "line 12 (and 13) has no line record in the DWARF of vmlinux (its code was optimized "
          "away or merged into another line); probing line 14, the next line of baz that has one"});
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
  CHECK(clone.note_texts().back() ==
        "line 14 has code only outside the out-of-line copy of foo in vmlinux (in a partial clone "
        "or inlined copies): the statement probe names every function holding the line "
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
}

TEST_CASE("libdw reads line records and instances with code from an object gcc compiled") {
  char tmpl[] = "/tmp/sa-dwarf-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path dir = tmpl;
  std::ofstream(dir / "t.c") << "int g;\n"                             // 1
                                "static inline void nothing(int x)\n"  // 2
                                "{\n"                                  // 3
                                "\tif (x > 100000 && 0)\n"             // 4
                                "\t\tg = x;\n"                         // 5
                                "}\n"                                  // 6
                                "\n"                                   // 7
                                "int api(int x)\n"                     // 8
                                "{\n"                                  // 9
                                "\tint unused = 5;\n"                  // 10
                                "\n"                                   // 11
                                "\tnothing(x);\n"                      // 12
                                "\tg = x;\n"                           // 13
                                "\treturn x + unused;\n"               // 14
                                "}\n";                                 // 15
  std::string cmd = "cd " + dir.string() + " && gcc -g -O2 -c t.c -o vmlinux";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto d = open_dwarf_facts(dir.string());
  auto lines = d->code_lines("", "t.c", "t.c");
  REQUIRE(lines);
  CHECK(lines->count(13) == 1);
  CHECK(lines->count(11) == 0);
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
