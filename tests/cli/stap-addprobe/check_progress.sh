# SPDX-License-Identifier: GPL-2.0-or-later
# --check says what it is doing on stderr (a stap -p2 run takes tens of seconds): one line per step
# when stderr is not a terminal; on a terminal one status line rewritten in place and cleared before
# the diagnostics. A fake stap that rejects vfs_open makes it check each location alone.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
command -v script >/dev/null || fail "script (util-linux) is missing"
cd "$K"
cat >"$T/fakestap" <<'SH'
#!/bin/sh
for a; do case "$a" in *vfs_open*) echo "semantic error: no match for vfs_open" >&2; exit 1;; esac; done
exit 0
SH
chmod +x "$T/fakestap"
expect_exit 1 "$STAP_ADDPROBE" --stap "$T/fakestap" --check --dry-run fs/open.c:vfs_open fs/open.c:1351
expect_same "$T/err" 'stap-addprobe: checking 2 locations with stap -p2
stap-addprobe: [1/2] checking fs/open.c:vfs_open
stap-addprobe: [2/2] checking fs/open.c:__x64_sys_openat
stap-addprobe: fs/open.c:1012: error: stap -p2 does not accept the probes for vfs_open
stap-addprobe: note: semantic error: no match for vfs_open
stap-addprobe: note: __do_sys_openat is made by SYSCALL_DEFINE4; probing __x64_sys_openat
'
# All accepted: the one run only.
expect_exit 0 "$STAP_ADDPROBE" --stap "$T/fakestap" --check --dry-run fs/open.c:1351
expect_grep '^stap-addprobe: checking 1 location with stap -p2$' "$T/err"
expect_no_grep '\[1/1\]' "$T/err"

# On a terminal: the status line is rewritten (\r ... ESC[K) and cleared before the error.
script -qec "TERM=xterm '$STAP_ADDPROBE' --color=never --stap '$T/fakestap' --check --dry-run fs/open.c:vfs_open fs/open.c:1351 >/dev/null" /dev/null >"$T/tty.out" || true
esc=$'\033'
grep -qF "stap-addprobe: [1/2] checking fs/open.c:vfs_open${esc}[K" "$T/tty.out" || { cat -v "$T/tty.out"; fail "no rewritten status line on a terminal"; }
grep -qF "${esc}[K"$'\r'"stap-addprobe: [2/2] checking" "$T/tty.out" || { cat -v "$T/tty.out"; fail "the status line was not rewritten in place"; }
grep -qF $'\r'"${esc}[K"'stap-addprobe: ' "$T/tty.out" || { cat -v "$T/tty.out"; fail "the status line was not cleared before the diagnostics"; }
[ "$(grep -c 'checking fs/open.c:vfs_open$' "$T/tty.out" || true)" = 0 ] || fail "a progress line ended with a newline on a terminal"
