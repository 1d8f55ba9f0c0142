# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for stap-logd's CLI tests (sourced after tests/lib.sh).
UDP="python3 $SA_SOURCE_DIR/tests/cli/stap-logd/_udp.py"

# start_logd ARGS...: runs stap-logd on a free port with sessions in $T/s; sets LOGD_PID and LOGD_PORT.
# Its stdout goes to $T/logd.out, stderr to $T/logd.err.
start_logd() {
  : >"$T/logd.err"  # exists before the child opens it; a previous instance's start note is gone
  "$STAP_LOGD" -p 0 -d "$T/s" "$@" >"$T/logd.out" 2>"$T/logd.err" &
  LOGD_PID=$!
  cleanup_hooks+=("kill $LOGD_PID 2>/dev/null")
  local i
  for i in $(seq 100); do
    LOGD_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\),.*/\1/p' "$T/logd.err" || true)
    [ -n "$LOGD_PORT" ] && return 0
    kill -0 "$LOGD_PID" 2>/dev/null || { cat "$T/logd.err"; fail "stap-logd did not start"; }
    sleep 0.05
  done
  cat "$T/logd.err"; fail "stap-logd did not say where it listens"
}

# stop_logd: SIGTERM, and it must exit 0.
stop_logd() {
  kill -TERM "$LOGD_PID"
  local rc=0
  wait "$LOGD_PID" || rc=$?
  [ "$rc" = 0 ] || { cat "$T/logd.err"; fail "stap-logd exited $rc on SIGTERM"; }
}

# wait_for PATTERN FILE: waits up to 5 s for PATTERN to appear in FILE.
wait_for() {
  local i
  for i in $(seq 100); do
    grep -q -- "$1" "$2" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "--- $2"; cat "$2" 2>/dev/null || true; fail "timed out waiting for '$1' in $2"
}

# session_files: the session files, oldest first.
session_files() { ls "$T/s" | grep -E '^[0-9]{8}-[0-9]{6}\.[0-9]{6}_.*\.log$' | sort; }

# stop_logd_rc: SIGTERM; sets LOGD_RC to its exit code.
stop_logd_rc() {
  kill -TERM "$LOGD_PID"
  LOGD_RC=0
  wait "$LOGD_PID" || LOGD_RC=$?
}

# summary_lines: the N of "wrote N lines" in the exit summary.
summary_lines() { sed -n 's/.*note: received .* wrote \([0-9]*\) lines.*/\1/p' "$T/logd.err"; }

# lines_on_disk: the lines in all session files.
lines_on_disk() { session_files | (cd "$T/s" && xargs cat) | wc -l; }
