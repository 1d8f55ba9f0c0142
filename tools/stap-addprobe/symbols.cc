// SPDX-License-Identifier: GPL-2.0-or-later
// Which functions exist in the binary, from the build's symbol tables, and which ones SystemTap
// refuses to probe.
//
// GCC inlines many static functions everywhere; such a function has no symbol, and stap's `.call`/
// `.return` find nothing. The symbol table answers that question cheaply: System.map (text: "ADDR T
// // name") for vmlinux, else vmlinux's ELF .symtab, and each module's .ko .symtab (through
// elf_reader.h: libdwfl, which decompresses .ko.xz/.zst/.gz itself). GCC's clones count as the
// function (`name.isra.0`, `name.constprop.0`, `name.cold`), its partial clones (`name.part.0`) do
// not. Module tables load on first use.
//
// SystemTap 4.8's refusals (dwflpp::build_kernel_blocklist in its source): functions in .init.*,
// .exit.* (and the old dev/cpu/mem init/exit) sections, a list of function-name regexes (locks,
// atomics, *apic*, *_intr*, ...), `.return` on functions that never return, and a few files.
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>

#include "elf_reader.h"
#include "kernel_tree.h"

namespace fs = std::filesystem;

namespace sa::ktree {

namespace {

// "foo.isra.0" -> "foo": GCC clones and split parts name the function they came from.
std::string base_name(const std::string& sym) {
  auto dot = sym.find('.');
  return dot == std::string::npos || dot == 0 ? sym : sym.substr(0, dot);
}

// Per base name: the section of its first symbol, and whether a whole copy exists (the name itself
// or an .isra/.constprop/.cold clone) or only a partial one (`name.part.N`, the out-of-line rest of
// a function whose entry gcc inlined into its callers: no .call/.return there).
struct FunctionEntry {
  std::string section;
  bool whole = false;
  std::string part;  // the first .part clone seen
};
using FunctionMap = std::map<std::string, FunctionEntry>;

void add_function(FunctionMap* out, const std::string& name, const std::string& section) {
  FunctionEntry& e = (*out)[base_name(name)];
  if (e.section.empty()) e.section = section;  // the first definition wins
  if (name.find(".part.") == std::string::npos)
    e.whole = true;
  else if (e.part.empty())
    e.part = name;
}

bool load_elf_file(const std::string& path, FunctionMap* out) {
  auto elf = open_elf(path);
  if (!elf) return false;
  auto syms = elf->function_symbols();
  for (const auto& s : syms) add_function(out, s.name, s.section);
  return !syms.empty();
}

// System.map: "ffffffff81000000 T _stext". Text symbols are t/T/w/W; .init.text is the range
// _sinittext.._einittext.
bool load_system_map(const std::string& path, FunctionMap* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::vector<std::pair<std::string, unsigned long long>> syms;
  unsigned long long sinit = 0, einit = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string addr, type, name;
    if (!(ls >> addr >> type >> name) || type.size() != 1) continue;
    unsigned long long a = std::strtoull(addr.c_str(), nullptr, 16);
    if (name == "_sinittext") sinit = a;
    if (name == "_einittext") einit = a;
    char t = type[0];
    if (t == 't' || t == 'T' || t == 'w' || t == 'W') syms.emplace_back(name, a);
  }
  for (const auto& [name, a] : syms)
    add_function(out, name, (a >= sinit && a < einit && sinit) ? ".init.text" : ".text");
  return !syms.empty();
}

std::string module_key(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

class FileSymbolTable : public SymbolTable {
 public:
  FileSymbolTable(std::vector<std::string> module_roots, bool have_vmlinux, FunctionMap vmlinux)
      : roots_(std::move(module_roots)),
        have_vmlinux_(have_vmlinux),
        vmlinux_(std::move(vmlinux)) {}

  bool knows(const std::string& module) const override { return table(module) != nullptr; }

  bool has_function(const std::string& module, const std::string& name) const override {
    const FunctionMap* t = table(module);
    if (!t) return false;
    auto it = t->find(name);
    return it != t->end() && it->second.whole;
  }

  std::string part_clone(const std::string& module, const std::string& name) const override {
    const FunctionMap* t = table(module);
    if (!t) return {};
    auto it = t->find(name);
    return it == t->end() || it->second.whole ? std::string() : it->second.part;
  }

  std::string section(const std::string& module, const std::string& name) const override {
    const FunctionMap* t = table(module);
    if (!t) return {};
    auto it = t->find(name);
    return it == t->end() ? std::string() : it->second.section;
  }

 private:
  const FunctionMap* table(const std::string& module) const {
    if (module.empty()) return have_vmlinux_ ? &vmlinux_ : nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    index_modules();
    std::string key = module_key(module);
    auto loaded = modules_.find(key);
    if (loaded != modules_.end()) return loaded->second ? &*loaded->second : nullptr;
    auto file = module_files_.find(key);
    std::optional<FunctionMap> m;
    if (file != module_files_.end()) {
      FunctionMap fm;
      if (load_elf_file(file->second, &fm)) m = std::move(fm);
    }
    auto& slot = modules_[key] = std::move(m);
    return slot ? &*slot : nullptr;
  }

  void index_modules() const {
    if (indexed_) return;
    indexed_ = true;
    for (const auto& root : roots_) {
      std::error_code ec;
      auto opts = fs::directory_options::skip_permission_denied |
                  fs::directory_options::follow_directory_symlink;
      for (fs::recursive_directory_iterator it(root, opts, ec), end; !ec && it != end;
           it.increment(ec)) {
        if (it.depth() > 12) {
          it.disable_recursion_pending();
          continue;
        }
        std::string name = it->path().filename().string();
        auto ko = name.find(".ko");
        if (ko == std::string::npos || ko == 0) continue;
        std::string rest = name.substr(ko);
        if (rest != ".ko" && rest != ".ko.xz" && rest != ".ko.zst" && rest != ".ko.gz") continue;
        module_files_.emplace(module_key(name.substr(0, ko)), it->path().string());
      }
    }
  }

  std::vector<std::string> roots_;
  bool have_vmlinux_;
  FunctionMap vmlinux_;
  mutable std::mutex mutex_;
  mutable bool indexed_ = false;
  mutable std::map<std::string, std::string> module_files_;
  mutable std::map<std::string, std::optional<FunctionMap>> modules_;
};

bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

}  // namespace

std::unique_ptr<SymbolTable> load_symbols(const KernelTree& tree, const std::string& build_dir) {
  std::vector<std::string> dirs;  // where System.map / vmlinux / modules may be
  std::vector<std::string> maps;  // extra System.map candidates
  std::vector<std::string> module_roots;
  if (!build_dir.empty()) {
    std::error_code ec;
    if (fs::is_directory(build_dir, ec)) {
      dirs.push_back(build_dir);
      module_roots.push_back(build_dir);
    } else {  // a kernel release
      dirs.push_back("/lib/modules/" + build_dir + "/build");
      maps.push_back("/boot/System.map-" + build_dir);
      module_roots.push_back("/lib/modules/" + build_dir + "/kernel");
      module_roots.push_back("/lib/modules/" + build_dir + "/updates");
    }
  } else {
    for (const std::string& d : {tree.obj, tree.src}) {
      if (d.empty()) continue;
      dirs.push_back(d);
      // A folder with a linked kernel is a build: its modules are beside the sources.
      if (path_exists(fs::path(d) / "System.map") || path_exists(fs::path(d) / "vmlinux"))
        module_roots.push_back(d);
    }
  }
  FunctionMap vmlinux;
  bool have = false;
  for (const auto& d : dirs) {
    if (load_system_map(d + "/System.map", &vmlinux) || load_elf_file(d + "/vmlinux", &vmlinux)) {
      have = true;
      break;
    }
  }
  for (const auto& m : maps)
    if (!have && load_system_map(m, &vmlinux)) have = true;
  return std::make_unique<FileSymbolTable>(std::move(module_roots), have, std::move(vmlinux));
}

namespace {

struct Blocklist {
  std::regex section, function, function_return, file;
};

const Blocklist& blocklist() {
  // The kernel blocklist of SystemTap 4.8 (dwflpp::build_kernel_blocklist), anchored like its
  // regcomp'd strings: ^(...)$ for names and files, ^(...) for sections; x86_64 adds __switch_to.
  static const Blocklist b = [] {
    const char* fn =
        "atomic_notifier_call_chain|default_do_nmi|__die|die_nmi|do_debug|do_general_protection|"
        "do_int3|do_IRQ|do_page_fault|do_sparc64_fault|do_trap|dummy_nmi_callback|"
        "flush_icache_range|ia64_bad_break|ia64_do_page_fault|ia64_fault|io_check_error|"
        "mem_parity_error|nmi_watchdog_tick|notifier_call_chain|oops_begin|oops_end|"
        "program_check_exception|single_step_exception|sync_regs|unhandled_fault|"
        "unknown_nmi_error|xen_[gs]et_debugreg|xen_irq_.*|xen_.*_fl_direct.*|check_events|"
        "xen_adjust_exception_frame|xen_iret.*|xen_sysret64.*|test_ti_thread_flag.*|"
        "inat_get_opcode_attribute|system_call_after_swapgs|HYPERVISOR_[gs]et_debugreg|"
        "HYPERVISOR_event_channel_op|hash_64|hash_ptr|native_set_pte|"
        ".*raw_.*_lock.*|.*raw_.*_unlock.*|.*raw_.*_trylock.*|.*read_lock.*|.*read_unlock.*|"
        ".*read_trylock.*|.*write_lock.*|.*write_unlock.*|.*write_trylock.*|.*write_seqlock.*|"
        ".*write_sequnlock.*|.*spin_lock.*|.*spin_unlock.*|.*spin_trylock.*|.*spin_is_locked.*|"
        "rwsem_.*lock.*|.*mutex_.*lock.*|atomic_.*|atomic64_.*|get_bh|put_bh|"
        ".*apic.*|.*APIC.*|.*softirq.*|.*IRQ.*|.*_intr.*|__delay|.*kernel_text.*|get_current|"
        "current_.*|.*exception_tables.*|.*setup_rt_frame.*|.*preempt_count.*|preempt_schedule|"
        "__switch_to|special_mapping_.*|.*_pte_.*";
    const char* file =
        "kernel/kprobes\\.c|arch/.*/kernel/kprobes\\.c|.*/include/asm/io\\.h|"
        ".*/include/asm/io-defs\\.h|.*/include/asm/io_64\\.h|.*/include/asm/bitops\\.h|"
        "drivers/ide/ide-iops\\.c|arch/.*/kernel/paravirt\\.c|.*/include/asm/paravirt\\.h|"
        "fs/seq_file\\.c";
    auto ext = std::regex::extended | std::regex::nosubs;
    return Blocklist{
        std::regex(
            "^(\\.init\\.|\\.exit\\.|\\.devinit\\.|\\.devexit\\.|\\.cpuinit\\.|\\.cpuexit\\.|"
            "\\.meminit\\.|\\.memexit\\.)",
            ext),
        std::regex(std::string("^(") + fn + ")$", ext),
        std::regex("^(do_exit|sys_exit|sys_exit_group)$", ext),
        std::regex(std::string("^(") + file + ")$", ext)};
  }();
  return b;
}

}  // namespace

std::string stap_refusal(const std::string& name, const std::string& section,
                         const std::string& file) {
  const Blocklist& b = blocklist();
  if (!section.empty() && std::regex_search(section, b.section))
    return name + " is in " + section +
           ", which systemtap does not probe (code discarded after init)";
  if (section == ".kprobes.text") return name + " is in .kprobes.text, which kprobes cannot probe";
  if (std::regex_match(name, b.function))
    return name + " is on systemtap's function blocklist (allowed only in guru mode, -g)";
  return stap_file_refusal(file);
}

std::string stap_file_refusal(const std::string& file) {
  if (!file.empty() && std::regex_match(file, blocklist().file))
    return file + " is on systemtap's file blocklist (allowed only in guru mode, -g)";
  return {};
}

bool stap_refuses_return(const std::string& name) {
  return std::regex_match(name, blocklist().function_return);
}

}  // namespace sa::ktree
