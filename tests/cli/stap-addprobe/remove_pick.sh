# SPDX-License-Identifier: GPL-2.0-or-later
# --remove PICK takes out everything the pick added, whatever the symbol tables said when it was added
# (with -r, sys_openat adds __se_sys_openat.inline and the stubs' .return; without -r it resolves to
# __x64_sys_openat .call/.return, and --remove took out only one probe); a pick with nothing to remove
# is an error (65), not a silent exit 0.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
testbed_env
cd "$K"
s="$T/t.stp"
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" -o "$s" sys_openat fs/open.c:vfs_open
[ "$(grep -c '_sys_openat@' "$s")" -ge 3 ] || fail "sys_openat added fewer than 3 probes: $(cat "$s")"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --remove sys_openat
[ "$(grep -c '^probe .*_sys_openat@' "$T/out")" -ge 3 ] || fail "removed: $(cat "$T/out")"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --list
expect_same "$T/out" "$(grep -n '^probe kernel.function("vfs_open' "$s" | sed 's/:/: /')
"
expect_exit 65 "$STAP_ADDPROBE" -o "$s" --remove sys_openat
expect_grep "^stap-addprobe: $s: error: no probe of sys_openat to remove$" "$T/err"
expect_exit 65 "$STAP_ADDPROBE" -o "$s" --remove 'kernel.function("nothing@fs/open.c").call'
expect_grep "error: no probe of kernel.function(\"nothing@fs/open.c\").call to remove" "$T/err"
# A line pick removes its statement probe only, not the function's.
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --line fs/open.c:1016
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --remove --line fs/open.c:1016
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --list
[ "$(wc -l <"$T/out")" = 2 ] || fail "after removing the line: $(cat "$T/out")"
