# SPDX-License-Identifier: GPL-2.0-or-later
# --diff: a unified diff on stdin probes every function it touches (each once), ignores lines outside
# functions and deleted files, and takes paths with a/ b/ prefixes.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
# Touches vfs_open (1014), the openat syscall body (1351, twice), and a blank line between functions (1005).
cat >"$T/p.diff" <<'DIFF'
diff --git a/fs/open.c b/fs/open.c
--- a/fs/open.c
+++ b/fs/open.c
@@ -1004,3 +1004,4 @@ char *file_path(struct file *filp, char *buf, int buflen)
 
+
 /**
 * vfs_open - open the file at the given path
@@ -1013,3 +1014,3 @@ int vfs_open(const struct path *path, struct file *file)
 {
-	file->f_path = *path;
+	file->f_path = *path; /* changed */
 	return do_dentry_open(file, d_backing_inode(path->dentry), NULL);
@@ -1350,3 +1351,4 @@ SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags,
 	if (force_o_largefile())
 		flags |= O_LARGEFILE;
+	flags |= 0;
 	return do_sys_open(dfd, filename, flags, mode);
diff --git a/fs/gone.c b/fs/gone.c
--- a/fs/gone.c
+++ /dev/null
@@ -1,2 +0,0 @@
-int gone;
-int gone2;
DIFF
"$STAP_ADDPROBE" --diff --dry-run <"$T/p.diff" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "--diff failed"; }
expect_same "$T/out" 'probe kernel.function("vfs_open@fs/open.c").call { trace_call() }
probe kernel.function("vfs_open@fs/open.c").return { trace_return() }
probe kernel.function("__x64_sys_openat@fs/open.c").call { trace_call() }
probe kernel.function("__x64_sys_openat@fs/open.c").return { trace_return() }
'
expect_exit 64 "$STAP_ADDPROBE" --diff fs/open.c:1
