// The libclang indexer on in-memory C snippets (unsaved files): function extents with skipped bodies,
// macro-made functions, static inline, lines between functions, nested braces, K&R definitions,
// #ifdef branches, and the code-line classification behind line snapping.
#include <doctest/doctest.h>

#include <algorithm>

#include "clang_index.h"

using namespace sa::addprobe;

namespace {

FileIndex index_snippet(const std::string& text) {
  static auto indexer = make_clang_indexer();
  ParseRequest req;
  req.main_file = "/sa-test/snippet.c";
  req.target_file = req.main_file;
  req.args = {"-x", "c", "-std=gnu11", "-nostdinc", "-DCONFIG_ON=1"};
  req.unsaved[req.main_file] = text;
  sa::Diag err;
  auto idx = indexer->index(req, &err);
  REQUIRE_MESSAGE(idx.has_value(), err.message);
  return *idx;
}

bool has_code(const FunctionInfo& f, int line) {
  return std::find(f.code_lines.begin(), f.code_lines.end(), line) != f.code_lines.end();
}

}  // namespace

TEST_CASE("plain functions: extents, static, inline") {
  auto idx = index_snippet(
      "static int plain(int a)\n"    // 1
      "{\n"                          // 2
      "\t/* comment */\n"            // 3
      "\tif (a)\n"                   // 4
      "\t\treturn 1;\n"              // 5
      "\treturn 0;\n"                // 6
      "}\n"                          // 7
      "\n"                           // 8
      "int other(void);\n"           // 9  a prototype only
      "static inline int helper(int x) { return x * 2; }\n"  // 10
      "int other(void)\n"            // 11
      "{\n"                          // 12
      "\treturn helper(3);\n"        // 13
      "}\n");                        // 14
  REQUIRE(idx.errors == 0);
  REQUIRE(idx.functions.size() == 3);
  const auto& p = idx.functions[0];
  CHECK(p.name == "plain");
  CHECK(p.start_line == 1);
  CHECK(p.body_line == 2);
  CHECK(p.end_line == 7);
  CHECK(p.is_static);
  CHECK_FALSE(p.is_inline);
  CHECK(p.code_lines == std::vector<int>{4, 5, 6});
  CHECK(idx.functions[1].name == "helper");
  CHECK(idx.functions[1].is_inline);
  CHECK(idx.functions[1].start_line == 10);
  CHECK(idx.functions[1].end_line == 10);
  CHECK(idx.functions[2].name == "other");
  CHECK(idx.functions[2].start_line == 11);
  CHECK_FALSE(idx.functions[2].is_static);
  CHECK(function_at_line(idx, 8) == nullptr);
  CHECK(nearest_function(idx, 8)->name == "plain");
  CHECK(function_at_line(idx, 13)->name == "other");
}

TEST_CASE("macro-made functions: SYSCALL_DEFINE owns the body, the wrappers are companions") {
  auto idx = index_snippet(
      "#define SYSCALL_DEFINE1(name, t, a) \\\n"
      "  static long __se_sys_##name(long a); \\\n"
      "  static inline long __do_sys_##name(t a); \\\n"
      "  long __x64_sys_##name(long a) { return __se_sys_##name(a); } \\\n"
      "  static long __se_sys_##name(long a) { \\\n"
      "    long ret = __do_sys_##name((t)a); \\\n"
      "    return ret; } \\\n"
      "  static inline long __do_sys_##name(t a)\n"
      "\n"                                  // 9
      "SYSCALL_DEFINE1(foo, int, x)\n"      // 10
      "{\n"                                 // 11
      "\tint y;\n"                          // 12
      "\n"                                  // 13
      "\ty = x + 1;\n"                      // 14
      "\treturn y;\n"                       // 15
      "}\n");                               // 16
  REQUIRE(idx.errors == 0);
  REQUIRE(idx.functions.size() == 1);
  const auto& f = idx.functions[0];
  CHECK(f.name == "__do_sys_foo");
  CHECK(f.macro == "SYSCALL_DEFINE1");
  CHECK(f.is_inline);
  CHECK(f.start_line == 10);
  CHECK(f.body_line == 11);
  CHECK(f.end_line == 16);
  CHECK(std::find(f.companions.begin(), f.companions.end(), "__x64_sys_foo") != f.companions.end());
  CHECK(std::find(f.companions.begin(), f.companions.end(), "__se_sys_foo") != f.companions.end());
  CHECK(f.code_lines == std::vector<int>{14, 15});
  CHECK(function_named(idx, "__x64_sys_foo") == &f);
}
