# SPDX-License-Identifier: GPL-2.0-or-later
# Command-line and input errors and their exit codes.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
expect_exit 64 "$STAP_ADDPROBE"
expect_same "$T/err" "stap-addprobe: error: no location given
stap-addprobe: note: try 'stap-addprobe --help'
"
expect_exit 64 "$STAP_ADDPROBE" --dry-run 'fs/open.c:12x'
expect_grep 'error: not a location: fs/open.c:12x' "$T/err"
expect_exit 64 "$STAP_ADDPROBE" --list fs/open.c:1
# The file of a diagnostic goes before "error:", never after it (missing file, outside the tree,
# not a tree, a bad -r).
ktree=$(cd "$K" && pwd -P)
expect_exit 66 "$STAP_ADDPROBE" --dry-run fs/no-such-file.c:10
expect_same "$T/err" "stap-addprobe: fs/no-such-file.c: error: no such file in the kernel tree $ktree
"
expect_exit 66 "$STAP_ADDPROBE" --dry-run /nonexistent/x.c:3
echo 'int f(void) { return 0; }' >"$T/outside.c"
expect_exit 65 "$STAP_ADDPROBE" -C "$K" --dry-run "$T/outside.c:1"
expect_same "$T/err" "stap-addprobe: $T/outside.c: error: not inside the kernel tree $ktree
"
expect_exit 66 "$STAP_ADDPROBE" -C "$T" --dry-run fs/open.c:1
expect_same "$T/err" "stap-addprobe: $T: error: not a kernel source tree (no Makefile, Kbuild and arch/ there)
"
mkdir "$T/build"
expect_exit 66 "$STAP_ADDPROBE" -r "$T/build" --dry-run fs/open.c:vfs_open
expect_grep "^stap-addprobe: $T/build: error: no vmlinux here: -r takes" "$T/err"
expect_exit 65 "$STAP_ADDPROBE" --dry-run fs/open.c:no_such_function
expect_same "$T/err" 'stap-addprobe: fs/open.c: error: no definition of no_such_function in this file
'
# Errors do not stop the other locations; the exit code is the first error's.
expect_exit 65 "$STAP_ADDPROBE" --dry-run fs/open.c:1 fs/open.c:vfs_open
expect_grep 'vfs_open@fs/open.c").call' "$T/out"
