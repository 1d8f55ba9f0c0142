// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark helper for bench/addprobe-speed.sh: parses one file of a kernel tree with libclang,
// linked normally (not dlopen'ed), with the flags stap-addprobe would use, once with full bodies
// and once with CXTranslationUnit_SkipFunctionBodies, and prints "full_ms skip_ms full_cpu_ms
// skip_cpu_ms errors" (wall, then CPU time of the parse). With --noop it only starts and exits: its
// wall time minus a program without libclang is what linking libclang costs a process.
#include <clang-c/Index.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "kernel_tree.h"

static double cpu_ms() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

static double parse_ms(const std::string& file, const std::vector<std::string>& args,
                       unsigned flags, int* errors, double* cpu) {
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_ms();
  CXIndex index = clang_createIndex(0, 0);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  CXTranslationUnit tu = nullptr;
  clang_parseTranslationUnit2(index, file.c_str(), argv.data(), static_cast<int>(argv.size()),
                              nullptr, 0, flags | CXTranslationUnit_KeepGoing, &tu);
  *errors = 0;
  if (tu) {
    for (unsigned i = 0; i < clang_getNumDiagnostics(tu); ++i) {
      CXDiagnostic d = clang_getDiagnostic(tu, i);
      if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) ++*errors;
      clang_disposeDiagnostic(d);
    }
    clang_disposeTranslationUnit(tu);
  }
  clang_disposeIndex(index);
  *cpu = cpu_ms() - c0;
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--noop") == 0) {
    return clang_getNullCursor().kind == CXCursor_InvalidFile ? 0 : 1;  // keeps libclang linked
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: addprobe_parse TREE REL_FILE | --noop\n");
    return 64;
  }
  sa::Diag err;
  auto tree = sa::ktree::find_kernel_tree(argv[1], argv[1], "", &err);
  if (!tree) {
    std::fprintf(stderr, "%s\n", err.message.c_str());
    return 66;
  }
  auto bi = sa::ktree::build_info(*tree, argv[2]);
  std::string main_rel = bi.includer.empty() ? argv[2] : bi.includer;
  bool is_module = bi.kind == sa::ktree::BuildInfo::Kind::module;
  auto args = sa::ktree::compile_args(*tree, main_rel, is_module ? bi.module : "", is_module);
  std::string file = tree->src + "/" + main_rel;
  int e_full = 0, e_skip = 0;
  double c_full = 0, c_skip = 0;
  double full = parse_ms(file, args, 0, &e_full, &c_full);
  double skip = parse_ms(file, args, CXTranslationUnit_SkipFunctionBodies, &e_skip, &c_skip);
  std::printf("%.0f %.0f %.0f %.0f %d\n", full, skip, c_full, c_skip, e_full);
  return 0;
}
