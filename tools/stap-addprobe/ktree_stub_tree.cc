// TEMPORARY stand-in for kernel_tree.cc (the kernel-tree engineer's file), compiled only while that
// file does not exist (see CMakeLists.txt). It knows just enough for the resolver to run on a real tree:
// the tree is found by walking up, flags are the measured Kbuild flags without per-directory
// ccflags, and every file counts as built into vmlinux. Delete it once kernel_tree.cc lands.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "kernel_tree.h"

namespace sa::ktree {
namespace fs = std::filesystem;

static bool is_tree(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p / "Makefile", ec) && fs::exists(p / "Kbuild", ec) && fs::is_directory(p / "arch", ec);
}

std::optional<KernelTree> find_kernel_tree(const std::string& start, const std::string& explicit_root,
                                           const std::string& build_dir, Diag* err) {
  std::error_code ec;
  fs::path root;
  if (!explicit_root.empty()) {
    root = fs::absolute(explicit_root, ec);
    if (!is_tree(root)) {
      *err = Diag::error(Exit::no_input, "not a kernel tree: " + explicit_root);
      return std::nullopt;
    }
  } else {
    fs::path p = fs::absolute(start.empty() ? "." : start, ec);
    if (!fs::is_directory(p, ec)) p = p.parent_path();
    for (; !p.empty(); p = p.parent_path()) {
      if (is_tree(p)) { root = p; break; }
      if (p == p.parent_path()) break;
    }
    if (root.empty()) {
      *err = Diag::error(Exit::no_input, "no kernel tree above " + (start.empty() ? "." : start));
      err->note("name one with -C DIR");
      return std::nullopt;
    }
  }
  KernelTree t;
  t.src = root.lexically_normal().string();
  if (!t.src.empty() && t.src.back() == '/') t.src.pop_back();
  if (!build_dir.empty() && fs::exists(fs::path(build_dir) / ".config", ec)) {
    t.obj = build_dir;
  } else if (fs::exists(root / ".config", ec)) {
    t.obj = t.src;
  } else {
    std::string best;
    for (const auto& e : fs::directory_iterator("/usr/src", ec)) {
      std::string n = e.path().filename().string();
      if (n.rfind("linux-headers-", 0) == 0 && n.size() > 6 && n.substr(n.size() - 6) == "-amd64" &&
          fs::exists(e.path() / ".config", ec) && n > best)
        best = n;
    }
    if (!best.empty()) t.obj = "/usr/src/" + best;
  }
  if (!t.obj.empty()) t.config = t.obj + "/.config";
  if (fs::exists(root / "compile_commands.json", ec)) t.compile_commands = (root / "compile_commands.json").string();
  return t;
}

std::optional<std::string> relative_to_tree(const KernelTree& tree, const std::string& file, Diag* err) {
  std::error_code ec;
  fs::path p = file;
  if (p.is_relative() && !fs::exists(p, ec)) p = fs::path(tree.src) / p;
  p = fs::absolute(p, ec).lexically_normal();
  fs::path rel = p.lexically_relative(tree.src);
  if (rel.empty() || rel.string().rfind("..", 0) == 0) {
    *err = Diag::error_at(Exit::data_error, file, 0, "not inside the kernel tree " + tree.src);
    return std::nullopt;
  }
  if (!fs::exists(p, ec)) {
    *err = Diag::error_at(Exit::no_input, file, 0, "no such file");
    return std::nullopt;
  }
  return rel.string();
}

std::vector<std::string> compile_args(const KernelTree& tree, const std::string& rel_file,
                                      const std::string& module_name, bool is_module) {
  const std::string& S = tree.src;
  const std::string O = tree.obj.empty() ? tree.src : tree.obj;
  fs::path rel(rel_file);
  std::string base = rel.stem().string();
  std::string mod = module_name.empty() ? base : module_name;
  std::vector<std::string> a = {
      "-x", "c", "-std=gnu11", "--target=x86_64-linux-gnu", "-nostdinc",
      "-I" + S + "/arch/x86/include", "-I" + O + "/arch/x86/include/generated", "-I" + S + "/include",
      "-I" + O + "/include", "-I" + S + "/arch/x86/include/uapi",
      "-I" + O + "/arch/x86/include/generated/uapi", "-I" + S + "/include/uapi",
      "-I" + O + "/include/generated/uapi", "-include", S + "/include/linux/compiler-version.h",
      "-include", S + "/include/linux/kconfig.h", "-include", S + "/include/linux/compiler_types.h",
      "-D__KERNEL__", "-DCC_USING_FENTRY", "-DKBUILD_BASENAME=\"" + base + "\"",
      "-DKBUILD_MODNAME=\"" + mod + "\"", "-D__KBUILD_MODNAME=kmod_" + mod,
      "-DKBUILD_MODFILE=\"" + (rel.parent_path() / base).string() + "\"", "-I" + S + "/" + rel.parent_path().string(),
      "-Wno-everything"};
  if (is_module) a.push_back("-DMODULE");
  return a;
}

BuildInfo build_info(const KernelTree&, const std::string&) {
  BuildInfo b;
  b.kind = BuildInfo::Kind::unknown;
  return b;
}

}  // namespace sa::ktree
