# SPDX-License-Identifier: GPL-2.0-or-later
# Session files are 0640 and folders 0750 (were 0644 and 0755), whatever a permissive umask says;
# --mode 0644 shares them read-only (folders 0755); a mode with write bits for others is refused (64).
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
umask 000
start_logd
$UDP "$LOGD_PORT" "===CLEAR===" "one"
wait_for "one" "$T/s/current"
stop_logd
[ "$(stat -c %a "$T/s")" = 750 ] || fail "folder mode $(stat -c %a "$T/s")"
[ "$(stat -c %a "$T/s/$(session_files | head -1)")" = 640 ] || fail "file mode $(stat -c %a "$T/s/$(session_files | head -1)")"

rm -rf "$T/s"
umask 022
start_logd --mode 0644
$UDP "$LOGD_PORT" "===CLEAR===" "two"
wait_for "two" "$T/s/current"
stop_logd
[ "$(stat -c %a "$T/s")" = 755 ] || fail "--mode 0644: folder mode $(stat -c %a "$T/s")"
[ "$(stat -c %a "$T/s/$(session_files | head -1)")" = 644 ] || fail "--mode 0644: file mode"

expect_exit 64 timeout 10 "$STAP_LOGD" -p 0 -d "$T/s" --mode 0666
expect_same "$T/err" "stap-logd: error: bad --mode value '0666': expected an octal mode from 0600 to 0644 (no write or execute bits for group and others)
"
