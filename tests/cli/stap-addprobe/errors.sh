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
expect_exit 66 "$STAP_ADDPROBE" --dry-run fs/no-such-file.c:10
expect_grep 'fs/no-such-file.c' "$T/err"
expect_exit 66 "$STAP_ADDPROBE" --dry-run /nonexistent/x.c:3
expect_exit 65 "$STAP_ADDPROBE" --dry-run fs/open.c:no_such_function
expect_same "$T/err" 'stap-addprobe: fs/open.c: error: no definition of no_such_function in this file
'
# Errors do not stop the other locations; the exit code is the first error's.
expect_exit 65 "$STAP_ADDPROBE" --dry-run fs/open.c:1 fs/open.c:vfs_open
expect_grep 'vfs_open@fs/open.c").call' "$T/out"
