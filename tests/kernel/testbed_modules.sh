# SPDX-License-Identifier: GPL-2.0-or-later
# Module probes against the test bed without a guest: stap-testbed stap takes the DWARF of the modules
# a script names out of the -dbg package (cached), so `stap -p2` resolves module("ext4") probes with
# '-' or '_' in the name; an unknown or built-in module is an error naming it; stap-addprobe --check
# with `stap-testbed stap` accepts an ext4 pick and gives stap -p2's verdict.
source "$SA_TEST_LIB"
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env

expect_exit 0 testbed modules ext4
expect_same out "$SA_MODULE_DWARF/kernel/fs/ext4/ext4.ko
"
readelf -S "$SA_MODULE_DWARF/kernel/fs/ext4/ext4.ko" | grep -q '\.debug_info' || fail "ext4.ko has no DWARF"

expect_exit 0 sa_p2 -u -e 'probe module("ext4").function("ext4_lookup") { printf("%s\n", $$parms) }
probe module("ext4").function("ext4_lookup").return { printf("%s\n", $$return) }'
expect_grep '^module("ext4").function("ext4_lookup@fs/ext4/namei.c:[0-9]*")' out
expect_grep '^module("ext4").function("ext4_lookup@fs/ext4/namei.c:[0-9]*").return' out
# The source line stap names is ext4_lookup's definition in the test bed's source tree.
line=$(sed -n 's/^module("ext4").function("ext4_lookup@fs\/ext4\/namei.c:\([0-9]*\)").*/\1/p' out | head -n1)
sed -n "${line}p" "$SA_KSRC/fs/ext4/namei.c" | grep -q 'ext4_lookup' || fail "line $line does not define ext4_lookup"

# An unknown module, a built-in one, and a glob that names too many are errors that name them.
expect_exit 65 sa_p2 -e 'probe module("sa_no_such_module").function("f") { next }'
expect_same err 'stap-testbed: error: module("sa_no_such_module"): no module sa_no_such_module in the kernel '"$SA_KVER"' (its modules.dep has none of that name)
'
builtin=$(sed -n 's|.*/\([^/]*\)\.ko$|\1|p' "$SA_GUEST_MODULES/modules.builtin" | head -n1)
expect_exit 65 sa_p2 -e "probe module(\"$builtin\").function(\"f\") { next }"
expect_grep "is built into the kernel $SA_KVER (modules.builtin), not a module" err
expect_exit 65 sa_p2 -e 'probe module("*").function("f") { next }'
expect_grep 'module("\*") names [0-9]* modules; the test bed takes the DWARF of at most 32' err
expect_exit 65 testbed guest --kmod sa_no_such_module --run true
expect_grep 'no module sa_no_such_module in the kernel' err

# --check: stap -p2 through the test bed, on a pick in ext4.
expect_exit 0 "$STAP_ADDPROBE" --check -C "$SA_KSRC" -r "$SA_STAP_R" --stap "$SA_TESTBED_TOOL stap" \
  -o check.stp fs/ext4/namei.c:ext4_lookup
expect_grep '^probe module("ext4").function("ext4_lookup@fs/ext4/namei.c").call { trace_call() }$' check.stp
expect_grep '^probe module("ext4").function("ext4_lookup@fs/ext4/namei.c").return { trace_return() }$' check.stp
# A line of ext4_lookup (found by its text): a statement probe in the module, accepted by --check.
l=$(awk '/^static struct dentry \*ext4_lookup\(/ { inside = 1 } inside && /= ext4_lookup_entry\(/ { print NR; exit }' \
  "$SA_KSRC/fs/ext4/namei.c")
[ -n "$l" ] || fail "no ext4_lookup_entry call in ext4_lookup"
expect_exit 0 "$STAP_ADDPROBE" --check -C "$SA_KSRC" -r "$SA_STAP_R" --stap "$SA_TESTBED_TOOL stap" \
  -o check.stp --line "fs/ext4/namei.c:$l"
expect_grep '^probe module("ext4").statement("ext4_lookup@fs/ext4/namei.c:[0-9]*") { trace_line() }$' check.stp
# --check's verdict is stap -p2's on the script it wrote, and stap -p2 refuses what ext4 does not have.
expect_exit 0 sa_p2 -g -u check.stp
expect_grep '^module("ext4").statement("ext4_lookup@fs/ext4/namei.c:[0-9]*")' out
expect_exit 1 sa_p2 -u -e 'probe module("ext4").function("sa_no_such_function") { }'
expect_grep 'semantic error: no match' err

# --check on a line of a header's inline function that has no line record: stap's verdict, then what
# to do instead (the line has no code of its own; the function's inlined copies).
l=$(awk '/^static inline loff_t i_size_read\(/ { inside = 1 } inside && /^\treturn inode->i_size;$/ { print NR; exit }' \
  "$SA_KSRC/include/linux/fs.h")
[ -n "$l" ] || fail "no 'return inode->i_size;' in i_size_read"
expect_exit 1 "$STAP_ADDPROBE" --check -C "$SA_KSRC" -r "$SA_STAP_R" --stap "$SA_TESTBED_TOOL stap" \
  -o inline.stp --line "include/linux/fs.h:$l"
expect_grep "^stap-addprobe: include/linux/fs.h:[0-9]*: error: stap -p2 does not accept the probes for i_size_read$" err
expect_grep "^stap-addprobe: note: line $l has no code of its own: stap finds no line record for it" err
expect_grep '^stap-addprobe: note: i_size_read is inlined [1-9][0-9]* times: probe those copies with kernel.function("i_size_read@include/linux/fs.h").inline, or a line of a caller$' err
