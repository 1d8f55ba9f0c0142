# SPDX-License-Identifier: GPL-2.0-or-later
# The README's Makefile example, taken from the README and run with make as written: stap-addprobe
# --diff --replace with -C and -r, then stap-testbed stap -p4 (a real module build). A second patch
# replaces the first one's probes; a patch with a pick that fails leaves tracer.stp as it was (older
# than the patch, so the next make tries again) and make fails.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
testbed_env
command -v stap >/dev/null && command -v make >/dev/null || { echo "SKIP: no stap or make" >&2; exit 77; }
export SA_KSRC SA_STAP_R
# The tools as a user has them on PATH; stap-testbed keeps its cache where the user's is.
mkdir bin
ln -s "$STAP_ADDPROBE" bin/stap-addprobe
printf '#!/bin/sh\nXDG_CACHE_HOME="%s" exec "%s" "$@"\n' "$SA_USER_XDG_CACHE_HOME" \
  "$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed" >bin/stap-testbed
chmod +x bin/stap-testbed
export PATH="$T/bin:$PATH"

# The block after "From a Makefile", without the README's 4-space indent (recipes keep their tab).
awk '/^From a Makefile/ { on = 1; next } on && /^    / { print substr($0, 5); seen = 1; next } seen && !/^    / { exit }' \
  "$SA_SOURCE_DIR/README.md" >Makefile
grep -q -- '--replace' Makefile && grep -q 'stap-testbed stap' Makefile || { cat Makefile; fail "no Makefile example in the README"; }
grep -q "$(printf '^\t')" Makefile || fail "the README's Makefile recipes lost their tab"

probes() { sed -n '/end of preamble/,$p' tracer.stp | tail -n +2; }
cat >a.diff <<'DIFF'
--- a/fs/open.c
+++ b/fs/open.c
@@ -1014,3 +1014,3 @@ int vfs_open(const struct path *path, struct file *file)
 {
-	file->f_path = *path;
+	file->f_path = *path; /* a */
 	return do_dentry_open(file, d_backing_inode(path->dentry), NULL);
DIFF
cp a.diff patch.diff
make PATCH=patch.diff >make.log 2>&1 || { cat make.log; fail "make failed"; }
[ -s tracer.ko ] || fail "make did not build tracer.ko"
expect_same <(probes) 'probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
'
# A new patch: its probes only.
line=$(grep -n -m1 '^ssize_t vfs_read(struct file' "$K/fs/read_write.c" | cut -d: -f1)
cat >patch.diff <<DIFF
--- a/fs/read_write.c
+++ b/fs/read_write.c
@@ -$((line + 2)),1 +$((line + 2)),1 @@
-	ssize_t ret;
+	ssize_t ret; /* b */
DIFF
touch -d '+2 seconds' patch.diff
make PATCH=patch.diff tracer.stp >make.log 2>&1 || { cat make.log; fail "make tracer.stp failed"; }
expect_same <(probes) 'probe kernel.function("vfs_read@fs/read_write.c").call { trace_call() }
probe kernel.function("vfs_read@fs/read_write.c").return { trace_return() }
'
# A patch with one pick that fails (a file this configuration does not build): nothing written.
cp tracer.stp before.stp
{ cat a.diff; printf -- '--- a/arch/arm64/kernel/process.c\n+++ b/arch/arm64/kernel/process.c\n@@ -1,1 +1,1 @@\n-a\n+b\n'; } >patch.diff
touch -d '+4 seconds' patch.diff
if make PATCH=patch.diff tracer.stp >make.log 2>&1; then cat make.log; fail "make succeeded with a failing pick"; fi
expect_grep 'tracer.stp: error: not written (--replace)' make.log
cmp -s tracer.stp before.stp || fail "tracer.stp changed although a pick failed"
[ tracer.stp -ot patch.diff ] || fail "tracer.stp is newer than the patch it does not match"
