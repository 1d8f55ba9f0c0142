// SPDX-License-Identifier: GPL-2.0-or-later
// The function map of one C file: where each function's definition starts, where its body's braces
// are, which of its lines hold code, and which lines the preprocessor skipped (#if-disabled code).
//
// This is the only thing stap-addprobe needs from libclang, so the whole libclang API is confined
// to clang_index.cc behind the SourceIndexer interface. The real indexer loads libclang with
// dlopen() on its first parse: a repeat pick served from the extents cache never pays libclang's
// ~37 ms load. Tests use FakeIndexer (below) or parse in-memory snippets through `unsaved` files.
//
// How the map is made (clang_index.cc): one parse with CXTranslationUnit_SkipFunctionBodies and
// DetailedPreprocessingRecord. With skipped bodies a function's extent stops at its declarator's
// ')', so the body is found from the file's tokens: the first '{' after the declarator at
// parenthesis depth 0 (skipping annotations such as __acquires(x)), then the matching '}'. A ';'
// first means a prototype. Functions made by a macro (SYSCALL_DEFINE3(...) { ... }) all map to the
// macro's invocation; only the last function the expansion declares owns the body written after it,
// the others become its `companions` (__x64_sys_NAME, __se_sys_NAME). Code lines are classified
// from tokens (see code_lines).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diag.h"

namespace sa::addprobe {

struct FunctionInfo {
  std::string name;
  int start_line =
      0;  // first line of the definition (the macro invocation for macro-made functions)
  int body_line = 0;  // line of the body's '{'
  int end_line = 0;   // line of the body's '}'
  bool is_static = false;
  bool is_inline = false;  // declared inline (inline, __always_inline, static inline)
  std::string macro;       // the macro that made it (SYSCALL_DEFINE3), empty when written out
  std::vector<std::string> companions;  // other functions the same macro invocation defined
  std::vector<int> code_lines;          // body lines holding code, ascending (see clang_index.cc)
  std::vector<int> token_lines;      // body lines that MAY hold code (every line of a statement but
                                     // a plain declaration; the closing brace): nothing moves them
  bool trivial = false;              // the body does nothing: empty, or `return CONSTANT;` only
  std::vector<std::string> markers;  // section/inlining annotations written before the body:
                                     // __init, __exit, __always_inline, noinline, notrace, ...
};

struct FileIndex {
  std::vector<FunctionInfo> functions;       // definitions in the target file, by start_line
  std::vector<std::pair<int, int>> skipped;  // [first, last] lines skipped by #if, inclusive
  int errors = 0;                            // parse errors (the map may be partial)
  std::vector<std::string> first_errors;     // up to 5 formatted error messages
};

struct ParseRequest {
  std::string main_file;          // the file given to the compiler (absolute path)
  std::string target_file;        // whose functions are wanted: main_file, or a .c it #includes
  std::vector<std::string> args;  // compiler arguments without the input file
  std::map<std::string, std::string> unsaved;  // path -> contents, for in-memory parses
};

class SourceIndexer {
 public:
  virtual ~SourceIndexer() = default;
  // Parses and maps `req.target_file`. nullopt with *err when the file could not be parsed at all
  // (libclang missing, file unreadable); parse errors are counted in FileIndex::errors instead.
  virtual std::optional<FileIndex> index(const ParseRequest& req, Diag* err) = 0;
};

// The libclang indexer. Loads libclang-14 lazily, on the first index() call.
std::unique_ptr<SourceIndexer> make_clang_indexer();

// True once libclang has been loaded in this process (for tests of the lazy path).
bool libclang_loaded();

// The in-memory twin: returns the map it was given for a target file, and counts the calls.
class FakeIndexer : public SourceIndexer {
 public:
  std::map<std::string, FileIndex> files;
  int calls = 0;
  std::optional<FileIndex> index(const ParseRequest& req, Diag* err) override {
    ++calls;
    auto it = files.find(req.target_file);
    if (it == files.end()) {
      *err = Diag::error_at(Exit::no_input, req.target_file, 0, "no such file in the fake index");
      return std::nullopt;
    }
    return it->second;
  }
};

// Helpers on a map, shared by the resolver and tests.
const FunctionInfo* function_at_line(const FileIndex& idx, int line);
const FunctionInfo* function_named(const FileIndex& idx, const std::string& name);
// The function whose definition is nearest to `line` (for "line outside any function" errors).
const FunctionInfo* nearest_function(const FileIndex& idx, int line);
bool line_skipped(const FileIndex& idx, int line);

}  // namespace sa::addprobe
