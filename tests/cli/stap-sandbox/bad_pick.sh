# SPDX-License-Identifier: GPL-2.0-or-later
# One bad pick never stops the others: stap-addprobe writes the probes of the picks it resolves, and
# stap-sandbox traces them with a warning that names what it left out. With no pick resolved it stops
# (65). --script-only stops after writing tracer.stp, so no compile and no guest.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_testbed.sh"
expect_exit 0 "$SANDBOX" --no-build --script-only --workdir "$T/w" fs/open.c:vfs_open \
  fs/open.c:sa_no_such_function fs/read_write.c:vfs_read
expect_same "$T/out" "$T/w/tracer.stp
"
expect_grep '^stap-addprobe: fs/open.c: error: no definition of sa_no_such_function in this file$' "$T/err"
expect_grep "^stap-sandbox: warning: picks left out (stap-addprobe's errors above); tracing the others$" "$T/err"
sed -n '/end of preamble/,$p' "$T/w/tracer.stp" | tail -n +2 >probes
expect_grep 'vfs_open@fs/open.c").call' probes
expect_grep 'vfs_read@fs/read_write.c").return' probes
[ "$(grep -c '^probe ' probes)" = 4 ] || fail "expected the 4 probes of vfs_open and vfs_read, got: $(cat probes)"

expect_exit 65 "$SANDBOX" --no-build --script-only --workdir "$T/w2" fs/open.c:sa_no_such_function
expect_grep '^stap-sandbox: error: stap-addprobe added no probe$' "$T/err"
