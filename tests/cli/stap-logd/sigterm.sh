# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM loses nothing the kernel accepted: send N lines as fast as possible, stop at once, count N.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
N=20000
start_logd
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR==="
$UDP "$LOGD_PORT" --sa1 $N
stop_logd
got=$(grep -c "^line [0-9]*$" "$T/s/current" || true)
[ "$got" = $N ] || { tail -3 "$T/s/current"; fail "wrote $got of $N lines"; }
expect_no_grep "lost" "$T/s/current"
[ "$(tail -1 "$T/s/current")" = "line $N" ] || fail "last line is not line $N"
expect_grep "received $((N + 1)) datagrams" "$T/logd.err"
