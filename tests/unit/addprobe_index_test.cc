// SPDX-License-Identifier: GPL-2.0-or-later
// The libclang indexer on in-memory C snippets (unsaved files): function extents with skipped
// bodies, macro-made functions, static inline, lines between functions, nested braces, K&R
// definitions, #ifdef branches, and the code-line classification behind line snapping.
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
  req.args = {"-x", "c", "-std=gnu11", "-nostdinc", "-DCONFIG_ON=1", "-Dfalse=0"};
  req.unsaved[req.main_file] = text;
  sa::Diag err;
  auto idx = indexer->index(req, &err);
  REQUIRE_MESSAGE(idx.has_value(), err.message);
  return *idx;
}

}  // namespace

TEST_CASE("plain functions: extents, static, inline") {
  auto idx = index_snippet(
      "static int plain(int a)\n"                            // 1
      "{\n"                                                  // 2
      "\t/* comment */\n"                                    // 3
      "\tif (a)\n"                                           // 4
      "\t\treturn 1;\n"                                      // 5
      "\treturn 0;\n"                                        // 6
      "}\n"                                                  // 7
      "\n"                                                   // 8
      "int other(void);\n"                                   // 9  a prototype only
      "static inline int helper(int x) { return x * 2; }\n"  // 10
      "int other(void)\n"                                    // 11
      "{\n"                                                  // 12
      "\treturn helper(3);\n"                                // 13
      "}\n");                                                // 14
  REQUIRE(idx.errors == 0);
  REQUIRE(idx.functions.size() == 3);
  const auto& p = idx.functions[0];
  CHECK(p.name == "plain");
  CHECK(p.start_line == 1);
  CHECK(p.body_line == 2);
  CHECK(p.end_line == 7);
  CHECK(p.is_static);
  CHECK_FALSE(p.is_inline);
  CHECK(p.code_lines ==
        std::vector<int>{4, 6});  // an early constant return has no code, the last one does
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
      "\n"                              // 9
      "SYSCALL_DEFINE1(foo, int, x)\n"  // 10
      "{\n"                             // 11
      "\tint y;\n"                      // 12
      "\n"                              // 13
      "\ty = x + 1;\n"                  // 14
      "\treturn y;\n"                   // 15
      "}\n");                           // 16
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

TEST_CASE("functions a macro defines whole, body included, belong to its invocation's lines") {
  auto idx = index_snippet(
      "#define ATTR_RO(_name) \\\n"                                // 1
      "  static int show_##_name(int *b) { return *b + 1; } \\\n"  // 2
      "  static const int attr_##_name = 1;\n"                     // 3
      "#define DEFINE_TWO(n) \\\n"                                 // 4
      "  int first_##n(int x) { return x * n; } \\\n"              // 5
      "  int second_##n(int x) { return x + n; }\n"                // 6
      "#define EXPORT(f) extern typeof(f) f;\n"                    // 7
      "#define OBJECT_LIKE int object_like(void) { return 3; }\n"  // 8
      "ATTR_RO(dio)\n"                                             // 9
      "\n"                                                         // 10
      "DEFINE_TWO(\n"                                              // 11
      "\t7)\n"                                                     // 12
      "OBJECT_LIKE\n"                                              // 13
      "int after(int a)\n"                                         // 14
      "{\n"                                                        // 15
      "\treturn a;\n"                                              // 16
      "}\n"                                                        // 17
      "EXPORT(after)\n");                                          // 18
  REQUIRE(idx.errors == 0);
  std::vector<std::string> names;
  for (const auto& f : idx.functions) names.push_back(f.name);
  CHECK(names ==
        std::vector<std::string>{"show_dio", "first_7", "second_7", "object_like", "after"});
  const FunctionInfo* show = function_named(idx, "show_dio");
  REQUIRE(show);
  CHECK(show->macro == "ATTR_RO");
  CHECK(show->start_line == 9);
  CHECK(show->body_line == 9);
  CHECK(show->end_line == 9);
  CHECK(show->code_lines == std::vector<int>{9});
  CHECK(show->companions.empty());
  CHECK(function_at_line(idx, 9) == show);
  const FunctionInfo* second = function_named(idx, "second_7");
  REQUIRE(second);
  CHECK(second->start_line == 11);
  CHECK(second->end_line == 12);
  CHECK(second->code_lines == std::vector<int>{11, 12});
  const FunctionInfo* object = function_named(idx, "object_like");
  REQUIRE(object);
  CHECK(object->start_line == 13);
  CHECK(object->end_line == 13);
  CHECK(function_at_line(idx, 10) == nullptr);
  CHECK(function_at_line(idx, 18) == nullptr);  // a redeclaration of `after`
  CHECK(function_named(idx, "after")->start_line == 14);
}

