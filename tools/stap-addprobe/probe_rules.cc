// SPDX-License-Identifier: GPL-2.0-or-later
// The probe rules; see probe_rules.h for the list and the reasons behind each one.
#include "probe_rules.h"

#include <algorithm>

namespace sa::addprobe {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The ELF section the function's annotations put it in, when stap cares (.init.text, ...), or
// empty.
std::string section_of(const FunctionInfo& f) {
  static const std::pair<const char*, const char*> sections[] = {{"__init", ".init.text"},
                                                                 {"__exit", ".exit.text"},
                                                                 {"__meminit", ".meminit.text"},
                                                                 {"noinstr", ".noinstr.text"},
                                                                 {"__kprobes", ".kprobes.text"}};
  for (const auto& [marker, section] : sections)
    if (has(f.markers, marker)) return section;
  return "";
}

// For a SYSCALL_DEFINEn body probed on its __x64_sys_x stub: "__se_sys_x" when the symbol table
// says gcc inlined it (it always does on Debian's 6.1), else empty.
std::string syscall_arguments_inline(const FunctionInfo& f, const std::string& sym,
                                     const ktree::SymbolTable* symbols, const std::string& module) {
  if (!starts_with(f.macro, "SYSCALL_DEFINE") || !starts_with(sym, "__x64_sys_")) return "";
  std::string se = "__se_sys_" + sym.substr(10);
  if (!has(f.companions, se) || !symbols || !symbols->knows(module)) return "";
  if (!symbols->has_function(module, sym) || symbols->has_function(module, se)) return "";
  return se;
}

}  // namespace

std::string entry_symbol(const FunctionInfo& f, const ktree::SymbolTable* symbols,
                         const std::string& module) {
  auto known = [&](const std::string& name) -> int {  // 1 present, 0 absent, -1 unknown
    if (!symbols || !symbols->knows(module)) return -1;
    return symbols->has_function(module, name) ? 1 : 0;
  };
  if (starts_with(f.macro, "SYSCALL_DEFINE") && starts_with(f.name, "__do_sys_")) {
    std::string x = f.name.substr(9);
    int real = known(f.name);
    if (real == 1) return f.name;
    if (real == -1 && f.macro == "SYSCALL_DEFINE0") return f.name;
    return "__x64_sys_" + x;
  }
  if (starts_with(f.macro, "COMPAT_SYSCALL_DEFINE") && starts_with(f.name, "__do_compat_sys_")) {
    if (known(f.name) == 1) return f.name;
    if (known(f.name) == -1 && f.macro == "COMPAT_SYSCALL_DEFINE0") return f.name;
    return "__ia32_compat_sys_" + f.name.substr(16);
  }
  if (starts_with(f.macro, "BPF_CALL_") && starts_with(f.name, "____")) return f.name.substr(4);
  return f.name;
}

int snap_line(const FunctionInfo& f, int line) {
  if (line < f.start_line || line > f.end_line) return 0;
  auto it = std::lower_bound(f.code_lines.begin(), f.code_lines.end(), line);
  if (it != f.code_lines.end() && *it <= f.end_line) return *it;
  return f.end_line;
}

bool may_hold_code(const FunctionInfo& f, int line) {
  return std::binary_search(f.token_lines.begin(), f.token_lines.end(), line) ||
         std::binary_search(f.code_lines.begin(), f.code_lines.end(), line);
}

