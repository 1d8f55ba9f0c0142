// The probe rules; see probe_rules.h for the list and the reasons behind each one.
#include "probe_rules.h"

#include <algorithm>

namespace sa::addprobe {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string quoted_point(const std::string& kind, const std::string& module, const std::string& spec) {
  return probe_prefix(module) + "." + kind + "(\"" + spec + "\")";
}

// The ELF section the function's annotations put it in, when stap cares (.init.text, ...), or empty.
std::string section_of(const FunctionInfo& f) {
  static const std::pair<const char*, const char*> sections[] = {
      {"__init", ".init.text"}, {"__exit", ".exit.text"}, {"__meminit", ".meminit.text"},
      {"noinstr", ".noinstr.text"}, {"__kprobes", ".kprobes.text"}};
  for (const auto& [marker, section] : sections)
    if (has(f.markers, marker)) return section;
  return "";
}

// For a SYSCALL_DEFINEn body probed on its __x64_sys_x stub: "__se_sys_x" when the symbol table says
// gcc inlined it (it always does on Debian's 6.1), else empty.
std::string syscall_arguments_inline(const FunctionInfo& f, const std::string& sym, const ktree::SymbolTable* symbols,
                                     const std::string& module) {
  if (!starts_with(f.macro, "SYSCALL_DEFINE") || !starts_with(sym, "__x64_sys_")) return "";
  std::string se = "__se_sys_" + sym.substr(10);
  if (!has(f.companions, se) || !symbols || !symbols->knows(module)) return "";
  if (!symbols->has_function(module, sym) || symbols->has_function(module, se)) return "";
  return se;
}

}  // namespace

std::string probe_prefix(const std::string& module) {
  return module.empty() ? "kernel" : "module(\"" + module + "\")";
}

