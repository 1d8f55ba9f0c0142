// SPDX-License-Identifier: GPL-2.0-or-later
// The probe rules: from "this function" or "this line" of a parsed file to the SystemTap probe
// points that elaborate against the kernel's DWARF. Pure functions of their inputs, so every rule
// is unit-tested without libclang or a kernel tree.
//
//   - Point spelling: `kernel.function("NAME@FILE")`, `module("M").function("NAME@FILE")`, FILE
//   relative
//     to the tree. Always @FILE: static functions share names across files.
//   - SYSCALL_DEFINEn(x, ...) bodies live in __do_sys_x. On x86-64 6.1 that is static inline and
//   inlined
//     for n >= 1, so entries/exits go on __x64_sys_x; for SYSCALL_DEFINE0 __x64_sys_x is an alias
//     without DWARF and __do_sys_x is real. A symbol table, when known, decides (__do_sys_x present
//     -> use it).
//     __x64_sys_x's only parameter is a pt_regs, so when the table shows __se_sys_x inlined (it has
//     the arguments, as longs), entries go on `__se_sys_x.inline` and exits on the stubs' `.return`
//     (__x64_sys_x, and __ia32_sys_x when present, whose copy of __se_sys_x fires too).
//     COMPAT_SYSCALL_DEFINEn: __ia32_compat_sys_x. BPF_CALL_n(x): the wrapper x; lines in ____x.
//   - Inlined functions (declared inline, or absent from a known symbol table) get `.inline` and a
//     warning: they have no `.return` and their `.call` may never fire.
//     An inlined function whose body does nothing (`{}`, `{ return 0; }`: config stubs) has no
//     inlined copies in DWARF: an error, not a probe that cannot elaborate.
//   - __init/__exit and stap's blocklist: no probe, an error saying why (ktree::stap_refusal).
//     But stap decides by the function holding each address, and an inlined copy is its caller's
//     code: a line of a refused function, or a refused-by-section function the symbol table shows
//     inlined, gets its probe with the refusal pending (Resolution::refusal), for the DWARF step to
//     clear when copies stap probes exist. The file blocklist is never pending.
//   - A function whose only out-of-line copy is a partial clone (name.part.N: gcc inlined its entry
//     into the callers and split the rest out) is probed like an inlined one: `.inline`, with a
//     warning.
//   - Lines: `kernel.statement("FUNC@FILE:LINE")`, or `*@FILE:LINE` when a known symbol table shows
//   FUNC
//     has no whole out-of-line copy (stap elaborates FUNC@ only against an out-of-line FUNC). A
//     line that may hold code (any token) is probed as picked; only a blank, comment or directive
//     line snaps forward to the next code line of the function (with a note). The DWARF step, when
//     a build is known, then decides from the line table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clang_index.h"
#include "diag.h"
#include "kernel_tree.h"
#include "resolution.h"

namespace sa::addprobe {

enum class Mode { function, line };

struct ProbeCode {
  std::string call = "trace_call()";
  std::string ret = "trace_return()";
  std::string line = "trace_line()";
};

// The rules' input: one function of a parsed file (the locate step found it and checked the line is
// neither #if-disabled nor outside every function) and what the symbol table says.
struct RuleInput {
  const FunctionInfo* function = nullptr;
  std::string rel_file;
  ktree::BuildInfo build;
  const ktree::SymbolTable* symbols = nullptr;  // may be null: nothing known
  Mode mode = Mode::function;
  int line = 0;  // the picked line (line mode); 0 for function picks
  ProbeCode code;
  // Function mode: the name picked when it is one of f's companions (a stub the macro generates,
  // __se_sys_x, __ia32_sys_x): that stub is probed, not the syscall. Empty: the rules choose.
  std::string symbol;
};

// The symbol whose entry and exit probes work for `f` (the SYSCALL/BPF_CALL rules above).
std::string entry_symbol(const FunctionInfo& f, const ktree::SymbolTable* symbols,
                         const std::string& module);

std::optional<Resolution> apply_rules(const RuleInput& in, Diag* err);

// Snaps `line` of `f` to a line with code: itself, else the next code line of f, else f's closing
// brace. Returns 0 when `line` is not inside f.
int snap_line(const FunctionInfo& f, int line);

// True when `line` of `f` has a token (not blank, comment or directive): it may hold code, and no
// source-only rule may move it.
bool may_hold_code(const FunctionInfo& f, int line);

}  // namespace sa::addprobe
