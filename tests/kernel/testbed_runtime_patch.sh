# SPDX-License-Identifier: GPL-2.0-or-later
# stap-runtime-patch: applies the task_work_cancel_func fix to a runtime copy only when the kernel
# headers declare task_work_cancel_func(), says "not needed" otherwise, and refuses runtime text it
# does not know and the installed runtime itself.
source "$SA_TEST_LIB"
patch=$SA_SOURCE_DIR/tools/stap-sandbox/stap-runtime-patch
[ -f /usr/share/systemtap/runtime/stp_task_work.c ] ||
  { echo "SKIP: systemtap-runtime is not installed (scripts/setup-debian.sh --kernel)"; exit 77; }
grep -q task_work_cancel_func /usr/share/systemtap/runtime/stp_task_work.c &&
  { echo "SKIP: this SystemTap runtime already handles task_work_cancel_func"; exit 77; }

mkdir -p new/include/linux old/include/linux
printf 'struct callback_head *task_work_cancel_func(struct task_struct *, task_work_func_t);\nbool task_work_cancel(struct task_struct *task, struct callback_head *cb);\n' \
  > new/include/linux/task_work.h
printf 'struct callback_head *task_work_cancel(struct task_struct *, task_work_func_t);\n' > old/include/linux/task_work.h

cp -a /usr/share/systemtap/runtime rt
expect_exit 0 "$patch" rt old
expect_grep 'not needed' out
cmp -s rt/stp_task_work.c /usr/share/systemtap/runtime/stp_task_work.c || fail "changed a runtime that needed no patch"

expect_exit 0 "$patch" rt new
expect_grep 'applied' out
expect_grep 'typeof(&task_work_cancel_func) task_work_cancel_fn;' rt/stp_task_work.c
expect_grep 'kallsyms_lookup_name("task_work_cancel_func")' rt/stp_task_work.c
expect_grep 'twork = task_work_cancel_func(task, func);' rt/stp_task_work.c
expect_no_grep 'twork = task_work_cancel(task' rt/stp_task_work.c

# Idempotent: a second run recognises its own work.
expect_exit 0 "$patch" rt new
expect_grep 'not needed (the runtime already knows' out

# Debian's split headers: the flavour folder's Makefile includes the -common folder.
mkdir flavour && echo "include $T/new/Makefile" > flavour/Makefile
cp -a /usr/share/systemtap/runtime rt2
expect_exit 0 "$patch" rt2 flavour
expect_grep 'applied' out

# Unknown runtime text: fail, and leave the file as it was.
cp -a /usr/share/systemtap/runtime rt3
sed -i 's/twork = task_work_cancel(task, func);/twork = something_else(task, func);/' rt3/stp_task_work.c
cp rt3/stp_task_work.c before.c
expect_exit 65 "$patch" rt3 new
expect_grep 'unknown runtime text' err
cmp -s rt3/stp_task_work.c before.c || fail "a failed patch changed the file"

expect_exit 64 "$patch" /usr/share/systemtap/runtime new
expect_grep 'refusing to patch the installed runtime' err

# --tapset: the pretty-printer's string reader spells an unreadable string as its pointer instead of
# throwing; idempotent; unknown text and the installed tapset are refused, the file left as it was.
cp -a /usr/share/systemtap/tapset ts
expect_exit 0 "$patch" --tapset ts
expect_grep '^unreadable strings patch: applied' out
expect_grep '^  return __sa_unreadable_string(addr)$' ts/linux/conversions.stp
[ "$(grep -c 'return __sa_unreadable_string(addr)' ts/linux/conversions.stp)" = 3 ] ||
  fail "not all three string readers were patched"
expect_no_grep 'catch { return string_quoted(user_string' ts/linux/conversions.stp
expect_grep '^  if (addr == 0) return "0x0"$' ts/linux/conversions.stp
expect_exit 0 "$patch" --tapset ts
expect_grep 'not needed (the tapset already has it)' out
# The pretty-printer of a struct with `char *` members binds to the patched reader: with this copy,
# and in stap-testbed's own stap (which must pass its copy as SYSTEMTAP_TAPSET).
source "$SA_SOURCE_DIR/tests/kernel/_lib.sh"
sa_testbed_env
deep='probe kernel.function("bprm_execve") { println($bprm$$) }'
SYSTEMTAP_TAPSET=$T/ts stap -p2 -r "$SA_STAP_R" -e "$deep" >p2.out 2>p2.err ||
  { cat p2.err; fail "stap -p2 failed with the patched tapset"; }
expect_grep '^__sa_unreadable_string:string (addr:long)' p2.out
testbed stap -p2 -e "$deep" >p2.out 2>p2.err || { cat p2.err; fail "stap-testbed stap -p2 failed"; }
expect_grep '^__sa_unreadable_string:string (addr:long)' p2.out

cp -a /usr/share/systemtap/tapset ts2
sed -i 's/catch { return string_quoted(user_string(addr)) }/catch { return "x" }/' ts2/linux/conversions.stp
cp ts2/linux/conversions.stp before.stp
expect_exit 65 "$patch" --tapset ts2
expect_grep 'unknown tapset text' err
cmp -s ts2/linux/conversions.stp before.stp || fail "a failed tapset patch changed the file"

expect_exit 64 "$patch" --tapset /usr/share/systemtap/tapset
expect_grep 'refusing to patch the installed tapset' err
expect_exit 64 "$patch" --tapset
