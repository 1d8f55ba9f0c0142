# SPDX-License-Identifier: GPL-2.0-or-later
# Start-up errors use the shared format and exit codes: port in use 69, unwritable folder 73.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
start_logd --bind 127.0.0.1
expect_exit 69 "$STAP_LOGD" -p "$LOGD_PORT" --bind 127.0.0.1 -d "$T/s2"
expect_grep "^stap-logd: error: cannot listen on UDP 127.0.0.1 port $LOGD_PORT: Address already in use$" err
expect_grep "^stap-logd: note: another stap-logd may be running; choose another port with -p$" err
stop_logd

echo "a file" >"$T/file"
expect_exit 73 "$STAP_LOGD" -p 0 -d "$T/file/sessions"
expect_same err "stap-logd: error: cannot write session folder $T/file/sessions: Not a directory
stap-logd: note: choose another folder with -d DIR
"
expect_exit 64 "$STAP_LOGD" -p 0 -d "$T/s" --bind not-an-address
expect_same err "stap-logd: error: bad --bind address 'not-an-address'
"
expect_exit 64 "$STAP_LOGD" -p 70000
