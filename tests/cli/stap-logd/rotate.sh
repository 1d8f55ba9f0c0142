# SPDX-License-Identifier: GPL-2.0-or-later
# Sessions rotate on ===CLEAR=== (the module's and the plain one); `current` moves to the new one;
# lines before any clear still land in a session.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
$UDP "$LOGD_PORT" "before any clear"
wait_for "before any clear" "$T/s/current"
first=$(readlink "$T/s/current")
expect_grep "^-- stap-logd: session from 127.0.0.1 started by its first datagram" "$T/s/current"

$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR===" "SA1 0 1 1/1 one" "SA1 0 2 1/2 tw" "SA1 0 2 2/2 o"
wait_for "^two$" "$T/s/current"
second=$(readlink "$T/s/current")
[ "$first" != "$second" ] || fail "current did not move on ===CLEAR==="
[ "$(readlink "$T/s/current-127.0.0.1")" = "$second" ] || fail "current-127.0.0.1 is not the new session"
expect_same "$T/s/$second" "-- stap-logd: session from 127.0.0.1 started by ===CLEAR===
one
two
"
$UDP "$LOGD_PORT" '===CLEAR===\n' "plain"
wait_for "^plain$" "$T/s/current"
third=$(readlink "$T/s/current")
[ "$third" != "$second" ] || fail "current did not move on a plain ===CLEAR==="
stop_logd
[ "$(session_files | wc -l)" = 3 ] || { session_files; fail "expected 3 sessions"; }
# Names sort by start time.
[ "$(session_files | head -1)" = "$first" ] && [ "$(session_files | tail -1)" = "$third" ] || fail "names do not sort by start time"
expect_grep "before any clear" "$T/s/$first"
expect_grep "received 7 datagrams, wrote 7 lines in 3 sessions, lost 0 lines" "$T/logd.err"
