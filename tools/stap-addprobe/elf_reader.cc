// SPDX-License-Identifier: GPL-2.0-or-later
// The ELF reader over libdwfl; see elf_reader.h.
#include "elf_reader.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>

#include <filesystem>

namespace sa::ktree {

ElfFile::~ElfFile() {
  if (dwfl_) dwfl_end(dwfl_);
}

std::unique_ptr<ElfFile> open_elf(const std::string& path) {
  static char* debuginfo_path = nullptr;
  static const Dwfl_Callbacks callbacks = {nullptr, dwfl_standard_find_debuginfo,
                                           dwfl_offline_section_address, &debuginfo_path};
  auto f = std::make_unique<ElfFile>();
  f->dwfl_ = dwfl_begin(&callbacks);
  if (!f->dwfl_) return nullptr;
  dwfl_report_begin(f->dwfl_);
  f->mod_ = dwfl_report_offline(f->dwfl_, std::filesystem::path(path).filename().c_str(),
                                path.c_str(), -1);
  dwfl_report_end(f->dwfl_, nullptr, nullptr);
  if (!f->mod_) return nullptr;
  return f;
}

std::vector<ElfFile::FunctionSymbol> ElfFile::function_symbols() const {
  std::vector<FunctionSymbol> out;
  int n = dwfl_module_getsymtab(mod_);
  for (int i = 1; i < n; ++i) {
    GElf_Sym sym;
    GElf_Addr addr;
    GElf_Word shndx;
    Elf* elf = nullptr;
    Dwarf_Addr bias;
    const char* name = dwfl_module_getsym_info(mod_, i, &sym, &addr, &shndx, &elf, &bias);
    if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_FUNC || shndx == SHN_UNDEF) continue;
    std::string section;
    size_t strndx = 0;
    GElf_Shdr shdr;
    Elf_Scn* scn = elf ? elf_getscn(elf, shndx) : nullptr;
    if (scn && elf_getshdrstrndx(elf, &strndx) == 0 && gelf_getshdr(scn, &shdr))
      if (const char* s = elf_strptr(elf, strndx, shdr.sh_name)) section = s;
    out.push_back({name, section});
  }
  return out;
}

}  // namespace sa::ktree
