# SPDX-License-Identifier: GPL-2.0-or-later
# -f prints each session line to stdout; --json prints the documented JSON lines; neither lets escape
# sequences or NULs through.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd -f
$UDP "$LOGD_PORT" "SA1 1 0 1/1 ===CLEAR===" "SA1 1 1 1/1 1.000001 cpu1 ls[5/6] -> f@a.c:3 x=1" \
  "SA1 1 3 1/1 evil \x1b]0;title\x07 \x00 end"
wait_for "end" "$T/logd.out"
stop_logd
expect_same "$T/logd.out" "-- stap-logd: session from 127.0.0.1 started by ===CLEAR===
1.000001 cpu1 ls[5/6] -> f@a.c:3 x=1
-- stap-logd: lost 1 line (cpu 1, seq 2..2)
evil \\x1b]0;title\\x07 \\x00 end
"
cmp "$T/logd.out" "$T/s/current" || fail "follow output differs from the session file"

rm -rf "$T/s"
start_logd --json
$UDP "$LOGD_PORT" "SA1 1 0 1/1 ===CLEAR===" "SA1 1 1 1/1 1.000001 cpu1 ls[5/6] -> f@a.c:3 x=1"
wait_for "x=1" "$T/logd.out"
stop_logd
session=$(readlink "$T/s/current")
expect_same "$T/logd.out" "{\"format\":1,\"sender\":\"127.0.0.1\",\"session\":\"$session\",\"kind\":\"note\",\"seq\":null,\"time\":null,\"cpu\":null,\"comm\":null,\"pid\":null,\"tid\":null,\"mark\":null,\"function\":null,\"text\":\"-- stap-logd: session from 127.0.0.1 started by ===CLEAR===\"}
{\"format\":1,\"sender\":\"127.0.0.1\",\"session\":\"$session\",\"kind\":\"trace\",\"seq\":1,\"time\":1.000001,\"cpu\":1,\"comm\":\"ls\",\"pid\":5,\"tid\":6,\"mark\":\"->\",\"function\":\"f\",\"text\":\"1.000001 cpu1 ls[5/6] -> f@a.c:3 x=1\"}
"
