# SPDX-License-Identifier: GPL-2.0-or-later
# stap-sandbox --line LOC makes a statement probe of LOC only: the LOCATIONs around it stay function
# probes (before, every pick after one --line became a line probe in stap-addprobe). --script-only
# stops after writing tracer.stp, so no compile and no guest.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_testbed.sh"
expect_exit 0 "$SANDBOX" --no-build --script-only --workdir "$T/w" fs/open.c:vfs_open --line fs/open.c:1351 \
  fs/read_write.c:vfs_read
expect_same "$T/out" "$T/w/tracer.stp
"
sed -n '/end of preamble/,$p' "$T/w/tracer.stp" | tail -n +2 >probes
# Which function a statement names is the resolver's call (with -r, __do_sys_openat exists only inlined,
# so it is *@); what this test pins is the kind of each probe and their order.
sed 's/^probe kernel\.\(function\|statement\)("[^@]*@\([^"]*\)").*/\1 \2/' probes >kinds
expect_same kinds 'function fs/open.c
function fs/open.c
statement fs/open.c:1351
function fs/read_write.c
function fs/read_write.c
'
expect_grep 'vfs_open@fs/open.c").call' probes
expect_grep 'vfs_read@fs/read_write.c").return' probes
