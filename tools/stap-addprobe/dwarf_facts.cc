// SPDX-License-Identifier: GPL-2.0-or-later
// DWARF facts with elfutils' libdw; see dwarf_facts.h. Files are opened on first need and kept
// open; the compile-unit index of a file holds only CU names (the CU DIEs, not their children), and
// answers are remembered, so a run over many picks of one file reads its line table once.
#include "dwarf_facts.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gelf.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unordered_map>
#include <vector>

#include "elf_reader.h"

namespace sa::addprobe {
namespace fs = std::filesystem;

int next_code_line(const std::set<int>& lines, int line, int last) {
  auto it = lines.lower_bound(line);
  if (it == lines.end() || *it > last) return 0;
  return *it;
}

namespace {

std::string binary_of(const std::string& module) {
  return module.empty() ? std::string("vmlinux") : module + ".ko";
}

bool refine_statement(DwarfFacts& dwarf, const std::string& cu, const std::string& file,
                      const std::string& rel, const FunctionInfo& f, Resolution* r, Diag* err,
                      bool checked) {
  auto lines = dwarf.code_lines(r->module, cu, file);
  if (!lines) return true;  // not known: as without DWARF
  std::string binary = binary_of(r->module);
  int picked = r->picked_line ? r->picked_line : r->line;
  int guessed = r->line;
  // A refused function (its name, or its own copy's section): only lines with code inlined into a
  // function stap takes can be probed, and stap names those functions itself (*@FILE:LINE).
  std::map<int, std::set<std::string>> taken;  // line -> the functions holding it that stap takes
  if (r->refusal) {
    auto holders = dwarf.line_holders(r->module, cu, file);
    if (!holders) return true;  // not known: the refusal stands
    std::set<int> allowed;
    for (const auto& [l, names] : *holders) {
      if (!lines->count(l)) continue;
      for (const auto& n : names)
        if (ktree::stap_refusal(n, "", "").empty()) taken[l].insert(n);
      if (taken.count(l)) allowed.insert(l);
    }
    if (!next_code_line(allowed, picked, f.end_line)) {
      r->refusal->note(fmt::format(
          "no line from {} to the end of {} has code inlined into a function systemtap probes "
          "(DWARF of {})",
          picked, f.name, binary));
      return true;
    }
    lines = std::move(allowed);
  }
  int next = next_code_line(*lines, picked, f.end_line);
  if (!next && checked) return true;  // --check: stap names the line to use instead
  if (!next) {
    *err = Diag::error_at(
        Exit::data_error, rel, picked,
        fmt::format("no line from {} to the end of {} has a line record in the DWARF of {} that "
                    "stap can probe (its code was optimized away or merged into earlier lines, is "
                    "in a partial clone, or is vmlinux's init code): nothing there can be probed",
                    picked, f.name, binary));
    err->note("probe the function instead: " + rel + ":" + f.name);
    return false;
  }
  r->line_verified = true;
  if (next != guessed) {
    // The line table replaces the rules' guess, and its note.
    r->drop_notes(NoteKind::snapped_to_code);
    r->drop_notes(NoteKind::snapped_to_end);
    Note n{next == picked ? NoteKind::dwarf_has_record : NoteKind::dwarf_moved};
    n.line = picked;
    n.also = guessed != picked && !lines->count(guessed) ? guessed : 0;
    n.to = next;
    n.function = f.name;
    n.binary = binary;
    // A refused function's move is the copies note's to tell (below).
    bool say = n.kind == NoteKind::dwarf_moved || guessed != picked;
    if (say && !r->refusal) r->notes.push_back(n);
    r->move_statement(next);
  }
  if (r->refusal) {
    r->drop_notes(NoteKind::snapped_to_code);
    r->drop_notes(NoteKind::snapped_to_end);
    for (auto& n : r->notes)
      if (n.kind == NoteKind::copies_elsewhere) {
        std::set<std::string> callers = taken[r->line];
        if (callers.size() > 1) callers.erase(f.name);  // its copies: name where they are
        n.line = picked;
        n.to = r->line;
        n.other = fmt::format("{}", fmt::join(callers, ", "));
      }
    r->refusal.reset();
  }
  for (auto& t : r->targets) {
    if (t.kind != PointKind::statement || t.symbol == "*") continue;
    NoteKind why = NoteKind::every_copy;
    if (dwarf.out_of_line(r->module, cu, t.symbol).value_or(true)) {
      auto own = dwarf.own_lines(r->module, cu, file, t.symbol);
      if (!own || own->count(t.line)) continue;
      why = NoteKind::line_in_copies;
    }
    Note n{why};
    n.line = t.line;
    n.function = t.symbol;
    n.binary = binary;
    n.file = t.file;
    r->notes.push_back(n);
    t.symbol.assign(1, '*');  // not = "*": GCC 12's -Wrestrict misfires on it here (GCC PR 105651)
  }
  return true;
}

}  // namespace

bool refine_with_dwarf(DwarfFacts& dwarf, const ktree::BuildInfo& build, const std::string& rel,
                       const FunctionInfo& f, Resolution* r, Diag* err, bool checked) {
  const std::string& file = build.dwarf_path.empty() ? rel : build.dwarf_path;
  const std::string& cu = build.includer.empty() ? file : build.includer;
  std::string binary = binary_of(r->module);
  if (r->kind == TargetKind::statement)
    return refine_statement(dwarf, cu, file, rel, f, r, err, checked);
  if (r->kind == TargetKind::inline_function) {
    auto code = dwarf.function_code(r->module, cu, r->function);
    if (code == DwarfFacts::Code::some) r->refusal.reset();  // its copies are probed
    if (!code || *code == DwarfFacts::Code::some) return true;
    // A module's init/exit code is probed when the module is loaded (see the rules).
    if (*code == DwarfFacts::Code::init_only && !r->module.empty()) return true;
    if (*code == DwarfFacts::Code::none)
      *err = Diag::error_at(
          Exit::data_error, rel, f.start_line,
          r->function + " has no code in the DWARF of " + binary +
              ": no out-of-line copy and no inlined copy with code (gcc optimized them "
              "away), so there is nothing to probe");
    else
      *err = Diag::error_at(Exit::data_error, rel, f.start_line,
                            "every copy of " + r->function +
                                " with code is inlined into __init/__exit code "
                                "(.init.text/.exit.text of " +
                                binary +
                                "), which systemtap does not probe: "
                                "there is nothing to probe");
    err->note("probe its callers instead");
    return false;
  }
  return true;
}

namespace {

std::string normal(const std::string& p) { return fs::path(p).lexically_normal().string(); }

bool ends_with_path(const std::string& full, const std::string& tail) {
  if (full == tail) return true;
  return full.size() > tail.size() &&
         full.compare(full.size() - tail.size(), tail.size(), tail) == 0 &&
         full[full.size() - tail.size() - 1] == '/';
}

// Visits every DIE below `parent`, depth first (lexical blocks and nested inlined copies too),
// until visit(die) returns false; returns false then.
template <class Visit>
bool walk_dies(Dwarf_Die* parent, Visit& visit) {
  Dwarf_Die c;
  if (dwarf_child(parent, &c) != 0) return true;
  do {
    if (!visit(&c)) return false;
    if (dwarf_haschildren(&c) > 0 && !walk_dies(&c, visit)) return false;
  } while (dwarf_siblingof(&c, &c) == 0);
  return true;
}

// One ELF file with DWARF, opened on first need through libdwfl, which applies a .ko's relocations
// (an unrelocated .ko has no usable names in its DWARF) and lays its sections out at addresses.
struct DwarfFile {
  std::unique_ptr<ktree::ElfFile> elf;  // the one ELF reader (elf_reader.h)
  Dwfl_Module* mod = nullptr;
  Dwarf* dw = nullptr;
  Dwarf_Addr bias = 0;
  std::vector<std::pair<std::string, Dwarf_Off>> cus;  // normalized DW_AT_name -> CU DIE offset
  // The DWARF address ranges of the function symbols, and whether each is a partial clone
  // (name.part.N, name.part.N.cold: gcc split a function and inlined its entry into the callers).
  // stap never probes inside a partial clone (not as a function, not as a statement, not even
  // through *@FILE:LINE: "no line records"). An address outside every function symbol still has
  // its DWARF function, which is what stap asks: the code of a __weak function that a strong one
  // overrides at link time stays, without a symbol (the name now points to the strong one).
  struct Range {
    Dwarf_Addr start, end;
    bool part;
    bool operator<(const Range& o) const { return start < o.start; }
  };
  std::vector<Range> functions;
  bool functions_read = false;
  bool probeable(Dwarf_Addr addr) {
    if (!functions_read) {
      functions_read = true;
      int n = dwfl_module_getsymtab(mod);
      for (int i = 1; i < n; ++i) {
        GElf_Sym sym;
        GElf_Addr value = 0;
        const char* name = dwfl_module_getsym_info(mod, i, &sym, &value, nullptr, nullptr, nullptr);
        if (!name || GELF_ST_TYPE(sym.st_info) != STT_FUNC || value < bias) continue;
        functions.push_back({value - bias, value - bias + std::max<GElf_Xword>(sym.st_size, 1),
                             std::strstr(name, ".part.") != nullptr});
      }
      std::sort(functions.begin(), functions.end());
    }
    if (functions.empty()) return true;  // no symbol table: nothing known
    auto it = std::upper_bound(functions.begin(), functions.end(), Range{addr, addr, false});
    // Every symbol starting at or before addr that covers it (aliases share a start).
    for (auto k = it; k != functions.begin();) {
      --k;
      if (addr < k->end && k->part) return false;
      if (it - k > 8) break;  // symbols do not nest deeper than aliases
    }
    return true;
  }
  bool open(const std::string& path) {
    elf = ktree::open_elf(path);
    if (!elf) return false;
    mod = elf->module();
    dw = dwfl_module_getdwarf(mod, &bias);
    if (!dw) return false;
    Dwarf_CU* cu = nullptr;
    Dwarf_Half version;
    uint8_t unit_type;
    Dwarf_Die cudie, subdie;
    while (dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0) {
      if (dwarf_tag(&cudie) != DW_TAG_compile_unit) continue;
      if (const char* name = dwarf_diename(&cudie))
        cus.emplace_back(normal(name), dwarf_dieoffset(&cudie));
    }
    return !cus.empty();
  }
  std::optional<Dwarf_Die> cu_die(const std::string& cu) {
    std::string want = normal(cu);
    auto die_at = [&](Dwarf_Off off) -> std::optional<Dwarf_Die> {
      Dwarf_Die die;
      if (dwarf_offdie(dw, off, &die)) return die;
      return std::nullopt;
    };
    for (const auto& [name, off] : cus)
      if (name == want) return die_at(off);
    for (const auto& [name, off] :
         cus)  // an absolute DW_AT_name (a build with O= or no -fdebug-prefix-map)
      if (!name.empty() && name[0] == '/' && ends_with_path(name, want)) return die_at(off);
    return std::nullopt;
  }
  // The ELF section holding DWARF address `addr`, or empty.
  std::string section_of(Dwarf_Addr addr) {
    Dwarf_Addr a = addr + bias, sbias = 0;
    Elf_Scn* scn = dwfl_module_address_section(mod, &a, &sbias);
    Dwarf_Addr ebias = 0;
    Elf* mod_elf = dwfl_module_getelf(mod, &ebias);
    size_t strndx = 0;
    GElf_Shdr shdr;
    if (!scn || !mod_elf || elf_getshdrstrndx(mod_elf, &strndx) != 0 || !gelf_getshdr(scn, &shdr))
      return {};
    const char* name = elf_strptr(mod_elf, strndx, shdr.sh_name);
    return name ? name : "";
  }
  bool init_or_exit(Dwarf_Addr addr) {
    std::string sec = section_of(addr);
    return sec.rfind(".init.", 0) == 0 || sec.rfind(".exit.", 0) == 0;
  }
  // The instance's code: none, only in sections stap never probes (.init.text, .exit.text), or
  // some.
  DwarfFacts::Code code_of(Dwarf_Die* die) {
    Dwarf_Addr base, start, end;
    ptrdiff_t off = 0;
    DwarfFacts::Code code = DwarfFacts::Code::none;
    auto at = [&](Dwarf_Addr pc) {
      std::string sec = section_of(pc);
      bool init = sec.rfind(".init.", 0) == 0 || sec.rfind(".exit.", 0) == 0;
      code = init ? DwarfFacts::Code::init_only : DwarfFacts::Code::some;
    };
    while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0) {
      if (end <= start) continue;
      at(start);
      if (code == DwarfFacts::Code::some) return code;
    }
    // An inlined copy whose range is empty still has an entry address, which stap's .inline probes.
    Dwarf_Addr entry = 0;
    if (code == DwarfFacts::Code::none && dwarf_entrypc(die, &entry) == 0) at(entry);
    return code;
  }
};

class LibdwFacts : public DwarfFacts {
 public:
  explicit LibdwFacts(std::string build_dir) : build_(std::move(build_dir)) {
    std::error_code ec;
    is_dir_ = fs::is_directory(build_, ec);
  }