TEST_CASE("nested braces, labels, declarations, switch and do/while: which lines hold code") {
  auto idx = index_snippet(
      "struct s { int a; };\n"                        // 1
      "int f(int n)\n"                                // 2
      "{\n"                                           // 3
      "\tstruct s v = { .a = 1 };\n"                  // 4 initializer: code
      "\tint i, total;\n"                             // 5 declaration: no code
      "\tstatic int calls;\n"                         // 6 static local: no code
      "\tunsigned long flags;\n"                      // 7 declaration
      "\n"                                            // 8
      "\tfor (i = 0; i < n; i++) {\n"                 // 9
      "\t\tif (i & 1) {\n"                            // 10
      "\t\t\ttotal += i;\n"                           // 11
      "\t\t} else {\n"                                // 12 braces and else: no code
      "\t\t\ttotal -= 1;\n"                           // 13
      "\t\t}\n"                                       // 14
      "\t}\n"                                         // 15
      "\tswitch (n) {\n"                              // 16
      "\tcase 1:\n"                                   // 17 label: no code
      "\t\tgoto out;\n"                               // 18 a jump: no code
      "\tdefault:\n"                                  // 19
      "\t\tbreak;\n"                                  // 20 a jump: no code
      "\t}\n"                                         // 21
      "\tdo {\n"                                      // 22
      "\t\tn--;\n"                                    // 23
      "\t} while (n > 0);\n"                          // 24
      "out:\n"                                        // 25 label
      "\treturn total + v.a + calls + (int)flags;\n"  // 26
      "}\n");                                         // 27
  REQUIRE(idx.errors == 0);
  REQUIRE(idx.functions.size() == 1);
  const auto& f = idx.functions[0];
  CHECK(f.start_line == 2);
  CHECK(f.body_line == 3);
  CHECK(f.end_line == 27);
  CHECK(f.code_lines ==
        std::vector<int>{4, 9, 10, 11, 13, 16, 23, 24, 26});  // 26: a cast counts as work
  // The lines that MAY hold code, which nothing moves without a line table: every statement's lines
  // (jumps included) and the closing brace, not plain declarations, labels, braces or blank lines.
  CHECK(f.token_lines == std::vector<int>{4, 9, 10, 11, 13, 16, 18, 20, 23, 24, 26, 27});
}

TEST_CASE("K&R definitions and annotations between the declarator and the body") {
  auto idx = index_snippet(
      "#define __acquires(x) __attribute__((unused))\n"  // 1
      "int old(a, b)\n"                                  // 2
      "int a;\n"                                         // 3
      "long b;\n"                                        // 4
      "{\n"                                              // 5
      "\treturn a + b;\n"                                // 6
      "}\n"                                              // 7
      "static void locked(int x) __acquires(x)\n"        // 8
      "{\n"                                              // 9
      "\t(void)x;\n"                                     // 10
      "}\n");                                            // 11
  REQUIRE(idx.functions.size() == 2);
  CHECK(idx.functions[0].name == "old");
  CHECK(idx.functions[0].body_line == 5);
  CHECK(idx.functions[0].end_line == 7);
  CHECK(idx.functions[1].name == "locked");
  CHECK(idx.functions[1].body_line == 9);
  CHECK(idx.functions[1].end_line == 11);
}