std::string entry_symbol(const FunctionInfo& f, const ktree::SymbolTable* symbols, const std::string& module) {
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

bool Resolution::move_statement(int to) {
  if (kind != "statement" || probes.size() != 1) return false;
  std::string& point = probes[0].point;
  std::string tail = ":" + std::to_string(line) + "\")";
  if (point.size() < tail.size() || point.compare(point.size() - tail.size(), tail.size(), tail) != 0) return false;
  point.replace(point.size() - tail.size(), tail.size(), ":" + std::to_string(to) + "\")");
  line = to;
  return true;
}

int snap_line(const FunctionInfo& f, int line) {
  if (line < f.start_line || line > f.end_line) return 0;
  auto it = std::lower_bound(f.code_lines.begin(), f.code_lines.end(), line);
  if (it != f.code_lines.end() && *it <= f.end_line) return *it;
  return f.end_line;
}

std::optional<Resolution> apply_rules(const RuleInput& in, Diag* err) {
  const FunctionInfo& f = *in.function;
  Resolution r;
  r.source_function = f.name;
  r.file = in.rel_file;
  r.module = in.build.kind == ktree::BuildInfo::Kind::module ? in.build.module : "";
  auto warn = [&](int line, const std::string& msg) {
    r.warnings.push_back(Diag::warning_at(in.rel_file, line, msg));
    r.notes.push_back(msg);
  };
  auto note = [&](const std::string& msg) { r.add_note(msg); };

  // @FILE as DWARF spells it (amdgpu/../display/...), which may differ from the path picked.
  const std::string& dwarf_file = in.build.dwarf_path.empty() ? in.rel_file : in.build.dwarf_path;
  std::string sym = in.mode == Mode::function ? entry_symbol(f, in.symbols, r.module) : f.name;
  std::string section = section_of(f);
  if (in.symbols && in.symbols->knows(r.module)) {
    std::string s = in.symbols->section(r.module, sym);
    if (!s.empty()) section = s;
  }
  std::string refusal = ktree::stap_refusal(sym, section, in.rel_file);
  if (refusal.empty() && sym != f.name) refusal = ktree::stap_refusal(f.name, section_of(f), in.rel_file);
  if (!refusal.empty()) {
    *err = Diag::error_at(Exit::data_error, in.rel_file, in.line ? in.line : f.start_line,
                          "systemtap cannot probe " + sym + ": " + refusal);
    return std::nullopt;
  }
  r.function = sym;
  if (sym != f.name) note(f.name + " is made by " + f.macro + "; probing " + sym);

  if (in.mode == Mode::line) {
    if (line_skipped(*in.index, in.line)) {
      *err = Diag::error_at(Exit::data_error, in.rel_file, in.line,
                            "this line is in code disabled by #if in this configuration");
      return std::nullopt;
    }
    int line = snap_line(f, in.line);
    if (line != in.line) {
      bool at_end = line == f.end_line &&
                    std::find(f.code_lines.begin(), f.code_lines.end(), line) == f.code_lines.end();
      note("line " + std::to_string(in.line) + " has no code; probing line " + std::to_string(line) +
           (at_end ? ", the end of " : ", the next line with code in ") + f.name);
    }
    r.line = line;
    r.picked_line = in.line;
    r.function_body = f.body_line;
    r.function_end = f.end_line;
    r.kind = "statement";
    r.probes.push_back({quoted_point("statement", r.module, f.name + "@" + dwarf_file + ":" + std::to_string(line)),
                        in.code.line});
    return r;
  }

  r.line = f.start_line;
  bool in_table = false, table_known = in.symbols && in.symbols->knows(r.module);
  if (table_known) in_table = in.symbols->has_function(r.module, sym);
  std::string spec = sym + "@" + dwarf_file;
  bool inlined = table_known ? !in_table : (f.is_inline && sym == f.name);
  if (inlined && f.trivial && sym == f.name) {
    *err = Diag::error_at(Exit::data_error, in.rel_file, f.start_line,
                          sym + " has no code of its own (its body is empty or returns a constant), and it is "
                                "inlined: its copies are optimized away, so there is nothing to probe");
    err->note("probe its callers instead");
    return std::nullopt;
  }
  if (inlined) {
    std::string why = table_known ? (r.module.empty() ? std::string("vmlinux") : r.module + ".ko") +
                                        " has no symbol " + sym + ": gcc inlined it"
                                  : sym + " is declared inline";
    warn(f.start_line, why + "; probing its inlined copies with .inline (there is no .return, and "
                             "a .call probe would never fire)");
    r.kind = "inline";
    r.probes.push_back({quoted_point("function", r.module, spec) + ".inline", in.code.call});
    return r;
  }
  r.kind = "function";
  if (std::string se = syscall_arguments_inline(f, sym, in.symbols, r.module); !se.empty()) {
    // The stub's own parameter is a pt_regs; the arguments are __se_sys_x's (as longs). Entries are
    // its inlined copies, in the x86-64 stub and in the ia32 one; exits are the stubs' returns.
    r.probes.push_back({quoted_point("function", r.module, se + "@" + dwarf_file) + ".inline", in.code.call});
    r.probes.push_back({quoted_point("function", r.module, spec) + ".return", in.code.ret});
    std::string ia32 = "__ia32_sys_" + sym.substr(10);
    if (in.symbols->has_function(r.module, ia32))
      r.probes.push_back({quoted_point("function", r.module, ia32 + "@" + dwarf_file) + ".return", in.code.ret});
    note("entries on " + se + " (inlined into the stubs; its parameters are the syscall's arguments as longs), "
         "exits on " + sym + (r.probes.size() == 3 ? " and " + ia32 : ""));
    return r;
  }
  r.probes.push_back({quoted_point("function", r.module, spec) + ".call", in.code.call});
  if (ktree::stap_refuses_return(sym)) {
    warn(f.start_line, "systemtap refuses .return probes on " + sym + "; probing its entries only");
    return r;
  }
  r.probes.push_back({quoted_point("function", r.module, spec) + ".return", in.code.ret});
  return r;
}

}  // namespace sa::addprobe
