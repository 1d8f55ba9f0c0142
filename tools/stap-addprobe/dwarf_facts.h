// SPDX-License-Identifier: GPL-2.0-or-later
// What the kernel's DWARF says about a source file, when a build with DWARF is known (-r DIR whose
// vmlinux / .ko carry debug info, or -r RELEASE with Debian's -dbg package installed): which lines
// have line-table records (the only lines a statement probe can name), and whether a function has
// code (a concrete out-of-line instance, or inlined instances with code). Read with elfutils'
// libdw.
//
// Each question is about one compile unit: `cu` is the CU's DW_AT_name as the kernel's Makefiles
// spell it (kernel/tracepoint.c, drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c, or the .c that
// #includes the file), `file` the source file inside it (same spelling). Only compile-unit DIEs are
// read to find the CU; its children only to answer a function question. std::nullopt means "not
// known" (no DWARF, no such module file, no such CU, no such function): the caller then behaves as
// without DWARF.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "clang_index.h"
#include "diag.h"
#include "kernel_tree.h"
#include "probe_rules.h"

namespace sa::addprobe {

class DwarfFacts {
 public:
  virtual ~DwarfFacts() = default;
  // The lines of `file` that have a line-table record (is_stmt or not: stap takes either) in `cu`
  // of `module` ("" = vmlinux), outside partial clones (name.part.N), where stap never looks.
  virtual std::optional<std::set<int>> code_lines(const std::string& module, const std::string& cu,
                                                  const std::string& file) = 0;
  // Whether function `name` of `cu` has code: a DW_TAG_subprogram with an address range, or a
  // DW_TAG_inlined_subroutine of it with one (some); init_only when all such code is in .init.text
  // / .exit.text, which stap never probes. nullopt when the CU has no subprogram of that name.
  enum class Code { none, init_only, some };
  virtual std::optional<Code> function_code(const std::string& module, const std::string& cu,
                                            const std::string& name) = 0;
  // Whether `name` of `cu` has an out-of-line copy with code that is not a partial clone
  // (name.part.N): what `kernel.statement("NAME@FILE:LINE")` needs to elaborate. nullopt when not
  // known.
  virtual std::optional<bool> out_of_line(const std::string& module, const std::string& cu,
                                          const std::string& name) = 0;
  // The lines of `file` that have a line record inside a whole out-of-line copy of `name` (not a
  // partial clone name.part.N): where `kernel.statement("NAME@FILE:LINE")` elaborates, since stap
  // looks for the line's addresses in the function's own copy. A line whose code is only in
  // inlined copies is not among them (*@FILE:LINE reaches those). nullopt when not known.
  virtual std::optional<std::set<int>> own_lines(const std::string& module, const std::string& cu,
                                                 const std::string& file,
                                                 const std::string& name) = 0;
  // For each line of `file` that code_lines has, the functions declared in `file` whose code
  // holds a record of it: the out-of-line function around the record's address and every inlined
  // copy around it (DW_TAG_subprogram / DW_TAG_inlined_subroutine ranges). stap checks its
  // blocklist against each of them and probes the address when one passes. nullopt when not known.
  virtual std::optional<std::map<int, std::set<std::string>>> line_holders(
      const std::string& module, const std::string& cu, const std::string& file) = 0;
  // Whether `module` ("" = vmlinux) has a compile unit named `cu` (DW_AT_name, the file as the
  // kernel's Makefiles spell it): the file is compiled into that binary.
  virtual bool has_compile_unit(const std::string& module, const std::string& cu) = 0;
};

// The next line >= `line` and <= `last` in `lines`, or 0.
int next_code_line(const std::set<int>& lines, int line, int last);

// Corrects what the rules resolved for `f` of `rel` with the DWARF facts, when they are known:
//   - the line table decides a statement probe's line from the line PICKED (the rules' guess is
//     dropped): a line with a record (in any instance: out-of-line, inlined, .cold, as the CU's
//     line table holds them all) is probed as picked; one without moves to the next line of f that
//     has one (with a note), or, when none has, becomes an error (65): nothing there can be probed
//     (with `checked`, --check, it is left for stap -p2, which suggests an earlier line); the point
//     names every function holding the line (*@FILE:LINE) when f has no whole out-of-line copy;
//   - an .inline probe of a function without any instance with code becomes an error (65);
//   - a pending refusal (Resolution::refusal) is cleared when stap probes the copies after all:
//     an .inline probe whose function has code outside init/exit sections, or a statement whose
//     line has a record in a function (or inlined copy) stap does not refuse; the statement then
//     moves to such a line and names every function holding it (*@FILE:LINE).
// Returns false with *err set for those errors; true (r maybe changed) otherwise. Unknown facts
// change nothing.
bool refine_with_dwarf(DwarfFacts& dwarf, const ktree::BuildInfo& build, const std::string& rel,
                       const FunctionInfo& f, Resolution* r, Diag* err, bool checked = false);

// libdw over `build_dir` (-r: a folder with vmlinux and .ko files, or a release whose debug files
// are in /usr/lib/debug/lib/modules/RELEASE). Never fails: files without DWARF answer nullopt.
std::unique_ptr<DwarfFacts> open_dwarf_facts(const std::string& build_dir);

// The in-memory twin for unit tests: facts keyed by module + "\n" + cu (+ "\n" + file / name).
class MemoryDwarfFacts : public DwarfFacts {
 public:
  std::map<std::string, std::set<int>> lines;  // module\ncu\nfile -> lines
  std::map<std::string, Code> functions;       // module\ncu\nname -> its code
  std::map<std::string, bool> outside;         // module\ncu\nname -> has an out-of-line copy
  std::map<std::string, std::set<int>> own;    // module\ncu\nfile\nname -> lines of its own copy
  std::map<std::string, std::map<int, std::set<std::string>>> holders;  // module\ncu\nfile
  std::set<std::string> units;                                          // module\ncu
  std::optional<std::set<int>> code_lines(const std::string& module, const std::string& cu,
                                          const std::string& file) override {
    auto it = lines.find(module + "\n" + cu + "\n" + file);
    if (it == lines.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Code> function_code(const std::string& module, const std::string& cu,
                                    const std::string& name) override {
    auto it = functions.find(module + "\n" + cu + "\n" + name);
    if (it == functions.end()) return std::nullopt;
    return it->second;
  }
  std::optional<bool> out_of_line(const std::string& module, const std::string& cu,
                                  const std::string& name) override {
    auto it = outside.find(module + "\n" + cu + "\n" + name);
    if (it == outside.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::set<int>> own_lines(const std::string& module, const std::string& cu,
                                         const std::string& file,
                                         const std::string& name) override {
    auto it = own.find(module + "\n" + cu + "\n" + file + "\n" + name);
    if (it == own.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::map<int, std::set<std::string>>> line_holders(
      const std::string& module, const std::string& cu, const std::string& file) override {
    auto it = holders.find(module + "\n" + cu + "\n" + file);
    if (it == holders.end()) return std::nullopt;
    return it->second;
  }
  bool has_compile_unit(const std::string& module, const std::string& cu) override {
    return units.count(module + "\n" + cu) > 0;
  }
};

}  // namespace sa::addprobe
