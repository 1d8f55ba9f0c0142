# SPDX-License-Identifier: GPL-2.0-or-later
# The session folder removed while running: the lines since are counted as not written (not as
# written), SIGHUP says the files could not be reopened (not "reopened"), and the exit code is 74.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR===" "SA1 0 1 1/1 one"
wait_for "^one$" "$T/s/current"
rm -rf "$T/s"
$UDP "$LOGD_PORT" --sa1 5 --first 2
wait_for "was removed while open, and cannot be created again" "$T/logd.err"
kill -HUP "$LOGD_PID"
wait_for "SIGHUP" "$T/logd.err"
expect_grep "warning: SIGHUP: 1 session files could not be reopened" "$T/logd.err"
expect_no_grep "session files reopened" "$T/logd.err"
stop_logd_rc
[ "$LOGD_RC" = 74 ] || { cat "$T/logd.err"; fail "exit $LOGD_RC, not 74"; }
expect_grep "note: received 7 datagrams, wrote 2 lines in 1 sessions, lost 0 lines, 5 lines not written" "$T/logd.err"
