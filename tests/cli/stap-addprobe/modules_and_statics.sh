# SPDX-License-Identifier: GPL-2.0-or-later
# Static functions that share a name resolve per file and per module; a .c included by another .c
# (kernel/sched/idle.c through build_policy.c) resolves; @FILE is spelled as DWARF spells it
# (amdgpu/../display/...); a file this configuration does not build is an error that says why;
# FUNCTION alone finds its file, and a name defined in several files is an error listing them.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
expect_exit 0 "$STAP_ADDPROBE" --dry-run fs/jfs/super.c:init_once fs/sysv/inode.c:init_once \
  kernel/sched/idle.c:cpu_idle_poll_ctrl drivers/gpu/drm/amd/display/dc/core/dc.c:dc_create
expect_same "$T/out" 'probe module("jfs").function("init_once@fs/jfs/super.c").call { trace_call() }
probe module("jfs").function("init_once@fs/jfs/super.c").return { trace_return() }
probe module("sysv").function("init_once@fs/sysv/inode.c").call { trace_call() }
probe module("sysv").function("init_once@fs/sysv/inode.c").return { trace_return() }
probe kernel.function("cpu_idle_poll_ctrl@kernel/sched/idle.c").call { trace_call() }
probe kernel.function("cpu_idle_poll_ctrl@kernel/sched/idle.c").return { trace_return() }
probe module("amdgpu").function("dc_create@drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c").call { trace_call() }
probe module("amdgpu").function("dc_create@drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c").return { trace_return() }
'
expect_exit 0 "$STAP_ADDPROBE" --dry-run --line kernel/sched/idle.c:27
expect_same "$T/out" 'probe kernel.statement("cpu_idle_poll_ctrl@kernel/sched/idle.c:27") { trace_line() }
'

expect_exit 65 "$STAP_ADDPROBE" --dry-run arch/x86/kernel/apic/x2apic_uv_x.c:100
expect_grep '^stap-addprobe: arch/x86/kernel/apic/x2apic_uv_x.c:100: error: this file is not built in this kernel configuration$' "$T/err"
expect_grep '^stap-addprobe: note: CONFIG_X86_UV is not set' "$T/err"
[ ! -s "$T/out" ] || fail "a probe was printed for a file that is not built"

expect_exit 0 "$STAP_ADDPROBE" --dry-run vfs_open
expect_same "$T/out" 'probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
'
expect_exit 65 "$STAP_ADDPROBE" --dry-run jfs_statfs_ambiguous_name_that_does_not_exist
expect_grep 'error: no definition of jfs_statfs_ambiguous_name_that_does_not_exist' "$T/err"
