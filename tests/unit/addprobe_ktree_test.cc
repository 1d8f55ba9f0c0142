// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel-tree knowledge of stap-addprobe: Kbuild evaluation, build info, flags, symbol tables
// and SystemTap's refusals. Small fake trees in a temporary folder, then the real linux-source-6.1
// tree with Debian's configuration (skipped with a message when it is not on this machine).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kbuild.h"
#include "kernel_tree.h"

namespace fs = std::filesystem;
using namespace sa::ktree;

namespace {

struct TempTree {
  fs::path root;
  TempTree() {
    char tmpl[] = "/tmp/sa-ktree-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
  std::string path(const std::string& rel = "") const {
    return rel.empty() ? root.string() : (root / rel).string();
  }
};

// A miniature kernel tree: the root Kbuild reaches fs/ and kernel/ (and net/ only with CONFIG_NET),
// fs/ext/ is a composite module, kernel/sched includes idle.c from build_policy.c.
void make_fake_tree(const TempTree& t) {
  t.write("Makefile", "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n");
  t.write(
      "Kbuild",
      "obj-y += init/\nobj-y += fs/ kernel/\nobj-$(CONFIG_NET) += net/\nobj-y += $(ARCH_LIB)\n");
  t.write("arch/x86/Makefile",
          "libs-y += arch/x86/lib/\nifeq ($(CONFIG_X86_32),y)\nlibs-y += bogus/\nendif\n");
  t.write("arch/x86/lib/Makefile", "lib-y := delay.o\n");
  t.write("arch/x86/lib/delay.c", "void d(void) {}\n");
  t.write(
      ".config",
      "CONFIG_FOO=y\nCONFIG_EXT=m\n# CONFIG_NET is not set\nCONFIG_HZ=250\nCONFIG_NAME=\"x\"\n");
  fs::create_directories(t.root / "include/generated");
  t.write("fs/Makefile",
          "# comment\n"
          "obj-$(CONFIG_EXT) += ext/\n"
          "obj-y += open.o \\\n\tread_write.o\n"
          "obj-$(CONFIG_NOPE) += nope/\n"
          "subdir-ccflags-y += -DFS_WIDE\n"
          "ifeq ($(CONFIG_FOO),y)\nobj-y += foo.o\nelse\nobj-y += notfoo.o\nendif\n"
          "ifdef CONFIG_MISSING\nobj-y += missing.o\nendif\n"
          "gen.o: gen.c\n\t$(CC) -o $@ $<\n");
  t.write("fs/ext/Makefile",
          "obj-$(CONFIG_EXT) += my-ext.o\n"
          "my-ext-y := a.o b-c.o sub/deep.o ../shared/s.o\n"
          "my-ext-$(CONFIG_BAZ) += baz.o\n"
          "ccflags-y += -I$(src)/inc -DEXT=1\n"
          "CFLAGS_a.o += -DONLY_A -O2\n"
          "hostprogs := tool\ntool-objs := helper.o\n");
  for (const char* f :
       {"fs/open.c", "fs/read_write.c", "fs/foo.c", "fs/notfoo.c", "fs/missing.c", "fs/unlisted.c",
        "fs/nope/x.c", "fs/ext/a.c", "fs/ext/b-c.c", "fs/ext/baz.c", "fs/ext/sub/deep.c",
        "fs/shared/s.c", "fs/ext/helper.c", "net/core/sock.c", "kernel/fork.c"})
    t.write(f, "int f(void) { return 0; }\n");
  t.write("net/Makefile", "obj-y += core/\n");
  t.write("net/core/Makefile", "obj-y += sock.o\n");
  t.write("kernel/Makefile", "obj-y += fork.o sched/\n");
  t.write("kernel/sched/Makefile", "obj-y += build_policy.o\n");
  t.write("kernel/sched/build_policy.c",
          "#include \"idle.c\"\n#ifdef CONFIG_X\n# include \"cpuacct.c\"\n#endif\n");
  t.write("kernel/sched/idle.c", "void idle(void) {}\n");
  t.write("kernel/sched/cpuacct.c", "void acct(void) {}\n");
}

KernelTree fake(const TempTree& t) {
  sa::Diag err;
  auto kt = find_kernel_tree(t.path("fs/ext/a.c"), "", "", &err);
  REQUIRE(kt);
  return *kt;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("kbuild: variables, conditionals, functions and list words") {
  kbuild::Config cfg = kbuild::parse_config("CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\n");
  CHECK(cfg.get("CONFIG_A") == "y");
  CHECK(cfg.get("CONFIG_C").empty());
  kbuild::Env env;
  env.config = &cfg;
  env.vars["src"] = "drivers/x";
  auto r = kbuild::evaluate_text(
      "objs := one.o two.o\n"
      "obj-$(CONFIG_A) += $(objs)\n"
      "obj-$(CONFIG_B) += mod.o\n"
      "obj-$(CONFIG_C) += off.o\n"
      "lazy = $(later)\nlater := L\n"
      "x := $(patsubst %.o,%.c,$(objs)) $(addprefix p/,a b) $(if $(CONFIG_C),yes,no)\n"
      "y := $(subst m,y,$(CONFIG_B)) $(filter %.o,a.o b.c) $(foreach w,1 2,<$(w)>)\n"
      "ifneq ($(CONFIG_B),m)\nobj-y += dead.o\nelse ifeq ($(CONFIG_A),y)\nobj-y += alive.o\nendif\n"
      "ccflags-y := -I$(src)/inc\n",
      "Makefile", env);
  CHECK(r.vars["lazy"] == "L");
  CHECK(r.vars["x"] == "one.c two.c p/a p/b no");
  CHECK(r.vars["y"] == "y a.o <1> <2>");
  CHECK(r.vars["ccflags-y"] == "-Idrivers/x/inc");
  std::map<std::string, const kbuild::ListWord*> by_word;
  for (const auto& w : r.words) by_word[w.word] = &w;
  REQUIRE(by_word.count("one.o"));
  CHECK(by_word["one.o"]->live);
  CHECK(by_word["mod.o"]->suffix == "m");
  CHECK_FALSE(by_word["off.o"]->live);
  CHECK(by_word["off.o"]->reason == "CONFIG_C is not set");
  CHECK(by_word["off.o"]->line == 4);
  CHECK_FALSE(by_word["dead.o"]->live);
  CHECK(by_word["dead.o"]->reason.find("CONFIG_B=m") != std::string::npos);
  CHECK(by_word["alive.o"]->live);
}

TEST_CASE("kernel tree: found by walking up, with the tree's own .config") {
  TempTree t;
  make_fake_tree(t);
  KernelTree kt = fake(t);
  CHECK(kt.src == fs::canonical(t.root).string());
  CHECK(kt.obj == kt.src);
  CHECK(kt.config == kt.src + "/.config");
  sa::Diag err;
  CHECK_FALSE(find_kernel_tree("/", "", "", &err));
  CHECK(err.exit == sa::Exit::no_input);
  CHECK_FALSE(find_kernel_tree("", t.path("fs"), "", &err));
  CHECK(err.message.find("not a kernel source tree") != std::string::npos);
  auto rel = relative_to_tree(kt, t.path("fs/./ext/a.c"), &err);
  REQUIRE(rel);
  CHECK(*rel == "fs/ext/a.c");
  CHECK(relative_to_tree(kt, "fs/open.c", &err).value_or("") == "fs/open.c");
  CHECK_FALSE(relative_to_tree(kt, "fs/none.c", &err));
  CHECK(err.exit == sa::Exit::no_input);
}

TEST_CASE("kernel tree: -r names the build; a build without generated headers keeps its config") {
  TempTree t, b;
  make_fake_tree(t);
  b.write(".config", "CONFIG_EXT=y\n");
  sa::Diag err;
  CHECK_FALSE(
      find_kernel_tree(t.path(), "", b.path(), &err));  // no vmlinux: not a build stap -r takes
  CHECK(err.exit == sa::Exit::no_input);
  CHECK(err.file == b.path());
  CHECK(err.message ==
        "no vmlinux here: -r takes a kernel build folder (with vmlinux, as stap -r does) or a "
        "kernel release");
  b.write("vmlinux", "");
  auto kt = find_kernel_tree(t.path(), "", b.path(), &err);
  REQUIRE(kt);
  CHECK(kt->vmlinux == fs::canonical(b.path()).string() + "/vmlinux");
  CHECK(kt->config == fs::canonical(b.root).string() + "/.config");
  CHECK(build_info(*kt, "fs/ext/a.c").kind == BuildInfo::Kind::builtin);
  CHECK_FALSE(find_kernel_tree(t.path(), "", "no-such-release-0", &err));
}

TEST_CASE("build info: built-in, modules, composites, paths and reasons") {
  TempTree t;
  make_fake_tree(t);
  KernelTree kt = fake(t);
  CHECK(build_info(kt, "fs/open.c").kind == BuildInfo::Kind::builtin);
  CHECK(build_info(kt, "fs/read_write.c").kind == BuildInfo::Kind::builtin);  // continuation line
  CHECK(build_info(kt, "fs/foo.c").kind == BuildInfo::Kind::builtin);
  CHECK(build_info(kt, "arch/x86/lib/delay.c").kind ==
        BuildInfo::Kind::builtin);  // lib-y via ARCH_LIB

  BuildInfo a = build_info(kt, "fs/ext/a.c");
  CHECK(a.kind == BuildInfo::Kind::module);
  CHECK(a.module == "my_ext");
  CHECK(build_info(kt, "fs/ext/b-c.c").module == "my_ext");
  CHECK(build_info(kt, "fs/ext/sub/deep.c").module == "my_ext");
  BuildInfo s = build_info(kt, "fs/shared/s.c");
  CHECK(s.module == "my_ext");
  CHECK(s.dwarf_path == "fs/ext/../shared/s.c");
  CHECK(a.dwarf_path.empty());
  sa::Diag err;
  CHECK(relative_to_tree(kt, t.path("fs/shared/s.c"), &err).value_or("") == "fs/ext/../shared/s.c");
  CHECK(build_info(kt, "fs/ext/../shared/s.c").module == "my_ext");
  CHECK(has(compile_args(kt, "fs/ext/../shared/s.c", "", true), "-DKBUILD_MODNAME=\"my_ext\""));

  BuildInfo idle = build_info(kt, "kernel/sched/idle.c");
  CHECK(idle.kind == BuildInfo::Kind::builtin);
  CHECK(idle.includer == "kernel/sched/build_policy.c");
  BuildInfo acct =
      build_info(kt, "kernel/sched/cpuacct.c");  // "# include", as kernel/sched writes it
  CHECK(acct.kind == BuildInfo::Kind::builtin);
  CHECK(acct.includer == "kernel/sched/build_policy.c");

  BuildInfo baz = build_info(kt, "fs/ext/baz.c");
  CHECK(baz.kind == BuildInfo::Kind::not_built);
  CHECK(baz.reason == "CONFIG_BAZ is not set (fs/ext/Makefile:3)");
  BuildInfo nf = build_info(kt, "fs/notfoo.c");
  CHECK(nf.kind == BuildInfo::Kind::not_built);
  CHECK(nf.reason.find("CONFIG_FOO=y") != std::string::npos);
  CHECK(nf.reason.find("fs/Makefile:10") != std::string::npos);
  CHECK(build_info(kt, "fs/missing.c").reason.find("CONFIG_MISSING is not set") == 0);
  BuildInfo nope = build_info(kt, "fs/nope/x.c");
  CHECK(nope.kind == BuildInfo::Kind::not_built);
  CHECK(nope.reason == "no Kbuild Makefile lists fs/nope/x.o");
  BuildInfo sock = build_info(kt, "net/core/sock.c");
  CHECK(sock.kind == BuildInfo::Kind::not_built);
  CHECK(sock.reason == "CONFIG_NET is not set (Kbuild:3)");
  CHECK(build_info(kt, "fs/ext/helper.c").kind == BuildInfo::Kind::not_built);  // a host program
  CHECK(build_info(kt, "fs/unlisted.c").kind == BuildInfo::Kind::not_built);
  CHECK(build_info(kt, "include/linux/x.h").kind == BuildInfo::Kind::unknown);
  // A header beside the .c files of one module only (fs/ext4/ext4.h) is that module's; one beside
  // built-in code, or in include/, is vmlinux's or anyone's: unknown.
  t.write("fs/ext/ext.h", "static inline int e(void) { return 1; }\n");
  BuildInfo h = build_info(kt, "fs/ext/ext.h");
  CHECK(h.kind == BuildInfo::Kind::module);
  CHECK(h.module == "my_ext");
  t.write("fs/internal.h", "static inline int i(void) { return 1; }\n");
  CHECK(build_info(kt, "fs/internal.h").kind == BuildInfo::Kind::unknown);
}

TEST_CASE("build info: modules.order decides when the Makefiles say nothing") {
  TempTree t;
  make_fake_tree(t);
  t.write("drivers/odd/Makefile", "weird-syntax $(error nope)\n");
  t.write("drivers/odd/thing.c", "int x;\n");
  t.write("modules.order", "kernel/drivers/odd/odd-drv.ko\nfs/ext/my-ext.ko\n");
  KernelTree kt = fake(t);
  BuildInfo bi = build_info(kt, "drivers/odd/thing.c");
  CHECK(bi.kind == BuildInfo::Kind::module);
  CHECK(bi.module == "odd_drv");
}

TEST_CASE("compile args: Kbuild's flags with the Makefiles' ccflags") {
  TempTree t;
  make_fake_tree(t);
  KernelTree kt = fake(t);
  auto args = compile_args(kt, "fs/ext/a.c", "my_ext", true);
  const std::string S = kt.src;
  CHECK(has(args, "-nostdinc"));
  CHECK(has(args, "--target=x86_64-linux-gnu"));
  CHECK(has(args, "-I" + S + "/include"));
  CHECK(has(args, "-I" + S + "/arch/x86/include/generated/uapi"));
  CHECK(has(args, "-D__KERNEL__"));
  CHECK(has(args, "-DMODULE"));
  CHECK(has(args, "-DKBUILD_MODNAME=\"my_ext\""));
  CHECK(has(args, "-D__KBUILD_MODNAME=kmod_my_ext"));
  CHECK(has(args, "-DKBUILD_BASENAME=\"a\""));
  CHECK(has(args, "-DKBUILD_MODFILE=\"fs/ext/my-ext\""));
  CHECK(has(args, "-DFS_WIDE"));               // subdir-ccflags-y of the parent
  CHECK(has(args, "-I" + S + "/fs/ext/inc"));  // ccflags-y, relative to the tree
  CHECK(has(args, "-DEXT=1"));
  CHECK(has(args, "-DONLY_A"));   // CFLAGS_a.o
  CHECK_FALSE(has(args, "-O2"));  // not a preprocessor flag
  auto b = compile_args(kt, "fs/ext/b-c.c", "", false);
  CHECK_FALSE(has(b, "-DONLY_A"));
  CHECK_FALSE(has(b, "-DMODULE"));
  CHECK(has(b, "-DKBUILD_BASENAME=\"b_c\""));
  CHECK(has(b, "-DKBUILD_MODNAME=\"my_ext\""));  // the composite names the module
}

TEST_CASE("compile args: compile_commands.json wins, with only preprocessor flags kept") {
  TempTree t;
  make_fake_tree(t);
  const std::string S = fs::canonical(t.root).string();
  t.write(
      "compile_commands.json",
      "[\n {\"directory\": \"" + S + "\", \"file\": \"" + S +
          "/fs/open.c\",\n"
          "  \"command\": \"gcc -Wp,-MMD -nostdinc -I./arch/x86/include -I ./include -include "
          "./include/linux/kconfig.h -D__KERNEL__ -DKBUILD_MODNAME='\\\"open\\\"' -fconserve-stack "
          "-mindirect-branch=thunk-extern -c -o fs/open.o fs/open.c\"}\n]\n");
  KernelTree kt = fake(t);
  CHECK(kt.compile_commands == S + "/compile_commands.json");
  auto args = compile_args(kt, "fs/open.c", "", false);
  CHECK(has(args, "-I" + S + "/arch/x86/include"));
  CHECK(has(args, "-I" + S + "/include"));
  CHECK(has(args, S + "/include/linux/kconfig.h"));
  CHECK(has(args, "-DKBUILD_MODNAME=\"open\""));
  CHECK_FALSE(has(args, "-fconserve-stack"));
  CHECK_FALSE(has(args, "fs/open.c"));
  CHECK_FALSE(has(args, "-c"));
}

TEST_CASE("symbols: System.map with clones and init text, .ko symbol tables") {
  TempTree t;
  make_fake_tree(t);
  t.write("System.map",
          "ffffffff81000000 T _stext\n"
          "ffffffff81000010 t helper.isra.0\n"
          "ffffffff81000020 T vfs_read\n"
          "ffffffff81000030 t split.part.0\n"
          "ffffffff81000040 t cold_one.cold\n"
          "ffffffff81000050 D some_data\n"
          "ffffffff82000000 T _sinittext\n"
          "ffffffff82000010 t setup_thing\n"
          "ffffffff82000100 T _einittext\n");
  // A module: a real ELF object file built by the system compiler, named like a module.
  t.write("src/m.c",
          "__attribute__((noinline)) static int helper(int x) { return x * 3; }\n"
          "int visible(int x) { return helper(x) + 1; }\n"
          "__attribute__((section(\".init.text\"))) int m_init(void) { return visible(2); }\n");
  std::string cc = "cc -O2 -c -o '" + t.path("fs/ext/my-ext.ko") + "' '" + t.path("src/m.c") + "'";
  REQUIRE(std::system(cc.c_str()) == 0);
  // A compressed module (Debian ships .ko.xz) is read by libdwfl itself, no command run.
  std::string xz =
      "xz -c '" + t.path("fs/ext/my-ext.ko") + "' > '" + t.path("fs/ext/packed.ko.xz") + "'";
  REQUIRE(std::system(xz.c_str()) == 0);
  KernelTree kt = fake(t);
  auto syms = load_symbols(kt, "");
  CHECK(syms->knows(""));
  CHECK(syms->has_function("", "vfs_read"));
  CHECK(syms->has_function("", "helper"));
  // Only a partial clone: gcc inlined the entry, the clone has no .call/.return of the function.
  CHECK_FALSE(syms->has_function("", "split"));
  CHECK(syms->part_clone("", "split") == "split.part.0");
  CHECK(syms->part_clone("", "vfs_read").empty());
  CHECK(syms->has_function("", "cold_one"));
  CHECK_FALSE(syms->has_function("", "some_data"));
  CHECK_FALSE(syms->has_function("", "inlined_away"));
  CHECK(syms->section("", "setup_thing") == ".init.text");
  CHECK(syms->section("", "vfs_read") == ".text");
  CHECK(syms->knows("my_ext"));
  CHECK(syms->knows("my-ext"));
  CHECK(syms->has_function("my_ext", "visible"));
  CHECK(syms->has_function("my_ext", "helper"));
  CHECK(syms->section("my_ext", "m_init") == ".init.text");
  CHECK(syms->has_function("packed", "visible"));
  CHECK(syms->section("packed", "m_init") == ".init.text");
  CHECK_FALSE(syms->knows("other"));

  TempTree empty;
  make_fake_tree(empty);
  auto none = load_symbols(fake(empty), "");
  CHECK_FALSE(none->knows(""));
  CHECK_FALSE(none->has_function("", "vfs_read"));
}

TEST_CASE("stap refusals: SystemTap 4.8's blocklist and sections") {
  CHECK(stap_refusal("vfs_read", ".text").empty());
  CHECK(stap_refusal("vfs_read", "").empty());
  CHECK_FALSE(stap_refusal("start_kernel", ".init.text").empty());
  CHECK_FALSE(stap_refusal("cleanup", ".exit.text").empty());
  CHECK_FALSE(stap_refusal("_raw_spin_lock", ".text").empty());
  CHECK_FALSE(stap_refusal("lapic_timer_set_periodic", ".text").empty());
  CHECK_FALSE(stap_refusal("ata_bmdma_port_intr", "").empty());
  CHECK_FALSE(stap_refusal("atomic_notifier_call_chain", "").empty());
  CHECK(
      stap_refusal("notifier_call_chain_robust", "").empty());  // anchored, like regexec on ^(...)$
  CHECK_FALSE(stap_refusal("seq_read", ".text", "fs/seq_file.c").empty());
  CHECK(stap_refusal("seq_read", ".text", "fs/read_write.c").empty());
  CHECK(stap_refuses_return("do_exit"));
  CHECK_FALSE(stap_refuses_return("do_exit_thing"));
  CHECK(stap_refusal("do_exit", ".text").empty());
}

// ---- The real tree: linux-source-6.1 with Debian's configuration.

namespace {
std::string real_tree() {
  const char* env = std::getenv("SA_KSRC");
  std::string p = env && *env ? env
                              : std::string(std::getenv("HOME") ? std::getenv("HOME") : "/root") +
                                    "/.cache/stap-assistant/src/linux-source-6.1";
  std::error_code ec;
  if (!fs::exists(p + "/.sa-version", ec)) return {};
  return p;
}
}  // namespace

TEST_CASE("real tree: linux-source-6.1 with Debian's config") {
  std::string src = real_tree();
  if (src.empty()) {
    MESSAGE("skipped: linux-source-6.1 is not extracted (tools/stap-sandbox/stap-testbed prepare)");
    return;
  }
  sa::Diag err;
  auto kt = find_kernel_tree(src + "/fs/ext4/inode.c", "", "", &err);
  REQUIRE(kt);
  if (kt->config.empty()) {
    MESSAGE("skipped: no linux-headers-*-amd64 matching the tree");
    return;
  }
  CHECK(kt->obj.find("/usr/src/linux-headers-") == 0);

  BuildInfo ext4 = build_info(*kt, "fs/ext4/inode.c");
  CHECK(ext4.kind == BuildInfo::Kind::module);
  CHECK(ext4.module == "ext4");
  CHECK(build_info(*kt, "fs/open.c").kind == BuildInfo::Kind::builtin);
  CHECK(build_info(*kt, "mm/filemap.c").kind == BuildInfo::Kind::builtin);
  CHECK(build_info(*kt, "arch/x86/kernel/process_64.c").kind == BuildInfo::Kind::builtin);
  CHECK(build_info(*kt, "lib/string.c").kind == BuildInfo::Kind::builtin);
  BuildInfo idle = build_info(*kt, "kernel/sched/idle.c");
  CHECK(idle.kind == BuildInfo::Kind::builtin);
  CHECK(idle.includer == "kernel/sched/build_policy.c");
  BuildInfo xfs = build_info(*kt, "fs/xfs/libxfs/xfs_alloc.c");
  CHECK(xfs.kind == BuildInfo::Kind::module);
  CHECK(xfs.module == "xfs");
  BuildInfo dc = build_info(*kt, "drivers/gpu/drm/amd/display/dc/core/dc.c");
  CHECK(dc.kind == BuildInfo::Kind::module);
  CHECK(dc.module == "amdgpu");
  CHECK(dc.dwarf_path == "drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c");
  CHECK(
      relative_to_tree(*kt, src + "/drivers/gpu/drm/amd/display/dc/core/dc.c", &err).value_or("") ==
      dc.dwarf_path);
  BuildInfo kvm = build_info(*kt, "virt/kvm/kvm_main.c");  // named from arch/x86/kvm via an include
  CHECK(kvm.module == "kvm");
  CHECK(kvm.dwarf_path == "arch/x86/kvm/../../../virt/kvm/kvm_main.c");
  BuildInfo pp = build_info(*kt, "drivers/gpu/drm/amd/pm/powerplay/amd_powerplay.c");
  CHECK(pp.module == "amdgpu");  // pm/powerplay's own Makefile names it in POWER_MGR-y only
  CHECK(build_info(*kt, "fs/proc/nommu.c").kind == BuildInfo::Kind::not_built);  // `:=` replaced it
  CHECK(build_info(*kt, "init/do_mounts_rd.c").kind ==
        BuildInfo::Kind::not_built);  // mounts-m, built in
  CHECK(build_info(*kt, "net/ipv4/tcp.c").kind == BuildInfo::Kind::builtin);
  CHECK(build_info(*kt, "drivers/net/netconsole.c").module == "netconsole");
  BuildInfo x32 = build_info(*kt, "arch/x86/kernel/tls.c");
  CHECK(x32.kind == BuildInfo::Kind::builtin);
  BuildInfo sparc = build_info(*kt, "arch/sparc/kernel/process_64.c");
  CHECK(sparc.kind == BuildInfo::Kind::not_built);

  auto args = compile_args(*kt, "fs/ext4/inode.c", ext4.module, true);
  CHECK(has(args, "-DKBUILD_MODNAME=\"ext4\""));
  CHECK(has(args, "-I" + kt->obj + "/include/generated/uapi"));
  auto xargs = compile_args(*kt, "fs/xfs/libxfs/xfs_alloc.c", "xfs", true);
  CHECK(has(xargs, "-I" + kt->src + "/fs/xfs/libxfs"));  // ccflags-y += -I $(srctree)/$(src)/libxfs
}
