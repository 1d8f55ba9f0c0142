# SPDX-License-Identifier: GPL-2.0-or-later
# A write error while running (here: the file size limit, EFBIG, standing in for a full disk) is
# reported once and counted; lines are kept in memory and written when space returns.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
command -v prlimit >/dev/null || { echo "prlimit (util-linux) not installed"; exit 77; }
# 4 KiB per file; SIGXFSZ ignored (inherited through exec) so that write() fails with EFBIG instead.
start_logd_limited() { ( trap '' XFSZ; ulimit -S -f 4; start_logd; echo "$LOGD_PID $LOGD_PORT" >"$T/ids"; wait ) & }
start_logd_limited
for i in $(seq 100); do [ -s "$T/ids" ] && break; sleep 0.05; done
read -r LOGD_PID LOGD_PORT <"$T/ids"
cleanup_hooks+=("kill $LOGD_PID 2>/dev/null")
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR==="
$UDP "$LOGD_PORT" --sa1 300  # ~3.6 KiB of "line N", more than the 4 KiB limit with the rest
$UDP "$LOGD_PORT" --sa1 300 --first 301
wait_for "warning: cannot write session .*: File too large" "$T/logd.err"
expect_grep "keeping lines in memory and retrying" "$T/logd.err"
size=$(stat -c %s "$T/s/current")
[ "$size" -le 4096 ] || fail "the limit did not apply ($size bytes)"
$UDP "$LOGD_PORT" --sa1 10 --first 601
sleep 0.3
[ "$(grep -c 'warning: cannot write session' "$T/logd.err")" = 1 ] || fail "the write error was reported more than once"
prlimit --pid "$LOGD_PID" --fsize=unlimited
wait_for "note: writing sessions again; 0 lines were dropped while writes failed" "$T/logd.err"
$UDP "$LOGD_PORT" --sa1 1 --first 611
wait_for "^line 611$" "$T/s/current"
kill -TERM "$LOGD_PID"
for i in $(seq 100); do kill -0 "$LOGD_PID" 2>/dev/null || break; sleep 0.05; done
[ "$(grep -c '^line [0-9]*$' "$T/s/current")" = 611 ] || fail "lines were lost across the write error"
expect_no_grep "lost" "$T/s/current"
