# SPDX-License-Identifier: GPL-2.0-or-later
# The location spellings kernel developers already type: stap's FUNCTION@FILE and FUNCTION@FILE:LINE
# (what stap-addprobe prints), perf's FUNCTION:N (N lines after the function's first line) and
# FUNCTION%return. Line numbers are found by their text, not written here.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
f=fs/read_write.c
start=$(grep -n -m1 '^ssize_t vfs_read(struct file' $f | cut -d: -f1)
check=$(awk -v s="$start" 'NR > s && /if \(!\(file->f_mode & FMODE_CAN_READ\)\)/ { print NR; exit }' $f)
[ -n "$start" ] && [ -n "$check" ] || fail "vfs_read not found in $f"

expect_exit 0 "$STAP_ADDPROBE" --dry-run "vfs_read@$f"
expect_same "$T/out" "probe kernel.function(\"vfs_read@$f\").call { trace_call() }
probe kernel.function(\"vfs_read@$f\").return { trace_return() }
"
# What the tool prints for a line probe is a location it reads back.
expect_exit 0 "$STAP_ADDPROBE" --dry-run --line "$f:$check"
point=$(sed -n 's/^probe kernel.statement("\(.*\)") { trace_line() }$/\1/p' "$T/out")
[ "$point" = "vfs_read@$f:$check" ] || fail "unexpected line probe: $(cat "$T/out")"
expect_exit 0 "$STAP_ADDPROBE" --dry-run --line "$point"
expect_same "$T/out" "probe kernel.statement(\"vfs_read@$f:$check\") { trace_line() }
"
# Without --line, FUNCTION@FILE:LINE is the function around the line, like FILE:LINE.
expect_exit 0 "$STAP_ADDPROBE" --dry-run "$point"
expect_grep "vfs_read@$f\").return" "$T/out"
# The line must be in that function.
expect_exit 65 "$STAP_ADDPROBE" --dry-run --line "vfs_write@$f:$check"
expect_same "$T/err" "stap-addprobe: $f:$check: error: this line is in vfs_read, not in vfs_write
"

# perf: vfs_read:N is line start+N.
expect_exit 0 "$STAP_ADDPROBE" --dry-run --line "vfs_read:$((check - start))"
expect_same "$T/out" "probe kernel.statement(\"vfs_read@$f:$check\") { trace_line() }
"
expect_exit 65 "$STAP_ADDPROBE" --dry-run --line "vfs_read:5000"
expect_grep "^stap-addprobe: $f:$((start + 5000)): error: " "$T/err"
# perf: %return is the exits only.
expect_exit 0 "$STAP_ADDPROBE" --dry-run 'vfs_read%return'
expect_same "$T/out" "probe kernel.function(\"vfs_read@$f\").return { trace_return() }
"
expect_exit 0 "$STAP_ADDPROBE" --dry-run "$f:vfs_read%return"
expect_same "$T/out" "probe kernel.function(\"vfs_read@$f\").return { trace_return() }
"
# An inlined function has no exits to probe.
expect_exit 65 "$STAP_ADDPROBE" --dry-run 'include/linux/list.h:list_add%return'
expect_grep "error: list_add is inlined, so it has no return probe" "$T/err"
expect_exit 64 "$STAP_ADDPROBE" --dry-run "$f:$check%return"
expect_grep "error: %return follows a function, not a line: $f:$check" "$T/err"