  std::optional<std::set<int>> code_lines(const std::string& module, const std::string& cu,
                                          const std::string& file) override {
    std::string key = module + "\n" + cu + "\n" + file;
    auto done = lines_.find(key);
    if (done != lines_.end()) return done->second;
    auto& slot = lines_[key];
    DwarfFile* df = file_for(module);
    if (!df) return slot;
    auto die = df->cu_die(cu);
    if (!die) return slot;
    std::set<int> out;
    for (const auto& rec : probeable_records(*df, &*die, module, file)) out.insert(rec.line);
    if (!out.empty()) slot = std::move(out);  // no record at all: the file is not this CU's
    return slot;
  }

  std::optional<std::map<int, std::set<std::string>>> line_holders(
      const std::string& module, const std::string& cu, const std::string& file) override {
    std::string key = module + "\n" + cu + "\n" + file;
    auto done = holders_.find(key);
    if (done != holders_.end()) return done->second;
    auto& slot = holders_[key];
    DwarfFile* df = file_for(module);
    if (!df) return slot;
    auto die = df->cu_die(cu);
    if (!die) return slot;
    std::vector<Record> records = probeable_records(*df, &*die, module, file);
    if (records.empty()) return slot;
    std::sort(records.begin(), records.end(),
              [](const Record& a, const Record& b) { return a.addr < b.addr; });
    // Every function and inlined copy declared in `file` (stap's filter for *@FILE:LINE), with the
    // records inside its ranges; lexical blocks and nested copies are walked too.
    std::string want = normal(file);
    std::map<int, std::set<std::string>> out;
    auto visit = [&](Dwarf_Die* c) {
      int tag = dwarf_tag(c);
      if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) return true;
      Dwarf_Attribute attr;
      const char* name = dwarf_formstring(dwarf_attr_integrate(c, DW_AT_name, &attr));
      const char* decl = dwarf_decl_file(c);
      if (!name || !decl || !ends_with_path(normal(decl), want)) return true;
      Dwarf_Addr base, start, end;
      for (ptrdiff_t off = 0; (off = dwarf_ranges(c, off, &base, &start, &end)) > 0;) {
        auto it = std::lower_bound(records.begin(), records.end(), start,
                                   [](const Record& r, Dwarf_Addr a) { return r.addr < a; });
        for (; it != records.end() && it->addr < end; ++it) out[it->line].insert(name);
      }
      return true;
    };
    walk_dies(&*die, visit);
    slot = std::move(out);
    return slot;
  }

