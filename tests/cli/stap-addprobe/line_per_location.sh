# SPDX-License-Identifier: GPL-2.0-or-later
# --line LOCATION makes a statement probe of that location only; the others stay function probes, in
# command-line order (before, one --line switched every location of the run). --line - reads line
# picks from stdin, and the old flag spelling (--line before another option) is a usage error.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
expect_exit 0 "$STAP_ADDPROBE" --dry-run fs/open.c:vfs_open --line fs/open.c:1351 --function fs/read_write.c:vfs_read \
  --line fs/open.c:1352
expect_same "$T/out" 'probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
probe kernel.statement("__do_sys_openat@fs/open.c:1351") { trace_line() }
probe kernel.function("vfs_read@fs/read_write.c").call { trace_call() }
probe kernel.function("vfs_read@fs/read_write.c").return { trace_return() }
probe kernel.statement("__do_sys_openat@fs/open.c:1352") { trace_line() }
'
printf 'fs/open.c:1351\nfs/open.c:1352\n' | "$STAP_ADDPROBE" --dry-run --line - fs/open.c:1351 >"$T/out" 2>"$T/err" ||
  fail "--line - failed: $(cat "$T/err")"
expect_same "$T/out" 'probe kernel.statement("__do_sys_openat@fs/open.c:1351") { trace_line() }
probe kernel.statement("__do_sys_openat@fs/open.c:1352") { trace_line() }
probe kernel.function("__x64_sys_openat@fs/open.c").call { trace_call() }
probe kernel.function("__x64_sys_openat@fs/open.c").return { trace_return() }
'
expect_exit 64 "$STAP_ADDPROBE" --line --dry-run fs/open.c:1351
expect_same "$T/err" "stap-addprobe: error: --line takes a location, not --dry-run
stap-addprobe: note: try 'stap-addprobe --help'
"
