# SPDX-License-Identifier: GPL-2.0-or-later
# The default session folder is ${XDG_STATE_HOME:-$HOME/.local/state}/stap-assistant/sessions (the
# editor extension looks there too), and SIGINT stops stap-logd like SIGTERM, exit 0, nothing lost.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
run_default() {  # run_default ENV...: stap-logd without -d; sets LOGD_PID and LOGD_PORT
  : >"$T/logd.err"
  env "$@" "$STAP_LOGD" -p 0 --bind 127.0.0.1 2>"$T/logd.err" &
  LOGD_PID=$!
  cleanup_hooks+=("kill $LOGD_PID 2>/dev/null")
  wait_for "listening on" "$T/logd.err"
  LOGD_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\),.*/\1/p' "$T/logd.err")
}

run_default XDG_STATE_HOME="$T/state" HOME="$T/home"
expect_grep "sessions in $T/state/stap-assistant/sessions$" "$T/logd.err"
$UDP "$LOGD_PORT" "===CLEAR===" "to the XDG folder"
wait_for "to the XDG folder" "$T/state/stap-assistant/sessions/current"
kill -INT "$LOGD_PID"
rc=0; wait "$LOGD_PID" || rc=$?
[ "$rc" = 0 ] || fail "SIGINT: exit $rc"

run_default -u XDG_STATE_HOME HOME="$T/home"
expect_grep "sessions in $T/home/.local/state/stap-assistant/sessions$" "$T/logd.err"
$UDP "$LOGD_PORT" "===CLEAR===" --sa1 500
kill -INT "$LOGD_PID"
rc=0; wait "$LOGD_PID" || rc=$?
[ "$rc" = 0 ] || fail "SIGINT: exit $rc"
[ "$(grep -c '^line [0-9]*$' "$T/home/.local/state/stap-assistant/sessions/current" || true)" = 500 ] ||
  fail "SIGINT lost lines"
