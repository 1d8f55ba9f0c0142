# SPDX-License-Identifier: GPL-2.0-or-later
# -v says which tree, .config, build folder and -r folder were used; -r on a folder without a vmlinux
# is an error (66), not silence.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
expect_exit 0 "$STAP_ADDPROBE" -v --dry-run fs/open.c:vfs_open
expect_grep "^stap-addprobe: note: kernel tree $K\$" "$T/err"
expect_grep '^stap-addprobe: note: configuration /.*\.config$' "$T/err"
expect_grep '^stap-addprobe: note: build folder /' "$T/err"
expect_grep '^stap-addprobe: note: no -r: statement lines are not checked against line records$' "$T/err"
expect_exit 0 "$STAP_ADDPROBE" --dry-run fs/open.c:vfs_open
expect_no_grep 'kernel tree' "$T/err"

mkdir "$T/build"
echo 'CONFIG_X=y' >"$T/build/.config"
expect_exit 66 "$STAP_ADDPROBE" --dry-run -r "$T/build" fs/open.c:vfs_open
expect_same "$T/err" "stap-addprobe: $T/build: error: no vmlinux here: -r takes a kernel build folder (with vmlinux, as stap -r does) or a kernel release
stap-addprobe: note: a linux-headers folder is found without -r
"
[ ! -s "$T/out" ] || fail "a probe was printed with a bad -r"
