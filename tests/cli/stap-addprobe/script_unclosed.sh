# SPDX-License-Identifier: GPL-2.0-or-later
# A script whose probes end in an unclosed /* comment (or string, or '{', or a probe without a body)
# would swallow every probe appended after it: stap-addprobe refuses, says where, and leaves the script
# as it was (before, the probes went into the comment and stap never saw them).
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
s="$T/t.stp"
expect_exit 0 "$STAP_ADDPROBE" -o "$s" fs/open.c:vfs_open
printf '/* half a note\n' >>"$s"
cp "$s" "$T/before.stp"
n=$(wc -l <"$s")
expect_exit 65 "$STAP_ADDPROBE" -o "$s" fs/read_write.c:vfs_read
expect_same "$T/err" "stap-addprobe: $s:$n: error: this /* comment is never closed, so it would swallow every probe after it
stap-addprobe: note: close it with */ or remove it, then run again
"
cmp -s "$s" "$T/before.stp" || fail "the script changed"
cp "$T/before.stp" "$s"
sed -i '$d' "$s"
printf 'probe kernel.function("x@y.c").call\n' >>"$s"
expect_exit 65 "$STAP_ADDPROBE" -o "$s" fs/read_write.c:vfs_read
expect_same "$T/err" "stap-addprobe: $s:$n: error: this probe has no body, so it would swallow the probe after it
"
