// SPDX-License-Identifier: GPL-2.0-or-later
// What stap-addprobe knows about a kernel tree without parsing C (see kernel_tree.h).
//
// Finding the tree: -C, else walk up from the location to a folder with Makefile + Kbuild + arch/.
// Finding the build: -r DIR (a build folder, or a kernel release as stap takes it), else a .config
// in the tree, else the newest /usr/src/linux-headers-*-amd64 whose version matches the tree's
// Makefile; its .config decides CONFIG_ questions and its include/generated folders complete the
// include path.
//
// Whether a file is built: Kbuild decides per directory. A directory is reached when an ancestor's
// Makefile lists it (`obj-$(CONFIG_EXT4_FS) += ext4/`, and the root Kbuild for the top folders); an
// object is built when the nearest Makefile that names it (possibly through a composite object,
// `ext4-y += inode.o` + `obj-m += ext4.o`, or a path like `libxfs/xfs_alloc.o`) puts it in a live
// list. Each answer remembers the Makefile line that decided it, so "not built" says why. A `.c`
// that no Makefile names but another `.c` includes (kernel/sched/build_policy.c) is built through
// its includer. When the Makefiles say nothing and the build has a modules.order, the only module
// under the nearest directory is the answer.
//
// Flags: compile_commands.json when there is one (only the preprocessor flags are kept: clang
// rejects half of GCC's), else Kbuild's flags reconstructed as in issue 5's facts, plus ccflags-y,
// subdir-ccflags-y inherited from every parent directory, and CFLAGS_<object>.o.
#include "kernel_tree.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "kbuild.h"

namespace fs = std::filesystem;

namespace sa::ktree {

namespace {

bool read_text(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}
bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

bool is_kernel_tree(const fs::path& p) {
  return path_exists(p / "Makefile") && path_exists(p / "Kbuild") && is_dir(p / "arch");
}

std::string canonical_or_absolute(const fs::path& p) {
  std::error_code ec;
  auto c = fs::canonical(p, ec);
  if (!ec) return c.string();
  return fs::absolute(p, ec).lexically_normal().string();
}

// "6.1" from a source tree's Makefile.
std::string tree_version(const std::string& src) {
  std::string text;
  if (!read_text(src + "/Makefile", &text)) return {};
  std::smatch m1, m2;
  static const std::regex ver(R"(^VERSION = (\d+))", std::regex::multiline);
  static const std::regex pl(R"(^PATCHLEVEL = (\d+))", std::regex::multiline);
  if (!std::regex_search(text, m1, ver) || !std::regex_search(text, m2, pl)) return {};
  return m1[1].str() + "." + m2[1].str();
}

// "6.1" from a build tree's generated version.h.
std::string build_version(const std::string& obj) {
  std::string text;
  if (!read_text(obj + "/include/generated/uapi/linux/version.h", &text)) return {};
  std::smatch m1, m2;
  static const std::regex maj(R"(LINUX_VERSION_MAJOR (\d+))");
  static const std::regex pl(R"(LINUX_VERSION_PATCHLEVEL (\d+))");
  if (std::regex_search(text, m1, maj) && std::regex_search(text, m2, pl))
    return m1[1].str() + "." + m2[1].str();
  static const std::regex code(R"(LINUX_VERSION_CODE (\d+))");
  if (!std::regex_search(text, m1, code)) return {};
  long v = std::stol(m1[1].str());
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 255);
}

bool has_generated(const fs::path& obj) { return is_dir(obj / "include/generated"); }

// The newest /usr/src/linux-headers-*-amd64 (or $SA_HEADERS_ROOT for tests) matching `version`.
std::string matching_headers(const std::string& version) {
  const char* root_env = std::getenv("SA_HEADERS_ROOT");
  fs::path root = root_env && *root_env ? root_env : "/usr/src";
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("linux-headers-", 0) != 0 || name.size() < 6 ||
        name.compare(name.size() - 6, 6, "-amd64") != 0)
      continue;
    if (!path_exists(e.path() / ".config") || !has_generated(e.path())) continue;
    if (!version.empty() && build_version(e.path().string()) != version) continue;
    found.push_back(e.path().string());
  }
  if (found.empty()) return {};
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return ::strverscmp(a.c_str(), b.c_str()) < 0;
  });
  return found.back();
}

// ---------------------------------------------------------------------------------------------
// Per-tree knowledge: the config and the evaluated Makefiles, cached for the process.