std::optional<Resolution> apply_rules(const RuleInput& in, Diag* err) {
  const FunctionInfo& f = *in.function;
  Resolution r;
  r.source_function = f.name;
  r.file = in.rel_file;
  r.module = in.build.kind == ktree::BuildInfo::Kind::module ? in.build.module : "";
  // @FILE as DWARF spells it (amdgpu/../display/...), which may differ from the path picked.
  const std::string& dwarf_file = in.build.dwarf_path.empty() ? in.rel_file : in.build.dwarf_path;
  auto target = [&](PointKind kind, const std::string& symbol, Suffix suffix,
                    const std::string& body) {
    ProbeTarget t;
    t.kind = kind;
    t.module = r.module;
    t.symbol = symbol;
    t.file = dwarf_file;
    t.suffix = suffix;
    t.body = body;
    return t;
  };
  auto warning = [&](NoteKind kind, const std::string& symbol, const std::string& other,
                     const std::string& text) {
    Note n{kind};
    n.file = in.rel_file;
    n.line = f.start_line;
    n.symbol = symbol;
    n.other = other;
    n.text = text;
    r.notes.push_back(n);
  };
  bool table_known = in.symbols && in.symbols->knows(r.module);
  std::string binary = r.module.empty() ? std::string("vmlinux") : r.module + ".ko";

  std::string sym = in.mode == Mode::line ? f.name
                    : !in.symbol.empty()  ? in.symbol
                                          : entry_symbol(f, in.symbols, r.module);
  std::string section = section_of(f);
  if (table_known) {
    std::string s = in.symbols->section(r.module, sym);
    if (!s.empty()) section = s;
  }
  // A module's init/exit code stays probeable: stap places those probes when the module is
  // loaded (unloaded) after the script starts. vmlinux's is freed at boot, and refused.
  auto init_or_exit = [](const std::string& s) {
    return starts_with(s, ".init.") || starts_with(s, ".exit.");
  };
  // The section stap's refusal rules see: none for a module's init/exit code.
  auto checked_section = [&](const std::string& s) {
    return !r.module.empty() && init_or_exit(s) ? std::string() : s;
  };
  bool module_init_exit = !r.module.empty() && init_or_exit(section);
  std::string refusal = ktree::stap_refusal(sym, checked_section(section), in.rel_file);
  if (refusal.empty() && sym != f.name)
    refusal = ktree::stap_refusal(f.name, checked_section(section_of(f)), in.rel_file);
  if (!refusal.empty()) {
    Diag refused = Diag::error_at(Exit::data_error, in.rel_file, in.line ? in.line : f.start_line,
                                  "systemtap cannot probe " + sym + ": " + refusal);
    // Only the function's own out-of-line copy is where its name and section say: stap checks
    // each address against the function holding it, and an inlined copy is its caller's code. A
    // line may be inlined into a function stap probes; a function refused for its section alone
    // and absent from the symbol table (inlined everywhere) lives in its callers' sections. The
    // DWARF step decides those; the file blocklist covers every function of the file.
    auto by_section_only = [&](const std::string& name) {
      return ktree::stap_refusal(name, "", in.rel_file).empty();
    };
    bool inlined_everywhere = table_known && !in.symbols->has_function(r.module, sym) &&
                              by_section_only(sym) && by_section_only(f.name);
    bool pending = ktree::stap_file_refusal(in.rel_file).empty() &&
                   (in.mode == Mode::line || inlined_everywhere);
    if (!pending) {
      *err = refused;
      return std::nullopt;
    }
    r.refusal = refused;
    Note n{NoteKind::copies_elsewhere};
    n.symbol = sym;
    n.text = refusal;
    n.file = dwarf_file;
    r.notes.push_back(n);  // the DWARF step fills in the line and the functions holding it
  }
  r.function = sym;
  if (module_init_exit) {
    warning(NoteKind::module_init_exit, sym, section, "");
    r.notes.back().binary = binary;
  }
  if (sym != f.name) {
    Note n{NoteKind::macro_symbol};
    n.function = f.name;
    n.text = f.macro;
    n.symbol = sym;
    r.notes.push_back(n);
  }

  if (in.mode == Mode::line) {
    int line = in.line;
    if (!may_hold_code(f, in.line)) {
      line = snap_line(f, in.line);
      if (line != in.line) {
        bool at_end = line == f.end_line && std::find(f.code_lines.begin(), f.code_lines.end(),
                                                      line) == f.code_lines.end();
        Note n{at_end ? NoteKind::snapped_to_end : NoteKind::snapped_to_code};
        n.line = in.line;
        n.to = line;
        n.function = f.name;
        r.notes.push_back(n);
      }
    }
    r.line = line;
    r.picked_line = in.line;
    r.function_body = f.body_line;
    r.function_end = f.end_line;
    r.kind = TargetKind::statement;
    // FUNC@FILE:LINE elaborates only against an out-of-line FUNC; a function that exists only as
    // inlined copies (or a partial clone) is named by every function that holds the line.
    bool out_of_line = (!table_known || in.symbols->has_function(r.module, f.name)) && !r.refusal;
    ProbeTarget t =
        target(PointKind::statement, out_of_line ? f.name : "*", Suffix::none, in.code.line);
    t.line = line;
    r.targets.push_back(t);
    if (!out_of_line && !r.refusal) {
      Note n{NoteKind::every_copy};
      n.function = f.name;
      n.binary = binary;
      n.file = dwarf_file;
      r.notes.push_back(n);
    }
    return r;
  }

  r.line = f.start_line;
  bool in_table = table_known && in.symbols->has_function(r.module, sym);
  std::string part = table_known && !in_table ? in.symbols->part_clone(r.module, sym) : "";
  bool inlined = table_known ? !in_table : (f.is_inline && sym == f.name);
  if (inlined && part.empty() && f.trivial && sym == f.name) {
    *err = Diag::error_at(
        Exit::data_error, in.rel_file, f.start_line,
        sym +
            " has no code of its own (its body is empty or returns a constant), and it is "
            "inlined: its copies are optimized away, so there is nothing to probe");
    err->note("probe its callers instead");
    return std::nullopt;
  }
  if (inlined) {
    if (!part.empty()) {
      warning(NoteKind::part_clone, sym, part, "");
    } else {
      std::string why = table_known ? binary + " has no symbol " + sym + ": gcc inlined it"
                                    : sym + " is declared inline";
      warning(NoteKind::inlined, sym, "", why);
    }
    r.kind = TargetKind::inline_function;
    r.targets.push_back(target(PointKind::function, sym, Suffix::inline_, in.code.call));
    return r;
  }
  r.kind = TargetKind::function;
  if (std::string se = syscall_arguments_inline(f, sym, in.symbols, r.module); !se.empty()) {
    // The stub's own parameter is a pt_regs; the arguments are __se_sys_x's (as longs). Entries are
    // its inlined copies, in the x86-64 stub and in the ia32 one; exits are the stubs' returns.
    r.targets.push_back(target(PointKind::function, se, Suffix::inline_, in.code.call));
    r.targets.push_back(target(PointKind::function, sym, Suffix::return_, in.code.ret));
    std::string ia32 = "__ia32_sys_" + sym.substr(10);
    bool has_ia32 = in.symbols->has_function(r.module, ia32);
    if (has_ia32)
      r.targets.push_back(target(PointKind::function, ia32, Suffix::return_, in.code.ret));
    Note n{NoteKind::syscall_entries};
    n.symbol = se;
    n.text = sym;
    n.other = has_ia32 ? ia32 : "";
    r.notes.push_back(n);
    return r;
  }
  r.targets.push_back(target(PointKind::function, sym, Suffix::call, in.code.call));
  if (ktree::stap_refuses_return(sym)) {
    warning(NoteKind::no_return, sym, "", "");
    return r;
  }
  r.targets.push_back(target(PointKind::function, sym, Suffix::return_, in.code.ret));
  return r;
}

}  // namespace sa::addprobe
