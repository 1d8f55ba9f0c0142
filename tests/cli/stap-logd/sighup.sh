# SPDX-License-Identifier: GPL-2.0-or-later
# SIGHUP reopens session files: after logrotate moved one, new lines go to a new file of that name.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
$UDP "$LOGD_PORT" "===CLEAR===" "before rotate"
wait_for "before rotate" "$T/s/current"
name=$(readlink "$T/s/current")
mv "$T/s/$name" "$T/s/$name.1"
kill -HUP "$LOGD_PID"
wait_for "SIGHUP: session files reopened" "$T/logd.err"
$UDP "$LOGD_PORT" "after rotate"
wait_for "after rotate" "$T/s/$name"
expect_no_grep "after rotate" "$T/s/$name.1"
expect_grep "before rotate" "$T/s/$name.1"
kill -0 "$LOGD_PID" || fail "stap-logd died on SIGHUP"
stop_logd