TEST_CASE("#ifdef branches: the disabled one is a skipped range, its function does not exist") {
  auto idx = index_snippet(
      "#ifdef CONFIG_OFF\n"  // 1
      "int gone(void)\n"     // 2
      "{\n"                  // 3
      "\treturn 1;\n"        // 4
      "}\n"                  // 5
      "#else\n"              // 6
      "int kept(void)\n"     // 7
      "{\n"                  // 8
      "#if CONFIG_ON\n"      // 9
      "\treturn 2;\n"        // 10
      "#else\n"              // 11
      "\treturn 3;\n"        // 12
      "#endif\n"             // 13
      "}\n"                  // 14
      "#endif\n");           // 15
  REQUIRE(idx.functions.size() == 1);
  CHECK(idx.functions[0].name == "kept");
  CHECK(idx.functions[0].code_lines == std::vector<int>{10});  // the last return
  CHECK(line_skipped(idx, 3));
  CHECK(line_skipped(idx, 12));
  CHECK_FALSE(line_skipped(idx, 10));
  CHECK(function_named(idx, "gone") == nullptr);
}

TEST_CASE("__init and __always_inline are recorded as markers; BPF_CALL-style wrappers") {
  auto idx = index_snippet(
      "#define __init __attribute__((section(\".init.text\")))\n"
      "#define __always_inline inline __attribute__((always_inline))\n"
      "#define BPF_CALL_1(name, t, a) \\\n"
      "  static __always_inline unsigned long ____##name(t a); \\\n"
      "  unsigned long name(unsigned long a) { return ____##name((t)a); } \\\n"
      "  static __always_inline unsigned long ____##name(t a)\n"
      "static int __init setup(void)\n"  // 7
      "{\n"
      "\treturn 0;\n"
      "}\n"                                       // 10
      "static __always_inline int tiny(int x)\n"  // 11
      "{\n"
      "\treturn x;\n"
      "}\n"                              // 14
      "BPF_CALL_1(bpf_thing, int, v)\n"  // 15
      "{\n"
      "\treturn (unsigned long)v << 2;\n"  // 17
      "}\n");
  REQUIRE(idx.functions.size() == 3);
  CHECK(idx.functions[0].markers == std::vector<std::string>{"__init"});
  CHECK(idx.functions[1].is_inline);
  CHECK(idx.functions[1].markers == std::vector<std::string>{"__always_inline"});
  CHECK(idx.functions[2].name == "____bpf_thing");
  CHECK(idx.functions[2].macro == "BPF_CALL_1");
  CHECK(idx.functions[2].code_lines == std::vector<int>{17});
}

TEST_CASE("continuation lines, braceless bodies and constant initializers") {
  auto idx = index_snippet(
      "#define A 1\n"           // 1
      "#define B 2\n"           // 2
      "int foo(int, int);\n"    // 3
      "int g(int a)\n"          // 4
      "{\n"                     // 5
      "\tint flags = A | B;\n"  // 6 constant initializer: no code
      "\tint v = a + 1;\n"      // 7 code
      "\tif (a &&\n"            // 8 code
      "\t    flags)\n"          // 9 continuation of the header
      "\t\treturn foo(a,\n"     // 10 the braceless body: code
      "\t\t\t   v);\n"          // 11 continuation
      "\tgoto out;\n"           // 12 a jump
      "out:\n"                  // 13 label
      "\treturn 0;\n"           // 14 the last return: the epilogue's line
      "}\n");                   // 15
  REQUIRE(idx.errors == 0);
  REQUIRE(idx.functions.size() == 1);
  CHECK(idx.functions[0].code_lines == std::vector<int>{7, 8, 10, 14});
  // A constant initializer, a continuation line and a jump may all get a line record.
  CHECK(idx.functions[0].token_lines == std::vector<int>{6, 7, 8, 9, 10, 11, 12, 14, 15});
}

TEST_CASE("bodies that do nothing: empty, or constant returns only") {
  auto idx = index_snippet(
      "#define ENOMEM 12\n"
      "int flag;\n"
      "static inline void stub(void) {}\n"
      "static inline int zero(int x) { return 0; }\n"
      "static inline int err(void) { return -ENOMEM; }\n"
      "static inline int no(void) { return false; }\n"
      "static inline int reads(void) { return !flag; }\n"
      "static inline void writes(void) { flag = 1; }\n");
  REQUIRE(idx.functions.size() == 6);
  CHECK(idx.functions[0].trivial);
  CHECK(idx.functions[1].trivial);
  CHECK(idx.functions[2].trivial);
  CHECK(idx.functions[3].trivial);
  CHECK_FALSE(idx.functions[4].trivial);
  CHECK_FALSE(idx.functions[5].trivial);
}
