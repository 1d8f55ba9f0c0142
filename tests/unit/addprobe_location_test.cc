// SPDX-License-Identifier: GPL-2.0-or-later
// The location spellings (location.h) and the script body checks (script_edit.h): pure functions,
// so every spelling and every refusal is pinned here, including the inputs that used to abort.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "extents_cache.h"
#include "location.h"
#include "script_edit.h"

using namespace sa::addprobe;
using Kind = Location::Kind;

namespace {

Location parse_ok(const std::string& text, Mode mode = Mode::function) {
  sa::Diag err;
  auto loc = parse_location(text, &err, mode);
  INFO(text, ": ", err.message);
  REQUIRE(loc.has_value());
  return *loc;
}

sa::Diag parse_bad(const std::string& text, Mode mode = Mode::function) {
  sa::Diag err;
  auto loc = parse_location(text, &err, mode);
  CHECK_MESSAGE(!loc.has_value(), text);
  CHECK(err.exit == sa::Exit::usage);
  return err;
}

}  // namespace

TEST_CASE("location: the spellings of editors, stap and perf") {
  Location a = parse_ok("fs/open.c:1351");
  CHECK(a.kind == Kind::line);
  CHECK(a.file == "fs/open.c");
  CHECK(a.line == 1351);
  CHECK(parse_ok("fs/open.c:1351:7").line == 1351);
  Location b = parse_ok("fs/read_write.c:vfs_read");
  CHECK(b.kind == Kind::function);
  CHECK(b.file == "fs/read_write.c");
  CHECK(b.function == "vfs_read");
  CHECK(parse_ok("vfs_read").file.empty());

  Location s = parse_ok("vfs_read@fs/read_write.c");  // stap's
  CHECK(s.kind == Kind::function);
  CHECK(s.function == "vfs_read");
  CHECK(s.file == "fs/read_write.c");
  Location sl = parse_ok("vfs_read@fs/read_write.c:440");  // what stap-addprobe prints
  CHECK(sl.kind == Kind::line);
  CHECK(sl.function == "vfs_read");
  CHECK(sl.file == "fs/read_write.c");
  CHECK(sl.line == 440);

  Location p = parse_ok("vfs_read:3");  // perf's relative line
  CHECK(p.kind == Kind::function_line);
  CHECK(p.function == "vfs_read");
  CHECK(p.relative_line == 3);
  CHECK(p.file.empty());
  CHECK(parse_ok("vfs_read:0").relative_line == 0);
  Location r = parse_ok("vfs_read%return");  // perf's
  CHECK(r.kind == Kind::function);
  CHECK(r.returns_only);
  CHECK(parse_ok("fs/read_write.c:vfs_read%return").returns_only);
  CHECK(parse_ok("vfs_read@fs/read_write.c%return").returns_only);

  Location pt = parse_ok("probe kernel.function(\"x@y.c\").call");
  CHECK(pt.kind == Kind::point);
  CHECK(pt.point == "kernel.function(\"x@y.c\").call");
  CHECK(parse_ok("fs/open.c:1351", Mode::line).mode == Mode::line);
}

TEST_CASE("location: spelled back the way it was read") {
  for (const char* text :
       {"fs/open.c:1351", "vfs_read", "vfs_read@fs/read_write.c", "vfs_read@fs/read_write.c:440",
        "vfs_read:3", "vfs_read%return", "vfs_read@fs/read_write.c%return"})
    CHECK(to_string(parse_ok(text)) == text);
  CHECK(to_string(parse_ok("fs/read_write.c:vfs_read")) == "vfs_read@fs/read_write.c");
}

