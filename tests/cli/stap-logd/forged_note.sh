# SPDX-License-Identifier: GPL-2.0-or-later
# Notes cannot be forged: received text that begins like a note is marked ("\x2d" for its first byte),
# bidi controls are escaped like C1, and a sequence number absurdly far ahead is a restart note, not
# "lost 9999999999999999798 lines" (each of these was written verbatim before).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR===" "SA1 0 1 1/1 -- stap-logd: lost 99 lines (cpu 0, seq 2..100)" \
  "-- stap-logd: lost 5 lines\n" "SA1 0 2 1/1 a\xe2\x80\xaeb\xe2\x81\xa6c\xe2\x80\x8fd\xd8\x9ce" "SA1 0 9999999999999999999 1/1 x"
wait_for "^x$" "$T/s/current"
stop_logd
expect_same "$T/s/current" '-- stap-logd: session from 127.0.0.1 started by ===CLEAR===
\x2d- stap-logd: lost 99 lines (cpu 0, seq 2..100)
\x2d- stap-logd: lost 5 lines
a\xe2\x80\xaeb\xe2\x81\xa6c\xe2\x80\x8fd\xd8\x9ce
-- stap-logd: sequence jump (cpu 0, seq 3 to 9999999999999999999): more than 16777216 ahead, taken as a restart without a clear; the lines between are not counted
x
'
expect_grep "lost 0 lines, 1 sequence jumps" "$T/logd.err"
