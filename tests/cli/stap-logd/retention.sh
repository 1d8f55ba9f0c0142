# SPDX-License-Identifier: GPL-2.0-or-later
# --keep N removes the oldest sessions first; --keep SIZE by bytes; a bad value is a usage error.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
expect_exit 64 "$STAP_LOGD" -d "$T/s" --keep 10X
expect_same err "stap-logd: error: bad --keep value '10X': unknown unit 'X'
"
mkdir -p "$T/s"
echo mine >"$T/s/notes.txt"
start_logd --keep 2
for i in 1 2 3 4 5; do
  $UDP "$LOGD_PORT" "===CLEAR===" "session $i"
  wait_for "session $i" "$T/s/current"
done
stop_logd
[ "$(session_files | wc -l)" = 2 ] || { ls -l "$T/s"; fail "expected 2 sessions kept"; }
expect_grep "session 4" "$T/s/$(session_files | head -1)"
expect_grep "session 5" "$T/s/$(session_files | tail -1)"
[ -f "$T/s/notes.txt" ] || fail "retention removed a file that is not a session"
expect_grep "removed 3 old sessions" "$T/logd.err"

# By bytes: sessions of ~2 KiB each with --keep 5K leave the newest two or three.
rm -rf "$T/s"
start_logd --keep 5K
big=$(printf 'x%.0s' $(seq 2000))
for i in 1 2 3 4 5; do
  $UDP "$LOGD_PORT" "===CLEAR===" "session $i $big"
  wait_for "session $i" "$T/s/current"
done
sleep 1.2  # the once-a-second check
stop_logd
total=$(cat "$T/s"/*.log | wc -c)
[ "$total" -le 5120 ] || { ls -l "$T/s"; fail "$total bytes kept with --keep 5K"; }
expect_grep "session 5" "$T/s/current"
