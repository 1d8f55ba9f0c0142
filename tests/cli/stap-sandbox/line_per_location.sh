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
expect_same probes 'probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
probe kernel.statement("__do_sys_openat@fs/open.c:1351") { trace_line() }
probe kernel.function("vfs_read@fs/read_write.c").call { trace_call() }
probe kernel.function("vfs_read@fs/read_write.c").return { trace_return() }
'
