# SPDX-License-Identifier: GPL-2.0-or-later
# --keep counts exactly what the man page says (issue #12): N is the number of session files kept, the
# newest first, and a session still open (its sender has not started another) is never removed; so with
# 50 senders and --keep 3, after each sender started a second session, the 50 open ones remain and all
# 50 closed ones are gone. A size that does not fit 64 bits is a usage error (it wrapped to 1 MiB and
# removed 4 of 5 sessions).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
expect_exit 64 timeout 10 "$STAP_LOGD" -p 0 -d "$T/s" --keep 17592186044417M
expect_same "$T/err" "stap-logd: error: bad --keep value '17592186044417M': too large (at most 16 EiB)
"
[ ! -e "$T/s" ] || fail "a refused --keep made the session folder"

start_logd --keep 3
for round in first second; do
  args=()
  for i in $(seq 1 50); do args+=("@127.0.1.$i ===CLEAR===" "@127.0.1.$i $round $i"); done
  $UDP "$LOGD_PORT" "${args[@]}"
  for i in $(seq 1 50); do wait_for "$round $i" "$T/s/current-127.0.1.$i"; done
done
[ "$(session_files | wc -l)" = 50 ] || { ls "$T/s"; fail "expected the 50 open sessions, got $(session_files | wc -l)"; }
# shellcheck disable=SC2046  # session names are words
if grep -l "first" $(session_files | sed "s|^|$T/s/|") >/dev/null; then fail "a closed session was kept"; fi
# One sender starting new sessions: its old ones go, down to 3.
for i in 1 2 3 4; do
  $UDP "$LOGD_PORT" "@127.0.1.7 ===CLEAR===" "@127.0.1.7 third $i"
  wait_for "third $i" "$T/s/current-127.0.1.7"
done
[ "$(session_files | wc -l)" = 50 ] || fail "expected 50 sessions, got $(session_files | wc -l)"
stop_logd