TEST_CASE("location: refusals, never an exception") {
  CHECK(parse_bad("fs/open.c:2147483648").message ==
        "line number out of range (1-10000000): fs/open.c:2147483648");
  parse_bad("fs/open.c:99999999999999999999999999999");
  parse_bad("vfs_read:18446744073709551617");
  parse_bad("vfs_read@fs/read_write.c:4294967296");
  CHECK(parse_bad("fs/open.c:0").message == "line numbers start at 1: fs/open.c:0");
  parse_bad("fs/open.c:12x");
  parse_bad("");
  parse_bad("   ");
  parse_bad(":12");
  parse_bad("@fs/open.c");
  parse_bad("vfs_read@");
  parse_bad("vfs_read@a:b");
  parse_bad("fs/open.c:1351%return");  // %return names exits, a line has none
  parse_bad("vfs_read:3%return");
  parse_bad("vfs_read%return", Mode::line);
  parse_bad("fs/op\xe9n.c:x-y");
  parse_bad(std::string("vfs\0read", 8));
}

TEST_CASE("script body: what would swallow appended probes is refused") {
  std::string pre = "// preamble\n// ---- end of preamble ----\n";
  sa::Diag err;
  CHECK(check_script_body(
      pre + "probe a { b() } /* ok */ # \"x\n// {\nprobe c { printf(\"}\\\"{\") }\n", pre.size(),
      "t.stp", &err));
  CHECK_FALSE(check_script_body(pre + "probe a { b() }\n/* never closed\nprobe c { d() }\n",
                                pre.size(), "t.stp", &err));
  CHECK(sa::format_diag("stap-addprobe", err) ==
        "stap-addprobe: t.stp:4: error: this /* comment is never closed, so it would swallow every "
        "probe after it\n"
        "stap-addprobe: note: close it with */ or remove it, then run again\n");
  CHECK_FALSE(check_script_body(pre + "probe a { printf(\"x) }\n", pre.size(), "t.stp", &err));
  CHECK(err.line == 3);
  CHECK_FALSE(check_script_body(pre + "probe a {\n  if (x) {\n}\n", pre.size(), "t.stp", &err));
  CHECK(err.message == "this '{' is never closed, so it would swallow every probe after it");
  CHECK(err.line == 3);
  CHECK_FALSE(check_script_body(pre + "probe a { b() }\nprobe kernel.function(\"x\").call\n",
                                pre.size(), "t.stp", &err));
  CHECK(err.message == "this probe has no body, so it would swallow the probe after it");
  CHECK(err.line == 4);
  CHECK_FALSE(check_script_body(pre + "/*", pre.size(), "t.stp", &err));
  CHECK_FALSE(check_script_body(pre + "\"\\", pre.size(), "t.stp", &err));
  // A /* in the preamble is the preamble's business: the body starts after it.
  CHECK(check_script_body("/* pre\n" + pre, 7 + pre.size(), "t.stp", &err));
}

TEST_CASE("script edits: remove by predicate in one pass, lines counted as it goes") {
  std::string pre = "// end\n";
  std::string s = pre;
  std::vector<Probe> add;
  for (int i = 0; i < 1000; ++i)
    add.push_back({"kernel.function(\"f" + std::to_string(i) + "@x.c\").call", "trace_call()"});
  CHECK(append_probes(&s, pre.size(), add).size() == 1000);
  auto listed = list_probes(s, pre.size());
  REQUIRE(listed.size() == 1000);
  CHECK(listed[999].line == 1001);
  auto removed = remove_probes(
      &s, pre.size(), [](const std::string& p) { return p.find("f9") != std::string::npos; });
  CHECK(removed.size() == 111);  // f9, f90-f99, f900-f999
  CHECK(list_probes(s, pre.size()).size() == 889);
  CHECK(s.find("f9") == std::string::npos);
  CHECK(s.find("probe kernel.function(\"f899@x.c\").call { trace_call() }\n") != std::string::npos);
}

TEST_CASE("extents cache: a path or a name that is not UTF-8 is stored, not thrown on") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sa-cache-latin1-" + std::to_string(::getpid()));
  CacheKey key{"/tree/fs/caf\xe9.c", 1, 2, "-O2"};
  CacheEntry entry;
  FunctionInfo f;
  f.name = "caf\xe9";
  entry.index.functions.push_back(f);
  sa::Diag err;
  CHECK(cache_store(dir.string(), key, entry, &err));
  fs::remove_all(dir);
}
