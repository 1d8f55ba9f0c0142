# SPDX-License-Identifier: GPL-2.0-or-later
# stap-sandbox --line LOC makes a statement probe of LOC only: the LOCATIONs around it stay function
# probes (before, every pick after one --line became a line probe in stap-addprobe). --script-only
# stops after writing tracer.stp, so no compile and no guest.
source "$SA_TEST_LIB"
sandbox="$SA_SOURCE_DIR/tools/stap-sandbox/stap-sandbox"
export SA_CACHE=${SA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant}  # the shared test bed
eval "$("$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed" env)"
if [ ! -e "$SA_KSRC/.sa-version" ] || [ ! -e "$SA_VMLINUX" ] || [ ! -d "$SA_STAP_R" ]; then
  echo "SKIP: the test bed is not prepared (stap-testbed prepare)" >&2
  exit 77
fi
export XDG_CACHE_HOME="$T/cache"  # a private extents cache
expect_exit 0 "$sandbox" --no-build --script-only --workdir "$T/w" fs/open.c:vfs_open --line fs/open.c:1351 \
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