  bool has_compile_unit(const std::string& module, const std::string& cu) override {
    DwarfFile* df = file_for(module);
    return df && df->cu_die(cu).has_value();
  }

  std::optional<bool> out_of_line(const std::string& module, const std::string& cu,
                                  const std::string& name) override {
    std::string key = module + "\n" + cu + "\n" + name;
    auto done = outside_.find(key);
    if (done != outside_.end()) return done->second;
    auto& slot = outside_[key];
    DwarfFile* df = file_for(module);
    if (!df) return slot;
    auto die = df->cu_die(cu);
    if (!die) return slot;
    // A subprogram of that name with code, or a concrete instance of one (a clone). Partial clones
    // (name.part.N) are the symbol table's question (the rules).
    std::set<Dwarf_Off> named;
    bool found = false, outside = false;
    Dwarf_Die child;
    if (dwarf_child(&*die, &child) == 0) do {
        int tag = dwarf_tag(&child);
        if (tag != DW_TAG_subprogram) continue;
        // A concrete out-of-line instance names its function through DW_AT_abstract_origin.
        Dwarf_Attribute attr;
        const char* n = dwarf_formstring(dwarf_attr_integrate(&child, DW_AT_name, &attr));
        if (!n || name != n) continue;
        found = true;
        if (df->code_of(&child) == Code::some) outside = true;
      } while (!outside && dwarf_siblingof(&child, &child) == 0);
    if (found) slot = outside;
    return slot;
  }