struct TreeKnowledge {
  std::string src, obj;
  kbuild::Config config;
  bool have_config = false;
  std::map<std::string, std::string> arch_vars;  // ARCH_CORE, ARCH_LIB, ARCH_DRIVERS
  std::map<std::string, std::unique_ptr<kbuild::Result>> makefiles;  // by directory ("" = root)
  std::vector<std::string> modules_order;  // tree-relative .ko paths, when the build has one
  bool dotdot_scanned = false;
  std::vector<std::string> dotdot_dirs;  // folders whose Makefile mentions "../"
};

std::mutex g_mutex;
std::map<std::string, std::unique_ptr<TreeKnowledge>> g_trees;

kbuild::Env base_env(const TreeKnowledge& k, const std::string& dir) {
  kbuild::Env env;
  env.config = &k.config;
  env.vars = {{"srctree", k.src},
              {"objtree", k.obj.empty() ? k.src : k.obj},
              {"src", dir.empty() ? "." : dir},
              {"obj", dir.empty() ? "." : dir},
              {"SRCARCH", "x86"},
              {"ARCH", "x86"},
              {"SUBARCH", "x86"},
              {"BITS", "64"},
              {"CONFIG_SHELL", "/bin/sh"}};
  return env;
}

TreeKnowledge& knowledge(const KernelTree& tree) {
  std::string key = tree.src + "\n" + tree.obj + "\n" + tree.config;
  auto& slot = g_trees[key];
  if (slot) return *slot;
  slot = std::make_unique<TreeKnowledge>();
  TreeKnowledge& k = *slot;
  k.src = tree.src;
  k.obj = tree.obj;
  std::string text;
  if (!tree.config.empty() && read_text(tree.config, &text)) {
    k.config = kbuild::parse_config(text);
    k.have_config = true;
  }
  // What the top Makefile hands the root Kbuild: core-y/libs-y/drivers-y of arch/x86/Makefile.
  auto arch = kbuild::evaluate(k.src + "/arch/x86/Makefile", base_env(k, ""));
  auto var = [&](const char* name) {
    auto it = arch.vars.find(name);
    return it == arch.vars.end() ? std::string() : it->second;
  };
  std::string libs;
  std::istringstream lw("lib/ " + var("libs-y"));
  for (std::string w; lw >> w;)
    if (!w.empty() && w.back() == '/') libs += w + " ";
  k.arch_vars = {{"ARCH_CORE", var("core-y")},
                 {"ARCH_LIB", libs},
                 {"ARCH_DRIVERS", var("drivers-y") + " " + var("drivers-m")}};
  if (!k.obj.empty() && read_text(k.obj + "/modules.order", &text)) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("kernel/", 0) == 0) line = line.substr(7);
      if (!line.empty()) k.modules_order.push_back(line);
    }
  }
  return k;
}

const kbuild::Result& makefile(TreeKnowledge& k, const std::string& dir) {
  auto& slot = k.makefiles[dir];
  if (slot) return *slot;
  fs::path base = dir.empty() ? fs::path(k.src) : fs::path(k.src) / dir;
  fs::path file = path_exists(base / "Kbuild") ? base / "Kbuild" : base / "Makefile";
  kbuild::Env env = base_env(k, dir);
  if (dir.empty()) {
    file = base / "Kbuild";
    for (const auto& [name, value] : k.arch_vars) env.vars[name] = value;
  }
  slot = std::make_unique<kbuild::Result>(path_exists(file) ? kbuild::evaluate(file.string(), env)
                                                            : kbuild::Result{});
  return *slot;
}

