# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the preamble's kernel tests (sourced after tests/lib.sh).
testbed=$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed

# Prepares the test bed when it is not (cached: a no-op after the first run), like every kernel test.
require_testbed() {
  local rc=0
  "$testbed" env >testbed.env 2>testbed.err || rc=$?
  if [ "$rc" = 66 ]; then
    "$testbed" prepare || fail "stap-testbed prepare failed"
    rc=0
    "$testbed" env >testbed.env 2>testbed.err || rc=$?
  fi
  [ "$rc" = 0 ] || { cat testbed.err >&2; fail "stap-testbed env failed ($rc)"; }
  eval "$(cat testbed.env)"
}

# start_listener PORT NAME: the strict format-v1 listener, results in NAME.{raw,lines,report}.
start_listener() {
  python3 "$SA_SOURCE_DIR/tests/kernel/_sa1_listener.py" "$1" "$2.raw" "$2.lines" "$2.report" \
    ${3:+--forward "$3"} &
  listener_pid=$!
  cleanup_hooks+=("kill $listener_pid 2>/dev/null")
  sleep 0.3
}
stop_listener() {
  kill -TERM "$listener_pid"
  wait "$listener_pid" || fail "the listener failed"
}

# report_field NAME FIELD: one field of the listener's JSON report, as JSON.
report_field() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$1.report" "$2"; }

# The guest's console must be free of kernel complaints (the Debian kernel has no lockdep; the words
# are checked anyway in case a debug kernel is used).
expect_clean_kernel_log() {
  if grep -aE '^\[ *[0-9]+\.[0-9]+\]' "$1" |
     grep -aE 'BUG:|WARNING:|Call Trace|lockdep|possible recursive locking|scheduling while atomic|Oops' >complaints; then
    cat "$1"; echo "--- complaints"; cat complaints; fail "the guest kernel complained (see above)"
  fi
}

# start_logd: the real stap-logd on a free loopback port (logd_port), sessions in $T/sessions.
start_logd() {
  : >logd.err  # exists before the child opens it: the loop below reads it at once
  "$STAP_LOGD" -p 0 --bind 127.0.0.1 -d "$T/sessions" 2>logd.err &
  logd_pid=$!
  cleanup_hooks+=("kill $logd_pid 2>/dev/null")
  local i
  for i in $(seq 50); do
    logd_port=$(sed -n 's/.*listening on .* port \([0-9]*\),.*/\1/p' logd.err)
    [ -z "$logd_port" ] || return 0
    sleep 0.1
  done
  cat logd.err; fail "stap-logd did not start"
}

# logd_session PATTERN: the one session file holding a line that matches PATTERN.
logd_session() {
  local f
  f=$(grep -l -a -- "$1" "$T"/sessions/*.log | head -n1 || true)
  [ -n "$f" ] || { ls -la "$T/sessions"; fail "no stap-logd session has '$1'"; }
  echo "$f"
}
