# SPDX-License-Identifier: GPL-2.0-or-later
# `stap-logd --json | head -n1`: the reader going away ends stap-logd like SIGTERM (exit 0, with its
# summary), never death by SIGPIPE (exit 141, no summary, as before).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
: >"$T/logd.err"
( "$STAP_LOGD" -p 0 -d "$T/s" --json 2>"$T/logd.err"; echo $? >"$T/rc" ) | head -n1 >"$T/first" &
wait_for "listening on" "$T/logd.err"
LOGD_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\),.*/\1/p' "$T/logd.err")
$UDP "$LOGD_PORT" "SA1 0 0 1/1 ===CLEAR===" "SA1 0 1 1/1 one"
for i in $(seq 100); do [ -s "$T/first" ] && break; sleep 0.05; done
for i in $(seq 100); do
  [ -s "$T/rc" ] && break
  $UDP "$LOGD_PORT" "SA1 0 $((i + 1)) 1/1 more"
  sleep 0.05
done
[ -s "$T/rc" ] || fail "stap-logd did not stop when its reader went away"
[ "$(cat "$T/rc")" = 0 ] || { cat "$T/logd.err"; fail "exit $(cat "$T/rc"), not 0"; }
expect_grep '"text":"-- stap-logd: session from 127.0.0.1 started by ===CLEAR==="' "$T/first"
expect_grep "note: follow output closed by its reader (Broken pipe): stopping" "$T/logd.err"
expect_grep "note: received [0-9]* datagrams, wrote [0-9]* lines" "$T/logd.err"
grep -q "^one$" "$T/s/current" || fail "the session file lacks the line"