std::string parent_dir(const std::string& rel) {
  auto slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

std::string normalize(const std::string& dir, const std::string& word) {
  fs::path p = dir.empty() ? fs::path(word) : fs::path(dir) / word;
  std::string s = p.lexically_normal().generic_string();
  if (!word.empty() && word.back() == '/' && (s.empty() || s.back() != '/')) s += '/';
  return s;
}

std::string tree_relative(const TreeKnowledge& k, const std::string& file) {
  if (file.rfind(k.src + "/", 0) == 0) return file.substr(k.src.size() + 1);
  return file;
}

// Lists that name host programs, extra targets and flags, never kernel objects.
bool is_non_object_list(const std::string& list) {
  static const std::set<std::string> lists = {"ccflags",
                                              "asflags",
                                              "ldflags",
                                              "subdir-ccflags",
                                              "subdir-asflags",
                                              "always",
                                              "targets",
                                              "hostprogs",
                                              "extra",
                                              "userprogs",
                                              "clean-files",
                                              "subdir",
                                              "header-test",
                                              "userccflags",
                                              "no-clean-files",
                                              "clean-dirs",
                                              "hostprogs-always",
                                              "userprogs-always",
                                              "dtb",
                                              "obj-dtb"};
  return lists.count(list) != 0;
}

struct Entry {
  std::string dir;  // the Makefile's directory
  const kbuild::ListWord* word = nullptr;
};

// Objects named through `..` from a sibling folder's Makefile (amdgpu's `../display/dc/...o`): the
// Makefiles of the folders beside each of the target's three nearest ancestors that use `..`.
std::vector<Entry> find_entries_sideways(TreeKnowledge& k, const std::string& target) {
  std::vector<Entry> hits;
  std::string t = target;
  if (!t.empty() && t.back() == '/') t.pop_back();
  std::string on_path = parent_dir(t);
  std::string anc = parent_dir(on_path);
  for (int level = 0; level < 3 && !on_path.empty(); ++level) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(k.src) / anc, ec)) {
      if (!e.is_directory(ec)) continue;
      std::string child =
          anc.empty() ? e.path().filename().string() : anc + "/" + e.path().filename().string();
      if (child == on_path) continue;
      std::string text;
      if (!read_text((e.path() / "Makefile").string(), &text) &&
          !read_text((e.path() / "Kbuild").string(), &text))
        continue;
      if (text.find("../") == std::string::npos) continue;
      for (const auto& w : makefile(k, child).words)
        if (w.word.find("..") != std::string::npos && normalize(child, w.word) == target)
          hits.push_back({child, &w});
    }
    if (!hits.empty() || anc.empty()) break;
    on_path = anc;
    anc = parent_dir(anc);
  }
  return hits;
}

// Last resort for `..` spellings from anywhere (arch/x86/kvm's `../../../virt/kvm/kvm_main.o`):
// every Makefile in the tree that mentions "../", found once per process.
std::vector<Entry> find_entries_anywhere(TreeKnowledge& k, const std::string& target) {
  if (!k.dotdot_scanned) {
    k.dotdot_scanned = true;
    std::error_code ec;
    auto opts = fs::directory_options::skip_permission_denied;
    for (fs::recursive_directory_iterator it(k.src, opts, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it->is_directory(ec)) {
        if (name == ".git" || name == "Documentation" || name == "tools" || name == "scripts")
          it.disable_recursion_pending();
        continue;
      }
      if (name != "Makefile" && name != "Kbuild") continue;
      std::string text;
      // "../" may hide in an included file (virt/kvm/Makefile.kvm from arch/x86/kvm).
      if (!read_text(it->path().string(), &text) ||
          (text.find("../") == std::string::npos &&
           text.find("include $(srctree)") == std::string::npos))
        continue;
      std::string dir = tree_relative(k, it->path().parent_path().string());
      if (dir == k.src) dir.clear();
      k.dotdot_dirs.push_back(dir);
    }
  }
  std::vector<Entry> hits;
  for (const auto& dir : k.dotdot_dirs)
    for (const auto& w : makefile(k, dir).words)
      if (w.word.find("..") != std::string::npos && normalize(dir, w.word) == target)
        hits.push_back({dir, &w});
  return hits;
}

// Every list word, in the nearest Makefile above `target` that names it, that denotes `target`
// ("fs/ext4/inode.o" or "fs/ext4/").
std::vector<Entry> find_entries(TreeKnowledge& k, const std::string& target) {
  std::string t = target;
  if (!t.empty() && t.back() == '/') t.pop_back();
  std::string dir = parent_dir(t);
  for (int guard = 0; guard < 64; ++guard) {
    std::vector<Entry> hits;
    const auto& mk = makefile(k, dir);
    for (const auto& w : mk.words) {
      std::string word = w.word;
      if (!dir.empty() && word.rfind("$(obj)/", 0) == 0) word = word.substr(7);
      if (normalize(dir, word) == target) hits.push_back({dir, &w});
    }
    if (!hits.empty()) return hits;
    if (dir.empty()) break;
    dir = parent_dir(dir);
  }
  return {};
}

struct Status {
  enum State { none, off, y, m } state = none;
  std::string module;   // for y/m: the object that KBUILD_MODNAME names (composite or own name)
  std::string reason;   // for off
  std::string owner;    // directory of the Makefile that lists the object
  std::string spelled;  // the object's path as that Makefile spells it, tree-relative
};

std::string where(const TreeKnowledge& k, const kbuild::ListWord& w) {
  return tree_relative(k, w.file) + ":" + std::to_string(w.line);
}

// Keeps the stronger of two answers: built-in over module over off over none.
void merge(Status* into, const Status& s) {
  auto rank = [](Status::State st) {
    switch (st) {
      case Status::y:
        return 3;
      case Status::m:
        return 2;
      case Status::off:
        return 1;
      default:
        return 0;
    }
  };
  if (rank(s.state) > rank(into->state)) *into = s;
}