  std::optional<std::set<int>> own_lines(const std::string& module, const std::string& cu,
                                         const std::string& file,
                                         const std::string& name) override {
    std::string key = module + "\n" + cu + "\n" + file + "\n" + name;
    auto done = own_.find(key);
    if (done != own_.end()) return done->second;
    auto& slot = own_[key];
    DwarfFile* df = file_for(module);
    if (!df) return slot;
    auto die = df->cu_die(cu);
    if (!die) return slot;
    // The address ranges of the whole out-of-line copies: subprograms named `name` (directly or
    // through DW_AT_abstract_origin) with code, whose entry is not a partial clone's symbol.
    std::vector<std::pair<Dwarf_Addr, Dwarf_Addr>> ranges;
    bool named = false;
    Dwarf_Die child;
    if (dwarf_child(&*die, &child) == 0) do {
        if (dwarf_tag(&child) != DW_TAG_subprogram) continue;
        Dwarf_Attribute attr;
        const char* n = dwarf_formstring(dwarf_attr_integrate(&child, DW_AT_name, &attr));
        if (!n || name != n) continue;
        named = true;
        Dwarf_Addr entry = 0;
        if (dwarf_entrypc(&child, &entry) != 0) continue;
        const char* sym = dwfl_module_addrname(df->mod, entry + df->bias);
        if (sym && std::strstr(sym, ".part.")) continue;
        Dwarf_Addr base, start, end;
        for (ptrdiff_t off = 0; (off = dwarf_ranges(&child, off, &base, &start, &end)) > 0;)
          if (start < end) ranges.emplace_back(start, end);
      } while (dwarf_siblingof(&child, &child) == 0);
    if (!named) return slot;
    std::set<int> out;
    Dwarf_Lines* lines = nullptr;
    size_t count = 0;
    if (!ranges.empty() && dwarf_getsrclines(&*die, &lines, &count) == 0) {
      std::string want = normal(file);
      std::unordered_map<const char*, bool> matches;
      for (size_t i = 0; i < count; ++i) {
        Dwarf_Line* l = dwarf_onesrcline(lines, i);
        bool end = false;
        int lineno = 0;
        Dwarf_Addr addr = 0;
        if (!l || (dwarf_lineendsequence(l, &end) == 0 && end)) continue;
        if (dwarf_lineno(l, &lineno) != 0 || lineno <= 0 || dwarf_lineaddr(l, &addr) != 0) continue;
        const char* src = dwarf_linesrc(l, nullptr, nullptr);
        if (!src) continue;
        auto m = matches.find(src);
        if (m == matches.end()) m = matches.emplace(src, ends_with_path(normal(src), want)).first;
        if (!m->second) continue;
        for (const auto& [b, e] : ranges)
          if (b <= addr && addr < e) {
            out.insert(lineno);
            break;
          }
      }
    }
    slot = std::move(out);
    return slot;
  }

