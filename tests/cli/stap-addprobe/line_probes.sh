# SPDX-License-Identifier: GPL-2.0-or-later
# Line picks: a code line, a blank/declaration/comment line that snaps forward (with a note), a line
# outside any function (65, naming the nearest function), a line in #if-disabled code (65).
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
s="$T/t.stp"

expect_exit 0 "$STAP_ADDPROBE" -o "$s" --dry-run --line fs/open.c:1351
expect_same "$T/out" 'probe kernel.statement("__do_sys_openat@fs/open.c:1351") { trace_line() }
'
[ ! -e "$s" ] || fail "--dry-run created the script"

# 1021 'int error;' and 1022 'struct file *f;' are declarations, 1023 is blank: all snap to 1024.
for l in 1021 1022 1023; do
  expect_exit 0 "$STAP_ADDPROBE" --dry-run --line fs/open.c:$l
  expect_same "$T/out" 'probe kernel.statement("dentry_open@fs/open.c:1024") { trace_line() }
'
  expect_grep "note: line $l has no code; probing line 1024, the next line with code in dentry_open" "$T/err"
done
# 1026 is a comment line: to 1027.
expect_exit 0 "$STAP_ADDPROBE" --dry-run --line fs/open.c:1026
expect_grep 'dentry_open@fs/open.c:1027' "$T/out"

# Line 1005 is the blank line between file_path and the comment of vfs_open.
expect_exit 65 "$STAP_ADDPROBE" --dry-run --line fs/open.c:1005
expect_same "$T/err" 'stap-addprobe: fs/open.c:1005: error: this line is not inside a function
stap-addprobe: note: the nearest function is file_path (lines 1000-1003)
'
[ ! -s "$T/out" ] || fail "a probe was printed for a line outside functions"

# 218 is inside '#if BITS_PER_LONG == 32', off on x86-64; the function mode refuses it too.
for mode in --line --function; do
  expect_exit 65 "$STAP_ADDPROBE" --dry-run $mode fs/open.c:218
  expect_same "$T/err" 'stap-addprobe: fs/open.c:218: error: this line is in code disabled by #if in this kernel configuration
'
done