Status object_status_from(TreeKnowledge& k, const std::string& obj, int depth,
                          const std::vector<Entry>& entries);
Status dir_status(TreeKnowledge& k, const std::string& dir, int depth);

// The nearest Makefile above decides; when it names the object only in lists that are not kernel
// objects (amd/pm/powerplay's POWER_MGR-y), the `..` spellings of other folders are tried.
Status object_status(TreeKnowledge& k, const std::string& obj, int depth) {
  if (depth > 8) return {};
  Status st = object_status_from(k, obj, depth, find_entries(k, obj));
  if (st.state != Status::none) return st;
  st = object_status_from(k, obj, depth, find_entries_sideways(k, obj));
  if (st.state != Status::none) return st;
  return object_status_from(k, obj, depth, find_entries_anywhere(k, obj));
}

Status object_status_from(TreeKnowledge& k, const std::string& obj, int depth,
                          const std::vector<Entry>& entries) {
  Status best;
  for (const auto& e : entries) {
    const kbuild::ListWord& w = *e.word;
    if (is_non_object_list(w.list)) continue;
    Status s;
    s.owner = e.dir;
    s.spelled = e.dir.empty() ? w.word : e.dir + "/" + w.word;
    std::string base = fs::path(obj).stem().string();
    if (w.list == "obj" || w.list == "lib") {
      s.module = base;
      if (!w.live) {
        s.state = Status::off;
        s.reason = w.reason + " (" + where(k, w) + ")";
      } else {
        // Only a Makefile that Kbuild reaches counts (virt/kvm is named by every arch's kvm/).
        Status d = dir_status(k, e.dir, 0);
        if (d.state == Status::off || d.state == Status::none) {
          s.state = Status::off;
          s.reason =
              d.state == Status::off ? d.reason : "no Kbuild Makefile reaches " + e.dir + "/";
        } else {
          s.state = (w.suffix == "m" && w.list == "obj") ? Status::m : Status::y;
        }
      }
    } else {
      // A member of the composite object `list`.o in the same Makefile.
      Status c = object_status(k, normalize(e.dir, w.list + ".o"), depth + 1);
      if (c.state == Status::none) continue;  // not a kernel object (a host program, ...)
      if (!w.live) {
        s.state = Status::off;
        s.reason = w.reason + " (" + where(k, w) + ")";
      } else if (w.suffix == "m" && c.state == Status::y) {
        // Kbuild takes NAME-m members only for modules (multi-search with -objs -y -m).
        s.state = Status::off;
        s.reason =
            "listed in " + w.list + "-m but " + w.list + ".o is built in (" + where(k, w) + ")";
      } else {
        s.state = c.state;
        s.reason = c.reason;
        s.module = c.module;
      }
    }
    merge(&best, s);
  }
  return best;
}

// Whether directory `dir` (tree-relative, no trailing slash) is reached from the root Kbuild.
Status dir_status(TreeKnowledge& k, const std::string& dir, int depth) {
  Status best;
  if (dir.empty()) {
    best.state = Status::y;
    return best;
  }
  if (depth > 32) return best;
  for (const auto& e : find_entries(k, dir + "/")) {
    const kbuild::ListWord& w = *e.word;
    if (w.list != "obj" && w.list != "lib") continue;
    Status s;
    s.owner = e.dir;
    if (!w.live) {
      s.state = Status::off;
      s.reason = w.reason + " (" + where(k, w) + ")";
    } else {
      Status up = dir_status(k, e.dir, depth + 1);
      if (up.state == Status::y || up.state == Status::m)
        s.state = w.suffix == "m" ? Status::m : up.state;
      else
        s = up;
    }
    merge(&best, s);
  }
  return best;
}

// True when `text` has a line `#include "spelled"`, with any blanks around '#' ("# include", as
// kernel/sched/build_utility.c writes its conditional ones).
bool includes(const std::string& text, const std::string& spelled) {
  std::string quoted = "\"" + spelled + "\"";
  for (size_t pos = text.find(quoted); pos != std::string::npos; pos = text.find(quoted, pos + 1)) {
    size_t bol = text.rfind('\n', pos);
    bol = bol == std::string::npos ? 0 : bol + 1;
    std::string head = text.substr(bol, pos - bol);
    head.erase(
        std::remove_if(head.begin(), head.end(), [](char c) { return c == ' ' || c == '\t'; }),
        head.end());
    if (head == "#include") return true;
  }
  return false;
}

