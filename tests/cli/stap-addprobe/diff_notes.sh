# SPDX-License-Identifier: GPL-2.0-or-later
# --diff says what it skips (a hunk outside every function, a deleted file, a file that is not C), probes
# the functions of a header (inline ones as .inline, with the warning), and an empty or garbage patch,
# or one with nothing to probe, is an error (65), not a silent exit 0.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
cd "$K"
line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }
la=$(line_of include/linux/list.h 'static __always_inline void __list_add(')
[ -n "$la" ] || fail "no __list_add in include/linux/list.h"
cat >"$T/p.diff" <<DIFF
--- a/include/linux/list.h
+++ b/include/linux/list.h
@@ -5,3 +5,4 @@
 #include <linux/container_of.h>
+#include <linux/extra.h>
 #include <linux/types.h>
 #include <linux/stddef.h>
@@ -$((la + 1)),2 +$((la + 2)),2 @@
-				       struct list_head *prev,
+				       struct list_head *prev, /* changed */
 				       struct list_head *next)
--- a/Makefile
+++ b/Makefile
@@ -1,1 +1,1 @@
-a
+b
--- a/fs/gone.c
+++ /dev/null
@@ -1,1 +0,0 @@
-int gone;
DIFF
expect_exit 0 "$STAP_ADDPROBE" --diff --dry-run <"$T/p.diff"
expect_same "$T/out" 'probe kernel.function("__list_add@include/linux/list.h").inline { trace_call() }
'
expect_same "$T/err" "stap-addprobe: include/linux/list.h:6: note: skipped: this change is outside any function
stap-addprobe: Makefile: note: skipped: not C source
stap-addprobe: fs/gone.c: note: skipped: the patch deletes this file
stap-addprobe: include/linux/list.h:$la: warning: __list_add is declared inline; probing its inlined copies with .inline (there is no .return, and a .call probe would never fire)
"

# Nothing to probe at all: an error, and the script is not created.
head -6 "$T/p.diff" >"$T/outside.diff"
expect_exit 65 "$STAP_ADDPROBE" --diff -o "$T/t.stp" <"$T/outside.diff"
expect_same "$T/err" "stap-addprobe: include/linux/list.h:6: note: skipped: this change is outside any function
stap-addprobe: error: the diff changes no function that can be probed
"
[ ! -e "$T/t.stp" ] || fail "a script was written for a diff with nothing to probe"

expect_exit 65 "$STAP_ADDPROBE" --diff -o "$T/t.stp" </dev/null
expect_same "$T/err" "stap-addprobe: error: no unified diff on standard input (no '+++ FILE' line)
"
printf 'this is not a patch\n\x00\xff\n@@ -1 +99999999999999999999 @@\n' >"$T/garbage"
expect_exit 65 "$STAP_ADDPROBE" --diff -o "$T/t.stp" <"$T/garbage"
expect_same "$T/err" "stap-addprobe: error: no unified diff on standard input (no '+++ FILE' line)
"
[ ! -e "$T/t.stp" ] || fail "a script was written for an empty diff"
