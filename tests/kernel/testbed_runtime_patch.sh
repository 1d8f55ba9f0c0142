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