// A .c file in `rel`'s directory (or its parent) that #includes `rel`.
std::string find_includer(const TreeKnowledge& k, const std::string& rel) {
  std::string dir = parent_dir(rel);
  std::vector<std::string> dirs = {dir};
  if (!dir.empty()) dirs.push_back(parent_dir(dir));
  for (const std::string& d : dirs) {
    std::string spelled = rel.substr(d.empty() ? 0 : d.size() + 1);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(k.src) / d, ec)) {
      if (e.path().extension() != ".c") continue;
      std::string inc =
          d.empty() ? e.path().filename().string() : d + "/" + e.path().filename().string();
      if (inc == rel) continue;
      std::string text;
      if (read_text(e.path().string(), &text) && includes(text, spelled)) return inc;
    }
  }
  return {};
}

std::string modname_fix(std::string s) {
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

BuildInfo build_info_locked(TreeKnowledge& k, const std::string& rel_file, int depth) {
  BuildInfo bi;
  const std::string rel = fs::path(rel_file).lexically_normal().generic_string();
  if (fs::path(rel).extension() != ".c") {
    bi.reason = rel + " is not a .c file";
    // A header beside the .c files of one module only (fs/ext4/ext4.h with ext4=m) is that
    // module's: its inline functions are inlined there, and stap finds them in that .ko. One
    // beside built-in code, or in include/, may be anyone's: unknown (vmlinux).
    if (fs::path(rel).extension() == ".h" && k.have_config && depth == 0) {
      std::string module;
      bool mixed = false;
      std::error_code ec;
      std::string dir = parent_dir(rel);
      for (const auto& e : fs::directory_iterator(fs::path(k.src) / dir, ec)) {
        if (e.path().extension() != ".c") continue;
        std::string c =
            dir.empty() ? e.path().filename().string() : dir + "/" + e.path().filename().string();
        BuildInfo b = build_info_locked(k, c, 1);
        if (b.kind == BuildInfo::Kind::builtin || b.kind == BuildInfo::Kind::unknown ||
            (b.kind == BuildInfo::Kind::module && !module.empty() && b.module != module))
          mixed = true;
        else if (b.kind == BuildInfo::Kind::module)
          module = b.module;
      }
      if (!mixed && !module.empty()) {
        bi.kind = BuildInfo::Kind::module;
        bi.module = module;
        bi.reason.clear();
      }
    }
    return bi;
  }
  if (!k.have_config) {
    bi.reason = "no kernel configuration (.config) was found";
    return bi;
  }
  std::string obj = rel.substr(0, rel.size() - 2) + ".o";
  Status st = object_status(k, obj, 0);
  if (st.state == Status::none) {
    if (depth < 3) {
      std::string inc = find_includer(k, rel);
      if (!inc.empty()) {
        BuildInfo via = build_info_locked(k, inc, depth + 1);
        via.includer = via.includer.empty() ? inc : via.includer;
        if (via.kind == BuildInfo::Kind::not_built)
          via.reason = rel + " is included by " + inc + ", which is not built: " + via.reason;
        return via;
      }
    }
    // The only module in modules.order under the nearest directory.
    for (std::string d = parent_dir(rel); !k.modules_order.empty(); d = parent_dir(d)) {
      std::vector<std::string> under;
      for (const auto& m : k.modules_order)
        if (d.empty() || m.rfind(d + "/", 0) == 0) under.push_back(m);
      if (under.size() == 1) {
        bi.kind = BuildInfo::Kind::module;
        bi.module = modname_fix(fs::path(under[0]).stem().string());
        return bi;
      }
      if (!under.empty() || d.empty()) break;
    }
    bi.kind = BuildInfo::Kind::not_built;
    bi.reason = "no Kbuild Makefile lists " + obj;
    return bi;
  }
  if (st.state == Status::off) {
    bi.kind = BuildInfo::Kind::not_built;
    bi.reason = st.reason;
    return bi;
  }
  Status d = dir_status(k, st.owner, 0);
  if (d.state == Status::off || d.state == Status::none) {
    bi.kind = BuildInfo::Kind::not_built;
    bi.reason = d.state == Status::off ? d.reason : "no Kbuild Makefile reaches " + st.owner + "/";
    return bi;
  }
  bi.kind = st.state == Status::m ? BuildInfo::Kind::module : BuildInfo::Kind::builtin;
  if (bi.kind == BuildInfo::Kind::module) bi.module = modname_fix(st.module);
  std::string spelled = st.spelled.substr(0, st.spelled.size() - 2) + ".c";
  if (fs::path(spelled).lexically_normal().generic_string() != spelled) bi.dwarf_path = spelled;
  return bi;
}

// Keeps the flags clang needs to preprocess like Kbuild did (-I -D -U -include -isystem -iquote
// -std), resolving relative paths against `base`.
void keep_preprocessor_flags(const std::vector<std::string>& in, const std::string& base,
                             const std::string& alt_base, std::vector<std::string>* out) {
  auto resolve = [&](const std::string& p, std::vector<std::string>* paths) {
    if (fs::path(p).is_absolute()) {
      paths->push_back(p);
      return;
    }
    paths->push_back((fs::path(base) / p).lexically_normal().string());
    if (!alt_base.empty() && alt_base != base) {
      auto alt = (fs::path(alt_base) / p).lexically_normal();
      if (is_dir(alt)) paths->push_back(alt.string());
    }
  };
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& a = in[i];
    for (const char* opt : {"-I", "-isystem", "-iquote", "-include", "-imacros"}) {
      size_t n = std::strlen(opt);
      if (a.compare(0, n, opt) != 0) continue;
      std::string val = a.substr(n);
      if (val.empty() && i + 1 < in.size()) val = in[++i];
      if (val.empty()) break;
      std::vector<std::string> paths;
      resolve(val, &paths);
      for (const auto& p : paths) {
        if (n == 2)
          out->push_back("-I" + p);
        else {
          out->push_back(opt);
          out->push_back(p);
        }
      }
      goto next;
    }
    if (a.rfind("-D", 0) == 0 || a.rfind("-U", 0) == 0) {
      if (a.size() == 2 && i + 1 < in.size())
        out->push_back(a + in[++i]);
      else
        out->push_back(a);
    } else if (a.rfind("-std=", 0) == 0) {
      out->push_back(a);
    }
  next:;
  }
}

