# SPDX-License-Identifier: GPL-2.0-or-later
# -o SCRIPT writes only a regular file it may write (issue #12): a device node (a private one made
# with mknod here, never the real /dev) was turned into a 24 KB regular file; now it, a FIFO (no hang),
# a hard-linked and a read-only script are refused with exit 73 and left as they were. A symlinked
# script is written through; another user's script keeps its owner, group and mode.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
loc=fs/open.c:vfs_open

if [ "$(id -u)" = 0 ]; then
  mknod "$T/null" c 1 3
  expect_exit 73 "$STAP_ADDPROBE" -o "$T/null" $loc
  expect_same "$T/err" "stap-addprobe: $T/null: error: a character device is not a regular file; refusing to replace it
"
  [ -c "$T/null" ] || fail "-o NODE replaced the device node"
fi

mkfifo "$T/fifo"
expect_exit 73 timeout 20 "$STAP_ADDPROBE" -o "$T/fifo" $loc
expect_grep 'error: a FIFO is not a regular file; refusing to replace it' "$T/err"
[ -p "$T/fifo" ] || fail "the FIFO was replaced"

"$STAP_PREAMBLE" >"$T/base.stp"
mkdir "$T/real" && cp "$T/base.stp" "$T/real/t.stp" && ln -s real/t.stp "$T/t.stp"
expect_exit 0 "$STAP_ADDPROBE" -o "$T/t.stp" $loc
[ -L "$T/t.stp" ] || fail "the symlinked script was replaced by a file"
expect_grep 'vfs_open@fs/open.c' "$T/real/t.stp"

cp "$T/base.stp" "$T/h.stp" && ln "$T/h.stp" "$T/h2.stp"
expect_exit 73 "$STAP_ADDPROBE" -o "$T/h.stp" $loc
expect_grep 'error: file has 2 hard links; refusing to replace it' "$T/err"
cmp "$T/base.stp" "$T/h2.stp" || fail "a hard-linked script changed"

cp "$T/base.stp" "$T/ro.stp" && chmod 0444 "$T/ro.stp"
expect_exit 73 "$STAP_ADDPROBE" -o "$T/ro.stp" $loc
expect_grep 'error: file is not writable (mode 0444); refusing to replace it' "$T/err"
cmp "$T/base.stp" "$T/ro.stp" || fail "a read-only script changed"

if [ "$(id -u)" = 0 ]; then
  cp "$T/base.stp" "$T/theirs.stp" && chown nobody:nogroup "$T/theirs.stp"
  expect_exit 0 "$STAP_ADDPROBE" -o "$T/theirs.stp" $loc
  expect_grep 'vfs_open@fs/open.c' "$T/theirs.stp"
  [ "$(stat -c %U:%G:%a "$T/theirs.stp")" = nobody:nogroup:644 ] ||
    fail "owner/mode became $(stat -c %U:%G:%a "$T/theirs.stp")"
fi
