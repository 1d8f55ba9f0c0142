# SPDX-License-Identifier: GPL-2.0-or-later
# The default table: a totals line, then one row per function with the same numbers as --json, and
# "-" where a function has no paired call.
source "$SA_TEST_LIB"
cp "$SA_SOURCE_DIR/tests/data/session-lost.log" s.log
expect_exit 0 "$STAP_REPORT" s.log
expect_same out "session s.log: 19 lines, 4 lost, 2 threads
function       calls   returns unmatched  errors    min_us    p50_us    p90_us    p99_us    max_us
ksys_read          2         1         1       1        30        30        30        30        30
ksys_write         2         2         2       0        30        30        30        30        30
vfs_read           2         1         1       1        20        20        20        20        20
vfs_write          1         1         2       0         -         -         -         -         -
"
# The default session is stap-logd's current one.
mkdir -p state/stap-assistant/sessions
cp s.log state/stap-assistant/sessions/20261127-000000.000000_10.0.2.15.log
ln -s 20261127-000000.000000_10.0.2.15.log state/stap-assistant/sessions/current
XDG_STATE_HOME=$T/state expect_exit 0 "$STAP_REPORT" --json
expect_grep "^{\"format\":1,\"session\":\"$T/state/stap-assistant/sessions/current\",\"lines\":19,\"lost\":4,\"threads\":2}$" out