// Splits a shell command line as compile_commands.json's "command" has it.
std::vector<std::string> shell_split(const std::string& cmd) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < cmd.size(); ++i) {
    char c = cmd[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < cmd.size())
        cur += cmd[++i];
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < cmd.size()) {
      cur += cmd[++i];
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

// The compile_commands.json entry for `abs_file`, found textually first so a 30 MB database costs
// one read and one small JSON parse.
bool compile_command_for(const std::string& db_path, const std::string& abs_file,
                         const std::string& rel, std::vector<std::string>* args, std::string* dir) {
  std::string text;
  if (!read_text(db_path, &text)) return false;
  for (const std::string& needle : {"\"" + abs_file + "\"", "\"" + rel + "\""}) {
    size_t pos = 0;
    while ((pos = text.find(needle, pos)) != std::string::npos) {
      size_t open = text.rfind('{', pos), close = text.find('}', pos);
      pos += needle.size();
      if (open == std::string::npos || close == std::string::npos) continue;
      auto j = nlohmann::json::parse(text.substr(open, close - open + 1), nullptr, false);
      if (j.is_discarded() || !j.contains("file")) continue;
      std::string directory = j.value("directory", "");
      fs::path f = j["file"].get<std::string>();
      if (f.is_relative()) f = fs::path(directory) / f;
      if (canonical_or_absolute(f) != abs_file) continue;
      if (j.contains("arguments"))
        *args = j["arguments"].get<std::vector<std::string>>();
      else
        *args = shell_split(j.value("command", ""));
      *dir = directory;
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<KernelTree> find_kernel_tree(const std::string& start,
                                           const std::string& explicit_root,
                                           const std::string& build_dir, Diag* err) {
  KernelTree t;
  if (!explicit_root.empty()) {
    if (!is_kernel_tree(explicit_root)) {
      if (err)
        *err = Diag::error_at(Exit::no_input, explicit_root, 0,
                              "not a kernel source tree (no Makefile, Kbuild and arch/ there)");
      return std::nullopt;
    }
    t.src = canonical_or_absolute(explicit_root);
  } else {
    std::error_code ec;
    fs::path p = fs::absolute(start.empty() ? "." : start, ec).lexically_normal();
    if (!is_dir(p)) p = p.parent_path();
    for (; !p.empty(); p = p.parent_path()) {
      if (is_kernel_tree(p)) {
        t.src = canonical_or_absolute(p);
        break;
      }
      if (p == p.root_path()) break;
    }
    if (t.src.empty()) {
      if (err)
        *err = Diag::error(Exit::no_input, "no kernel source tree above " +
                                               (start.empty() ? std::string(".") : start))
                   .note("give the tree with -C DIR");
      return std::nullopt;
    }
  }

  std::string version = tree_version(t.src);
  if (!build_dir.empty()) {
    fs::path b = build_dir;
    if (is_dir(b)) {
      std::error_code ec;
      if (!fs::is_regular_file(b / "vmlinux", ec)) {
        if (err)
          *err = Diag::error_at(Exit::no_input, build_dir, 0,
                                "no vmlinux here: -r takes a kernel build folder (with vmlinux, "
                                "as stap -r does) or a kernel release")
                     .note("a linux-headers folder is found without -r");
        return std::nullopt;
      }
      t.vmlinux = canonical_or_absolute(b) + "/vmlinux";
    } else {  // a kernel release, as `stap -r` also takes it
      for (const fs::path& cand : {fs::path("/lib/modules") / build_dir / "build",
                                   fs::path("/usr/src") / ("linux-headers-" + build_dir)})
        if (is_dir(cand)) {
          b = cand;
          break;
        }
    }
    if (!is_dir(b)) {
      if (err)
        *err =
            Diag::error(Exit::no_input,
                        build_dir + " is neither a kernel build folder nor an installed release");
      return std::nullopt;
    }
    std::string bs = canonical_or_absolute(b);
    t.build = bs;
    if (path_exists(b / ".config")) t.config = bs + "/.config";
    if (has_generated(b)) t.obj = bs;
  }
  if (t.config.empty() && path_exists(fs::path(t.src) / ".config")) {
    t.config = t.src + "/.config";
    if (t.obj.empty() && has_generated(t.src)) t.obj = t.src;
  }
  if (t.obj.empty()) {
    std::string h = matching_headers(version);
    if (!h.empty()) {
      t.obj = h;
      if (t.config.empty()) t.config = h + "/.config";
    }
  }
  for (const std::string& dir : {t.obj, t.src}) {
    if (!dir.empty() && path_exists(fs::path(dir) / "compile_commands.json")) {
      t.compile_commands = dir + "/compile_commands.json";
      break;
    }
  }
  return t;
}

std::optional<std::string> relative_to_tree(const KernelTree& tree, const std::string& file,
                                            Diag* err) {
  std::vector<fs::path> candidates;
  fs::path f = file;
  if (f.is_absolute())
    candidates.push_back(f);
  else {
    candidates.push_back(fs::current_path() / f);
    candidates.push_back(fs::path(tree.src) / f);
  }
  // DWARF names a file as the Makefile that builds it spells it: amdgpu's
  // "drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c" is what stap's @FILE matches.
  auto as_dwarf_spells = [&](const std::string& rel) {
    if (fs::path(rel).extension() != ".c") return rel;
    std::lock_guard<std::mutex> lock(g_mutex);
    TreeKnowledge& k = knowledge(tree);
    if (!k.have_config) return rel;
    BuildInfo bi = build_info_locked(k, rel, 0);
    return bi.dwarf_path.empty() ? rel : bi.dwarf_path;
  };
  for (const auto& c : candidates) {
    if (!path_exists(c)) continue;
    std::string abs = canonical_or_absolute(c);
    if (abs.rfind(tree.src + "/", 0) == 0) return as_dwarf_spells(abs.substr(tree.src.size() + 1));
    // Not under the canonical tree; maybe the user's spelling goes through a symlink.
    std::string lex = fs::absolute(c).lexically_normal().string();
    if (lex.rfind(tree.src + "/", 0) == 0) return as_dwarf_spells(lex.substr(tree.src.size() + 1));
    if (err)
      *err = Diag::error_at(Exit::data_error, file, 0, "not inside the kernel tree " + tree.src);
    return std::nullopt;
  }
  if (err)
    *err = Diag::error_at(Exit::no_input, file, 0, "no such file in the kernel tree " + tree.src);
  return std::nullopt;
}

std::vector<std::string> compile_args(const KernelTree& tree, const std::string& rel_file,
                                      const std::string& module_name, bool is_module) {
  std::vector<std::string> args = {"-x", "c", "--target=x86_64-linux-gnu", "-Wno-everything"};
  const std::string abs = tree.src + "/" + rel_file;
  if (!tree.compile_commands.empty()) {
    std::vector<std::string> cc;
    std::string dir;
    if (compile_command_for(tree.compile_commands, canonical_or_absolute(abs), rel_file, &cc,
                            &dir)) {
      bool has_std = std::any_of(cc.begin(), cc.end(),
                                 [](const std::string& a) { return a.rfind("-std=", 0) == 0; });
      if (!has_std) args.push_back("-std=gnu11");
      args.push_back("-nostdinc");
      keep_preprocessor_flags(cc, dir.empty() ? tree.src : dir, "", &args);
      return args;
    }
  }

  std::lock_guard<std::mutex> lock(g_mutex);
  TreeKnowledge& k = knowledge(tree);
  const std::string& S = tree.src;
  const std::string O = tree.obj.empty() ? tree.src : tree.obj;
  const std::string rel = fs::path(rel_file).lexically_normal().generic_string();
  std::string obj = rel.size() > 2 ? rel.substr(0, rel.size() - 2) + ".o" : rel;
  Status st = k.have_config ? object_status(k, obj, 0) : Status{};
  std::string owner = st.state == Status::none ? parent_dir(rel) : st.owner;
  std::string base = fs::path(rel).stem().string();
  std::string modname = modname_fix(!module_name.empty() ? module_name
                                    : !st.module.empty() ? st.module
                                                         : base);
  std::string modfile =
      (owner.empty() ? std::string() : owner + "/") + (!st.module.empty() ? st.module : base);

  args.insert(args.end(), {"-std=gnu11", "-nostdinc", "-I" + S + "/arch/x86/include",
                           "-I" + O + "/arch/x86/include/generated", "-I" + S + "/include",
                           "-I" + O + "/include", "-I" + S + "/arch/x86/include/uapi",
                           "-I" + O + "/arch/x86/include/generated/uapi",
                           "-I" + S + "/include/uapi", "-I" + O + "/include/generated/uapi"});
  for (const char* h : {"compiler-version.h", "kconfig.h", "compiler_types.h"}) {
    std::string p = S + "/include/linux/" + h;
    if (path_exists(p)) args.insert(args.end(), {"-include", p});
  }
  args.insert(
      args.end(),
      {"-D__KERNEL__", "-DCC_USING_FENTRY", "-DKBUILD_BASENAME=\"" + modname_fix(base) + "\"",
       "-DKBUILD_MODNAME=\"" + modname + "\"", "-D__KBUILD_MODNAME=kmod_" + modname,
       "-DKBUILD_MODFILE=\"" + modfile + "\""});
  if (is_module) args.push_back("-DMODULE");

  // Makefile flags: subdir-ccflags-y of the owner and every parent, then ccflags-y and CFLAGS_x.o.
  std::vector<std::string> mk_flags;
  auto words = [](const std::string& s) {
    std::vector<std::string> v;
    std::istringstream in(s);
    for (std::string w; in >> w;) v.push_back(w);
    return v;
  };
  auto var = [](const kbuild::Result& r, const std::string& name) {
    auto it = r.vars.find(name);
    return it == r.vars.end() ? std::string() : it->second;
  };
  if (k.have_config) {
    std::vector<std::string> chain;
    for (std::string d = owner;; d = parent_dir(d)) {
      chain.insert(chain.begin(), d);
      if (d.empty()) break;
    }
    for (const auto& d : chain) {
      if (d.empty()) continue;  // the root Kbuild sets no compiler flags
      for (const auto& w : words(var(makefile(k, d), "subdir-ccflags-y"))) mk_flags.push_back(w);
    }
    const auto& mk = makefile(k, owner);
    std::string stem = obj.substr(owner.empty() ? 0 : owner.size() + 1);
    if (!st.spelled.empty()) {
      std::string sp = st.spelled.substr(owner.empty() ? 0 : owner.size() + 1);
      stem = sp;
    }
    for (const std::string& name :
         {std::string("ccflags-y"), std::string("EXTRA_CFLAGS"), "CFLAGS_" + stem,
          "CFLAGS_" + fs::path(stem).filename().string()}) {
      for (const auto& w : words(var(mk, name))) mk_flags.push_back(w);
      if (name == "CFLAGS_" + stem && fs::path(stem).filename().string() == stem) break;
    }
  }
  keep_preprocessor_flags(mk_flags, S, O, &args);
  return args;
}

BuildInfo build_info(const KernelTree& tree, const std::string& rel_file) {
  std::lock_guard<std::mutex> lock(g_mutex);
  TreeKnowledge& k = knowledge(tree);
  return build_info_locked(k, rel_file, 0);
}

std::vector<std::string> describe(const KernelTree& t) {
  auto or_none = [](const std::string& s, const char* none) {
    return s.empty() ? std::string(none) : s;
  };
  std::vector<std::string> out;
  out.push_back("kernel tree " + t.src);
  out.push_back("configuration " + or_none(t.config, "(none found)"));
  out.push_back("build folder " + or_none(t.obj, "(none found: flags without generated headers)"));
  if (!t.build.empty())
    out.push_back("-r " + t.build +
                  (t.vmlinux.empty() ? "" : " (DWARF and symbols of " + t.vmlinux + ")"));
  else
    out.push_back("no -r: statement lines are not checked against line records");
  return out;
}

}  // namespace sa::ktree
