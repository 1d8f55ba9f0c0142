// SPDX-License-Identifier: GPL-2.0-or-later
// What stap-addprobe knows about a kernel tree without parsing C: where the tree and its build are,
// the flags Kbuild would compile a file with, whether (and into which module) the file is built,
// and which functions exist in the binary. The libclang side (resolver) asks these questions; this
// part answers them from Makefiles, the kernel config, compile_commands.json and symbol tables.
//
// Contract between the resolver (resolver.*, main.cc) and this module (kernel_tree.cc, symbols.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diag.h"

namespace sa::ktree {

struct KernelTree {
  std::string src;  // absolute path of the source tree (has Makefile, Kbuild, arch/x86/)
  std::string obj;  // build tree with .config and include/generated (the user's O=, a linux-headers
                    // tree, or `src` for an in-tree build); empty when none was found
  std::string config;            // path of the .config used for CONFIG_ decisions; empty when none
  std::string compile_commands;  // path of compile_commands.json when the tree has one
  std::string build;    // -r as given, resolved: a folder with vmlinux, or a release's build folder
  std::string vmlinux;  // -r DIR: DIR/vmlinux (the DWARF and symbols stap -r reads); else empty
};

// Finds the tree: `explicit_root` (-C DIR) when not empty, else walks up from `start` (a file or a
// directory) to the first folder with Makefile + Kbuild + arch/. `build_dir` (-r DIR as stap takes
// it, or empty) names the build; without it a .config in the tree, else the newest
// /usr/src/linux-headers-*-amd64 whose version matches the tree's Makefile, is used.
// A `build_dir` that is a folder must hold a vmlinux (stap -r needs it): an error (66) otherwise.
std::optional<KernelTree> find_kernel_tree(const std::string& start,
                                           const std::string& explicit_root,
                                           const std::string& build_dir, Diag* err);

// What -v says about the tree chosen: the tree, .config, build folder and -r folder, one note each.
std::vector<std::string> describe(const KernelTree& tree);

// Path of `file` relative to tree.src (as DWARF and stap spell it); `file` may be absolute or
// relative to the current directory or to the tree. A .c file that its Makefile names through `..`
// comes back spelled that way (drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c): the path still
// opens, and stap's @FILE only matches that spelling. build_info and compile_args take either form.
std::optional<std::string> relative_to_tree(const KernelTree& tree, const std::string& file,
                                            Diag* err);

// Compile arguments for a source file (relative to the tree), suitable for
// clang_parseTranslationUnit (no compiler name, no -o, no -c, no input file), from
// compile_commands.json when present, else inferred as Kbuild would (see issue 5's facts).
// `module_name` is what KBUILD_MODNAME gets (empty for the default, the object's base name).
std::vector<std::string> compile_args(const KernelTree& tree, const std::string& rel_file,
                                      const std::string& module_name, bool is_module);

struct BuildInfo {
  enum class Kind { builtin, module, not_built, unknown };
  Kind kind = Kind::unknown;
  std::string module;    // for Kind::module: the module name as stap wants it ('-' turned into '_')
  std::string includer;  // when the file is #included by another .c (kernel/sched/build_policy.c):
                         // that file, relative to the tree; parse through it
  std::string reason;    // for not_built: why, e.g. "CONFIG_FOO is not set (fs/foo/Makefile:3)"
  std::string dwarf_path;  // when the Makefile spells the object's path differently from rel_file
                           // (drivers/gpu/drm/amd/amdgpu/../display/...): that spelling, which is
                           // the one DWARF and stap's @FILE use; empty when it is rel_file itself
};

// Whether and how `rel_file` is built in this tree's configuration.
BuildInfo build_info(const KernelTree& tree, const std::string& rel_file);

// The functions that exist in the binary (System.map / vmlinux / .ko symbol tables).
class SymbolTable {
 public:
  virtual ~SymbolTable() = default;
  // True when the table covers `module` ("" = vmlinux); false means "unknown, do not guess".
  virtual bool knows(const std::string& module) const = 0;
  // True when `name` is a text symbol of `module` ("" = vmlinux). Static functions that GCC inlined
  // everywhere are absent; GCC's clones (name.isra.0, name.constprop.0, name.cold) count as
  // present, its partial clones (name.part.0: the rest of a function whose entry is inlined) do
  // not.
  virtual bool has_function(const std::string& module, const std::string& name) const = 0;
  // When `name` has no whole copy but a partial clone: that clone's symbol (name.part.0), else
  // empty.
  virtual std::string part_clone(const std::string& /*module*/, const std::string& /*name*/) const {
    return {};
  }
  // The section of `name`'s code (".text", ".init.text", ".exit.text", ...), or empty when unknown.
  virtual std::string section(const std::string& /*module*/, const std::string& /*name*/) const {
    return {};
  }
};

// Loads what is known for this tree: `build_dir` (-r) first, else System.map / vmlinux / *.ko found
// in tree.obj or tree.src. Never fails: an empty table knows nothing.
std::unique_ptr<SymbolTable> load_symbols(const KernelTree& tree, const std::string& build_dir);

// Why SystemTap refuses to probe `name` (its blocklist, __init/__exit sections), or empty.
// `file` (tree-relative, optional) is checked against its file blocklist (kernel/kprobes.c,
// fs/seq_file.c, ...). SystemTap 4.8 applies these only outside guru mode (-g); __init code is
// freed after boot either way.
std::string stap_refusal(const std::string& name, const std::string& section,
                         const std::string& file = "");

// The file blocklist's part of stap_refusal alone (empty when `file` may be probed).
std::string stap_file_refusal(const std::string& file);

// True when SystemTap refuses `.return` probes on `name` only (do_exit, ...).
bool stap_refuses_return(const std::string& name);

}  // namespace sa::ktree
