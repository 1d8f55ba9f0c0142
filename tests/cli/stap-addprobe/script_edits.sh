# SPDX-License-Identifier: GPL-2.0-or-later
# --list, --remove (by location and by literal point), stdin locations ("-"), custom probe bodies, and
# a script without the end-of-preamble marker (65, untouched).
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
s="$T/t.stp"

printf 'fs/open.c:vfs_open\n\n# a comment\nfs/open.c:1351\n' |
  "$STAP_ADDPROBE" -o "$s" --call-code 'printf("in\n")' --return-code 'printf("out\n")' - >"$T/out"
n=$("$STAP_PREAMBLE" | wc -l)
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --list
expect_same "$T/out" "$((n + 1)): probe kernel.function(\"vfs_open@fs/open.c\").call { printf(\"in\\n\") }
$((n + 2)): probe kernel.function(\"vfs_open@fs/open.c\").return { printf(\"out\\n\") }
$((n + 3)): probe kernel.function(\"__x64_sys_openat@fs/open.c\").call { printf(\"in\\n\") }
$((n + 4)): probe kernel.function(\"__x64_sys_openat@fs/open.c\").return { printf(\"out\\n\") }
"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --remove fs/open.c:1351
expect_grep '__x64_sys_openat@fs/open.c").call' "$T/out"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --remove 'kernel.function("vfs_open@fs/open.c").return'
expect_exit 0 "$STAP_ADDPROBE" -o "$s" --list --json
expect_same "$T/out" "{\"format\":1,\"line\":$((n + 1)),\"point\":\"kernel.function(\\\"vfs_open@fs/open.c\\\").call\",\"body\":\"printf(\\\"in\\\\n\\\")\"}
"
# shellcheck disable=SC2028  # the \n is stap's, inside its printf
{ "$STAP_PREAMBLE"; echo 'probe kernel.function("vfs_open@fs/open.c").call { printf("in\n") }'; } >want.stp
cmp want.stp "$s" || { diff want.stp "$s"; fail "the script after --remove is not as expected"; }

echo 'probe begin { }' >"$T/nomarker.stp"
expect_exit 65 "$STAP_ADDPROBE" -o "$T/nomarker.stp" fs/open.c:vfs_open
expect_grep 'error: no end-of-preamble marker in this script' "$T/err"
expect_same "$T/nomarker.stp" 'probe begin { }
'
