// The probe rules: from "this function" or "this line" of a parsed file to the SystemTap probe points
// that elaborate against the kernel's DWARF. Pure functions of their inputs, so every rule is unit-tested
// without libclang or a kernel tree.
//
//   - Point spelling: `kernel.function("NAME@FILE")`, `module("M").function("NAME@FILE")`, FILE relative
//     to the tree. Always @FILE: static functions share names across files.
//   - SYSCALL_DEFINEn(x, ...) bodies live in __do_sys_x. On x86-64 6.1 that is static inline and inlined
//     for n >= 1, so entries/exits go on __x64_sys_x; for SYSCALL_DEFINE0 __x64_sys_x is an alias without
//     DWARF and __do_sys_x is real. A symbol table, when known, decides (__do_sys_x present -> use it).
//     __x64_sys_x's only parameter is a pt_regs, so when the table shows __se_sys_x inlined (it has the
//     arguments, as longs), entries go on `__se_sys_x.inline` and exits on the stubs' `.return`
//     (__x64_sys_x, and __ia32_sys_x when present, whose copy of __se_sys_x fires too).
//     COMPAT_SYSCALL_DEFINEn: __ia32_compat_sys_x. BPF_CALL_n(x): the wrapper x; lines in ____x.
//   - Inlined functions (declared inline, or absent from a known symbol table) get `.inline` and a
//     warning: they have no `.return` and their `.call` may never fire.
//     An inlined function whose body does nothing (`{}`, `{ return 0; }`: config stubs) has no inlined
//     copies in DWARF: an error, not a probe that cannot elaborate.
//   - __init/__exit and stap's blocklist: no probe, an error saying why (ktree::stap_refusal).
//   - Lines: `kernel.statement("FUNC@FILE:LINE")`; a line without code snaps forward to the next code
//     line of the same function (with a note); a line in #if-disabled code or outside every function is
//     an error (65) naming the nearest function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clang_index.h"
#include "diag.h"
#include "kernel_tree.h"

namespace sa::addprobe {

enum class Mode { function, line };

struct ProbeCode {
  std::string call = "trace_call()";
  std::string ret = "trace_return()";
  std::string line = "trace_line()";
};

struct Probe {
  std::string point;  // kernel.function("x@f").call
  std::string body;   // trace_call()
  std::string text() const { return "probe " + point + " { " + body + " }"; }
};

// What one location resolved to.
struct Resolution {
  std::string input;            // the location as the user wrote it
  std::string source_function;  // the function libclang found around the pick
  std::string function;         // the symbol the probes name
  std::string file;             // relative to the tree
  int line = 0;                 // the probed line (line mode) or the function's first line
  int picked_line = 0;          // line mode: the line picked, before snapping
  int function_body = 0;        // the line of the function's '{'
  int function_end = 0;         // the last line of the function
  std::string module;           // empty for vmlinux
  std::string kind;             // "function", "inline", "statement"
  std::vector<Probe> probes;
  std::vector<Diag> warnings;   // warnings and notes to print (severity warning or note)
  std::vector<std::string> notes;  // the same facts, as plain text for --json

  // Records a note both ways: to print (without a location) and for --json.
  void add_note(const std::string& msg) {
    Diag d;
    d.severity = Severity::note;
    d.message = msg;
    warnings.push_back(d);
    notes.push_back(msg);
  }

  // A statement probe moved to another line of its function: rewrites the point's ":LINE")" and
  // `line`. False (nothing changed) when the point is not spelled the way the rules spell it.
  bool move_statement(int to);
};

struct RuleInput {
  const FunctionInfo* function = nullptr;
  const FileIndex* index = nullptr;
  std::string rel_file;
  ktree::BuildInfo build;
  const ktree::SymbolTable* symbols = nullptr;  // may be null: nothing known
  Mode mode = Mode::function;
  int line = 0;  // the picked line (line mode); 0 for function picks
  ProbeCode code;
};

// The symbol whose entry and exit probes work for `f` (the SYSCALL/BPF_CALL rules above).
std::string entry_symbol(const FunctionInfo& f, const ktree::SymbolTable* symbols, const std::string& module);

// "kernel" or "module(\"m\")".
std::string probe_prefix(const std::string& module);

std::optional<Resolution> apply_rules(const RuleInput& in, Diag* err);

// Snaps `line` of `f` to a line with code: itself, else the next code line of f, else f's closing
// brace. Returns 0 when `line` is not inside f.
int snap_line(const FunctionInfo& f, int line);

}  // namespace sa::addprobe