  std::optional<Code> function_code(const std::string& module, const std::string& cu,
                                    const std::string& name) override {
    std::string key = module + "\n" + cu + "\n" + name;
    auto done = functions_.find(key);
    if (done != functions_.end()) return done->second;
    auto& slot = functions_[key];
    DwarfFile* df = file_for(module);
    if (!df) return slot;
    auto die = df->cu_die(cu);
    if (!die) return slot;
    // The CU's subprograms named `name` (an abstract instance, or the function itself).
    std::set<Dwarf_Off> named;
    Code code = Code::none;
    auto take = [&](Code c) {
      if (static_cast<int>(c) > static_cast<int>(code)) code = c;
    };
    Dwarf_Die child;
    if (dwarf_child(&*die, &child) == 0) do {
        if (dwarf_tag(&child) != DW_TAG_subprogram) continue;
        const char* n = dwarf_diename(&child);
        if (!n || name != n) continue;
        named.insert(dwarf_dieoffset(&child));
        take(df->code_of(&child));
      } while (dwarf_siblingof(&child, &child) == 0);
    if (named.empty()) return slot;
    // Concrete instances (out-of-line copies, clones) and inlined instances of it anywhere in the
    // CU.
    auto visit = [&](Dwarf_Die* c) {
      int tag = dwarf_tag(c);
      if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) {
        Dwarf_Attribute attr;
        Dwarf_Die origin;
        if (dwarf_attr(c, DW_AT_abstract_origin, &attr) && dwarf_formref_die(&attr, &origin) &&
            named.count(dwarf_dieoffset(&origin)))
          take(df->code_of(c));
      }
      return code != Code::some;  // nothing can raise it further
    };
    if (code != Code::some) walk_dies(&*die, visit);
    slot = code;
    return slot;
  }

 private:
  struct Record {
    Dwarf_Addr addr;
    int line;
  };
  // The line records of `file` in the CU that stap can probe: every record counts, is_stmt or not
  // (stap accepts a statement probe on a line whose records are all !is_stmt:
  // kernel/module/kallsyms.c:436 in 6.1), but not vmlinux's init/exit code, freed at boot (a
  // module's is probed on load), nor one inside a partial clone, where stap never looks as the
  // clone's function, unless an inlined copy of a function of `file` holds it: stap probes inlined
  // copies wherever they are.
  std::vector<Record> probeable_records(DwarfFile& df, Dwarf_Die* cu, const std::string& module,
                                        const std::string& file) {
    std::vector<Record> out, in_part;
    Dwarf_Lines* lines = nullptr;
    size_t n = 0;
    if (dwarf_getsrclines(cu, &lines, &n) != 0) return out;
    std::string want = normal(file);
    std::unordered_map<const char*, bool>
        matches;  // libdw returns one pointer per file-table entry
    for (size_t i = 0; i < n; ++i) {
      Dwarf_Line* l = dwarf_onesrcline(lines, i);
      bool end = false;
      int lineno = 0;
      Dwarf_Addr addr = 0;
      if (!l || (dwarf_lineendsequence(l, &end) == 0 && end)) continue;
      if (dwarf_lineno(l, &lineno) != 0 || lineno <= 0) continue;
      bool part = dwarf_lineaddr(l, &addr) == 0 && !df.probeable(addr);
      if (module.empty() && df.init_or_exit(addr)) continue;
      const char* src = dwarf_linesrc(l, nullptr, nullptr);
      if (!src) continue;
      auto m = matches.find(src);
      if (m == matches.end()) m = matches.emplace(src, ends_with_path(normal(src), want)).first;
      if (m->second) (part ? in_part : out).push_back({addr, lineno});
    }
    if (in_part.empty()) return out;
    std::vector<std::pair<Dwarf_Addr, Dwarf_Addr>> copies;  // inlined copies of `file`'s functions
    auto visit = [&](Dwarf_Die* c) {
      if (dwarf_tag(c) != DW_TAG_inlined_subroutine) return true;
      const char* decl = dwarf_decl_file(c);
      Dwarf_Addr base, start, end;
      if (decl && ends_with_path(normal(decl), want))
        for (ptrdiff_t off = 0; (off = dwarf_ranges(c, off, &base, &start, &end)) > 0;)
          copies.emplace_back(start, end);
      return true;
    };
    walk_dies(cu, visit);
    for (const auto& rec : in_part)
      for (const auto& [b, e] : copies)
        if (b <= rec.addr && rec.addr < e) {
          out.push_back(rec);
          break;
        }
    return out;
  }

  DwarfFile* file_for(const std::string& module) {
    std::string key = module;
    std::replace(key.begin(), key.end(), '-', '_');
    auto it = files_.find(key);
    if (it != files_.end()) return it->second.get();
    auto& slot = files_[key];
    std::vector<std::string> candidates;
    std::string debug_root = "/usr/lib/debug/lib/modules/" + build_;
    if (key.empty()) {
      if (is_dir_)
        candidates.push_back(build_ + "/vmlinux");
      else
        candidates = {debug_root + "/vmlinux", "/usr/lib/debug/boot/vmlinux-" + build_};
    } else {
      index_modules();
      auto m = modules_.find(key);
      if (m != modules_.end()) candidates.push_back(m->second);
    }
    for (const auto& c : candidates) {
      auto f = std::make_unique<DwarfFile>();
      if (f->open(c)) {
        slot = std::move(f);
        break;
      }
    }
    return slot.get();
  }

  // MODULE.ko under the build folder (or the release's debug folder), found once.
  void index_modules() {
    if (indexed_) return;
    indexed_ = true;
    std::string root = is_dir_ ? build_ : "/usr/lib/debug/lib/modules/" + build_;
    static const std::set<std::string> skip = {
        "include", "scripts", "tools", "Documentation", "source", "build", ".git", "usr", "certs"};
    std::error_code ec;
    auto opts = fs::directory_options::skip_permission_denied |
                fs::directory_options::follow_directory_symlink;
    for (fs::recursive_directory_iterator it(root, opts, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it.depth() > 12 || (it.depth() == 0 && skip.count(name))) {
        it.disable_recursion_pending();
        continue;
      }
      if (name.size() < 4 || name.compare(name.size() - 3, 3, ".ko") != 0) continue;
      std::string m = name.substr(0, name.size() - 3);
      std::replace(m.begin(), m.end(), '-', '_');
      modules_.emplace(m, it->path().string());
    }
  }

  std::string build_;
  bool is_dir_ = false;
  bool indexed_ = false;
  std::map<std::string, std::string> modules_;
  std::map<std::string, std::unique_ptr<DwarfFile>> files_;
  std::map<std::string, std::optional<std::set<int>>> lines_;
  std::map<std::string, std::optional<Code>> functions_;
  std::map<std::string, std::optional<bool>> outside_;
  std::map<std::string, std::optional<std::set<int>>> own_;
  std::map<std::string, std::optional<std::map<int, std::set<std::string>>>> holders_;
};

}  // namespace

std::unique_ptr<DwarfFacts> open_dwarf_facts(const std::string& build_dir) {
  return std::make_unique<LibdwFacts>(build_dir);
}

}  // namespace sa::addprobe
