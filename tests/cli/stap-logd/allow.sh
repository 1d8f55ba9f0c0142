# SPDX-License-Identifier: GPL-2.0-or-later
# --allow restricts who may write; others are counted, with one warning per sender.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/cli/stap-logd/_logd.sh"
expect_exit 64 "$STAP_LOGD" -d "$T/s" --allow 10.0.0.0/40
expect_same err "stap-logd: error: bad --allow value '10.0.0.0/40': prefix length must be 0..32
"
start_logd --allow 127.0.0.2 --allow fd00::/8
$UDP "$LOGD_PORT" --from 127.0.0.1 "intruder 1" "intruder 2"
$UDP "$LOGD_PORT" --from 127.0.0.2 "welcome"
wait_for "welcome" "$T/s/current-127.0.0.2"
stop_logd
[ ! -e "$T/s/current-127.0.0.1" ] || fail "a rejected sender got a session"
! grep -rq intruder "$T/s" || fail "rejected lines were written"
[ "$(grep -c 'warning: ignoring datagrams from 127.0.0.1: not in --allow' "$T/logd.err")" = 1 ] || { cat "$T/logd.err"; fail "expected one warning"; }
expect_grep "rejected 2 datagrams" "$T/logd.err"
