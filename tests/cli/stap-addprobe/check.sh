# SPDX-License-Identifier: GPL-2.0-or-later
# --check elaborates the new probes with stap -p2 against the test bed's kernel (SYSCALL rules: with
# the symbol table, a SYSCALL_DEFINE4 body's entries are its inlined __se_sys_ copies, which have the
# arguments; an inlined static found through the symbol table), and a probe stap rejects is not
# appended (exit 1).
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
testbed_env
command -v stap >/dev/null || { echo "SKIP: no stap" >&2; exit 77; }
cd "$K"
s="$T/t.stp"
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --check -o "$s" fs/open.c:1351 kernel/sys.c:getpid \
  fs/open.c:vfs_open kernel/sched/core.c:3000
expect_same "$T/out" 'probe kernel.function("__se_sys_openat@fs/open.c").inline { trace_call() }
probe kernel.function("__x64_sys_openat@fs/open.c").return { trace_return() }
probe kernel.function("__ia32_sys_openat@fs/open.c").return { trace_return() }
probe kernel.function("__do_sys_getpid@kernel/sys.c").call { trace_call() }
probe kernel.function("__do_sys_getpid@kernel/sys.c").return { trace_return() }
probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
probe kernel.function("restrict_cpus_allowed_ptr@kernel/sched/core.c").inline { trace_call() }
'
expect_grep 'warning: vmlinux has no symbol restrict_cpus_allowed_ptr: gcc inlined it' "$T/err"
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --check -o "$s" --line fs/open.c:1351 --line fs/open.c:1358
# __do_sys_openat exists only inlined into __se_sys_openat: the point names every function holding
# the line. 1358 ('int err;') has a line record in this kernel's DWARF: it stays.
expect_same "$T/out" 'probe kernel.statement("*@fs/open.c:1351") { trace_line() }
probe kernel.statement("__do_sys_openat2@fs/open.c:1358") { trace_line() }
'
# 147 is the closing brace of a SYSCALL_DEFINE2 whose body is a tail call: no line record there; stap
# suggests 146 and --check moves the probe, with a note.
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --check -o "$s" --line fs/open.c:147
expect_same "$T/out" 'probe kernel.statement("*@fs/open.c:146") { trace_line() }
'
expect_grep 'note: stap has no line record for line 147; probing line 146 instead, as it suggests' "$T/err"

# A stap that rejects vfs_open: that location fails with exit 1 and is not appended; the other is.
cat >"$T/fakestap" <<'SH'
#!/bin/sh
for a; do case "$a" in *vfs_open*) echo "semantic error: no match for vfs_open" >&2; exit 1;; esac; done
exit 0
SH
chmod +x "$T/fakestap"
expect_exit 1 "$STAP_ADDPROBE" --stap "$T/fakestap" --check -o "$T/u.stp" fs/open.c:vfs_open fs/open.c:1351
expect_grep 'fs/open.c:1012: error: stap -p2 does not accept the probes for vfs_open' "$T/err"
expect_grep 'note: semantic error: no match for vfs_open' "$T/err"
expect_no_grep 'vfs_open' "$T/u.stp"
expect_grep '__x64_sys_openat' "$T/u.stp"
