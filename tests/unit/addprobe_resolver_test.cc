// SPDX-License-Identifier: GPL-2.0-or-later
// The resolver end to end on a tiny fake kernel tree, with the in-memory twin of the indexer: the
// first pick in a file asks the indexer, later picks in the same process reuse its map, a new
// process (a new Resolver) is served by the extents cache without asking the indexer at all, and an
// edit of the file is a miss.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "addprobe.h"

using namespace sa::addprobe;
namespace fs = std::filesystem;

namespace {

struct FakeTree {
  fs::path root = fs::temp_directory_path() / ("sa-resolver-test-" + std::to_string(::getpid()));
  FakeTree() {
    fs::remove_all(root);
    write("Makefile", "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n");
    write("Kbuild", "obj-y += fs/\n");
    write("arch/x86/Makefile", "\n");
    write(".config", "CONFIG_X=y\n");
    write("fs/Makefile", "obj-y += a.o\n");
    write("fs/a.c", "int f(void)\n{\n\treturn g();\n}\n");
  }
  ~FakeTree() { fs::remove_all(root); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
};

FileIndex map_of_a() {
  FileIndex idx;
  FunctionInfo f;
  f.name = "f";
  f.start_line = 1;
  f.body_line = 2;
  f.end_line = 4;
  f.code_lines = {3};
  idx.functions.push_back(f);
  return idx;
}

}  // namespace

TEST_CASE("resolver: indexer once per file, then the extents cache, and a changed file is a miss") {
  FakeTree tree;
  ResolveOptions o;
  o.tree_dir = tree.root.string();
  o.cache_dir = (tree.root / "cache").string();
  std::string a = (tree.root / "fs/a.c").string();

  auto fake = std::make_unique<FakeIndexer>();
  fake->files[a] = map_of_a();
  FakeIndexer* first = fake.get();
  Resolver r1(o, std::move(fake));
  sa::Diag err;
  auto loc = parse_location("fs/a.c:3", &err);
  REQUIRE(loc);
  Outcome one = r1.resolve(*loc);
  REQUIRE_MESSAGE(one.resolution.has_value(), one.error.message);
  CHECK(one.resolution->probes()[0].text() ==
        "probe kernel.function(\"f@fs/a.c\").call { trace_call() }");
  CHECK(r1.resolve(*parse_location("fs/a.c:f", &err)).resolution.has_value());
  CHECK(first->calls == 1);
  CHECK(r1.stats().parses == 1);

  auto fake2 = std::make_unique<FakeIndexer>();
  FakeIndexer* second = fake2.get();
  Resolver r2(o, std::move(fake2));
  Outcome again = r2.resolve(*loc);
  REQUIRE_MESSAGE(again.resolution.has_value(), again.error.message);
  CHECK(second->calls == 0);
  CHECK(r2.stats().cache_hits == 1);

  Resolver r3(o, std::make_unique<FakeIndexer>());
  Outcome l = r3.resolve(*parse_location("fs/a.c:2", &err, Mode::line));
  REQUIRE(l.resolution.has_value());
  CHECK(l.resolution->probes()[0].point == "kernel.statement(\"f@fs/a.c:3\")");
  Outcome outside = r3.resolve(*parse_location("fs/a.c:9", &err, Mode::line));
  CHECK_FALSE(outside.resolution.has_value());
  CHECK(outside.error.exit == sa::Exit::data_error);

  tree.write("fs/a.c", "int f(void)\n{\n\treturn g() + 1;\n}\n");  // new size: a miss
  auto fake4 = std::make_unique<FakeIndexer>();
  fake4->files[a] = map_of_a();
  FakeIndexer* fourth = fake4.get();
  Resolver r4(o, std::move(fake4));
  CHECK(r4.resolve(*loc).resolution.has_value());
  CHECK(fourth->calls == 1);
}

TEST_CASE(
    "resolver: the locate step refuses #if-disabled lines; with DWARF the line table decides") {
  FakeTree tree;
  ResolveOptions o;
  o.tree_dir = tree.root.string();
  o.cache_dir = "none";
  std::string a = (tree.root / "fs/a.c").string();
  auto fake = std::make_unique<FakeIndexer>();
  FileIndex idx = map_of_a();
  idx.functions[0].end_line = 9;
  idx.functions[0].code_lines = {3};
  idx.functions[0].token_lines = {3, 4, 6};
  idx.skipped = {{4, 4}};
  fake->files[a] = idx;
  auto dwarf = std::make_unique<MemoryDwarfFacts>();
  dwarf->lines["\nfs/a.c\nfs/a.c"] = {3, 6, 8};
  dwarf->outside["\nfs/a.c\nf"] = false;  // f exists only as inlined copies
  Resolver r(o, std::move(fake), std::move(dwarf));
  sa::Diag err;
  Outcome off = r.resolve(*parse_location("fs/a.c:4", &err, Mode::line));
  REQUIRE_FALSE(off.resolution.has_value());
  CHECK(off.error.message == "this line is in code disabled by #if in this kernel configuration");
  // Line 5 (blank): the rules guess 6... and the line table agrees; line 7 moves to 8, the next
  // record.
  Outcome five = r.resolve(*parse_location("fs/a.c:5", &err, Mode::line));
  REQUIRE_MESSAGE(five.resolution.has_value(), five.error.message);
  CHECK(five.resolution->probes()[0].point == "kernel.statement(\"*@fs/a.c:6\")");
  CHECK(five.resolution->line_verified);
  CHECK_FALSE(five.resolution->has_note(NoteKind::unverified));
  Outcome seven = r.resolve(*parse_location("fs/a.c:7", &err, Mode::line));
  REQUIRE(seven.resolution.has_value());
  CHECK(seven.resolution->line == 8);
  CHECK(seven.resolution->has_note(NoteKind::dwarf_moved));
}

TEST_CASE(
    "resolver: without DWARF a line that may hold code is probed as picked and said unverified") {
  FakeTree tree;
  ResolveOptions o;
  o.tree_dir = tree.root.string();
  o.cache_dir = "none";
  auto fake = std::make_unique<FakeIndexer>();
  FileIndex idx = map_of_a();
  idx.functions[0].token_lines = {3, 4};
  fake->files[(tree.root / "fs/a.c").string()] = idx;
  Resolver r(o, std::move(fake));
  sa::Diag err;
  Outcome brace = r.resolve(*parse_location("fs/a.c:4", &err, Mode::line));
  REQUIRE(brace.resolution.has_value());
  CHECK(brace.resolution->line == 4);
  CHECK(brace.resolution->has_note(NoteKind::unverified));
}

TEST_CASE("resolver: a stub the macro generates, picked by name, is probed itself") {
  FakeTree tree;
  tree.write("include/generated/autoconf.h", "");  // an in-tree build: its own System.map
  tree.write("System.map",
             "ffffffff81000000 T __x64_sys_frob\nffffffff81000100 T __ia32_sys_frob\n");
  ResolveOptions o;
  o.tree_dir = tree.root.string();
  o.cache_dir = "none";
  auto fake = std::make_unique<FakeIndexer>();
  FileIndex idx = map_of_a();
  idx.functions[0].name = "__do_sys_frob";
  idx.functions[0].macro = "SYSCALL_DEFINE1";
  idx.functions[0].is_inline = true;
  idx.functions[0].companions = {"__se_sys_frob", "__x64_sys_frob", "__ia32_sys_frob"};
  fake->files[(tree.root / "fs/a.c").string()] = idx;
  Resolver r(o, std::move(fake));
  sa::Diag err;
  auto points = [&](const std::string& pick) {
    Outcome out = r.resolve(*parse_location(pick, &err, Mode::function));
    REQUIRE_MESSAGE(out.resolution.has_value(), out.error.message);
    std::vector<std::string> p;
    for (const auto& probe : out.resolution->probes()) p.push_back(probe.point);
    return p;
  };
  CHECK(points("fs/a.c:__ia32_sys_frob") ==
        std::vector<std::string>{"kernel.function(\"__ia32_sys_frob@fs/a.c\").call",
                                 "kernel.function(\"__ia32_sys_frob@fs/a.c\").return"});
  CHECK(points("fs/a.c:__se_sys_frob") ==
        std::vector<std::string>{"kernel.function(\"__se_sys_frob@fs/a.c\").inline"});
  // The syscall itself: entries on __se_sys_frob's copies, exits on both stubs.
  auto syscall = std::vector<std::string>{"kernel.function(\"__se_sys_frob@fs/a.c\").inline",
                                          "kernel.function(\"__x64_sys_frob@fs/a.c\").return",
                                          "kernel.function(\"__ia32_sys_frob@fs/a.c\").return"};
  CHECK(points("fs/a.c:sys_frob") == syscall);
  CHECK(points("fs/a.c:__x64_sys_frob") == syscall);
}

TEST_CASE(
    "resolver: with -r, a file Kbuild builds from another folder is built when vmlinux's DWARF "
    "has its compile unit") {
  FakeTree tree;
  tree.write("include/generated/autoconf.h", "");  // an in-tree build without symbol tables
  tree.write("lib/x/b.c", "int h(void)\n{\n\treturn 1;\n}\n");
  ResolveOptions o;
  o.tree_dir = tree.root.string();
  o.cache_dir = "none";
  auto make = [&](bool in_dwarf) {
    auto fake = std::make_unique<FakeIndexer>();
    FileIndex idx = map_of_a();
    idx.functions[0].name = "h";
    fake->files[(tree.root / "lib/x/b.c").string()] = idx;
    auto dwarf = std::make_unique<MemoryDwarfFacts>();
    if (in_dwarf) dwarf->units.insert("\nlib/x/b.c");
    return std::make_unique<Resolver>(o, std::move(fake), std::move(dwarf));
  };
  sa::Diag err;
  Outcome unbuilt = make(false)->resolve(*parse_location("lib/x/b.c:h", &err, Mode::function));
  REQUIRE_FALSE(unbuilt.resolution.has_value());
  CHECK(unbuilt.error.message == "this file is not built in this kernel configuration");
  Outcome built = make(true)->resolve(*parse_location("lib/x/b.c:h", &err, Mode::function));
  REQUIRE_MESSAGE(built.resolution.has_value(), built.error.message);
  CHECK(built.resolution->probes()[0].point == "kernel.function(\"h@lib/x/b.c\").call");
  CHECK(built.resolution->module.empty());
}

TEST_CASE(
    "resolver: a line of a refused function is an error unless DWARF shows copies stap takes") {
  FakeTree tree;
  tree.write("include/generated/autoconf.h", "");  // an in-tree build without symbol tables
  ResolveOptions o;
  o.tree_dir = tree.root.string();
  o.cache_dir = "none";
  auto make = [&](std::unique_ptr<DwarfFacts> dwarf) {
    auto fake = std::make_unique<FakeIndexer>();
    FileIndex idx = map_of_a();
    idx.functions[0].name = "frob_intr_test";  // stap's blocklist: .*_intr.*
    fake->files[(tree.root / "fs/a.c").string()] = idx;
    return std::make_unique<Resolver>(o, std::move(fake), std::move(dwarf));
  };
  sa::Diag err;
  Outcome plain = make(nullptr)->resolve(*parse_location("fs/a.c:3", &err, Mode::line));
  REQUIRE_FALSE(plain.resolution.has_value());
  CHECK(plain.error.message ==
        "systemtap cannot probe frob_intr_test: frob_intr_test is on systemtap's function "
        "blocklist (allowed only in guru mode, -g)");
  auto dwarf = std::make_unique<MemoryDwarfFacts>();
  dwarf->lines["\nfs/a.c\nfs/a.c"] = {3};
  dwarf->holders["\nfs/a.c\nfs/a.c"] = {{3, {"frob_intr_test", "frob_diag"}}};
  Outcome copies = make(std::move(dwarf))->resolve(*parse_location("fs/a.c:3", &err, Mode::line));
  REQUIRE_MESSAGE(copies.resolution.has_value(), copies.error.message);
  CHECK(copies.resolution->probes()[0].point == "kernel.statement(\"*@fs/a.c:3\")");
}
