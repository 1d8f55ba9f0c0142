// SPDX-License-Identifier: GPL-2.0-or-later
// The one ELF reader of stap-addprobe, over elfutils' libdwfl: it opens vmlinux and module files
// (also compressed .ko.xz/.ko.zst/.ko.gz, which libdwfl decompresses itself: no external command)
// and applies a .ko's relocations, so symbol tables (symbols.cc) and DWARF (dwarf_facts.cc) are
// read the same way from the same files.
#pragma once

#include <memory>
#include <string>
#include <vector>

typedef struct Dwfl Dwfl;
typedef struct Dwfl_Module Dwfl_Module;

namespace sa::ktree {

// One ELF file opened offline; closed with the object.
class ElfFile {
 public:
  ~ElfFile();
  Dwfl_Module* module() const { return mod_; }
  // Every defined function symbol: its name and the name of its section (".text", ".init.text").
  struct FunctionSymbol {
    std::string name, section;
  };
  std::vector<FunctionSymbol> function_symbols() const;

 private:
  friend std::unique_ptr<ElfFile> open_elf(const std::string& path);
  Dwfl* dwfl_ = nullptr;
  Dwfl_Module* mod_ = nullptr;
};

// nullptr when `path` cannot be opened as ELF.
std::unique_ptr<ElfFile> open_elf(const std::string& path);

}  // namespace sa::ktree
