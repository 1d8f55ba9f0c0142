# SPDX-License-Identifier: GPL-2.0-or-later
# With -r, the DWARF line table decides a statement probe, as stap -p2 reads it (Debian's 6.1 vmlinux):
# a line whose records are all inside a partial clone (eventfd_ctx_fileget.part.0.isra.0 holds the
# rest of eventfd_ctx_fileget's body) is one stap never probes, not even as *@FILE:LINE ("no line
# records ... try :406 or :411"): the pick moves on to the next line of the function that stap can
# probe, with a note; a line of the function's own copy is probed as picked.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
testbed_env
cd "$K"

# 407 is blank; 408-410 have records only in the partial clone; 411 (return ctx;) is in the function.
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --dry-run --line fs/eventfd.c:407
expect_same "$T/out" 'probe kernel.statement("eventfd_ctx_fileget@fs/eventfd.c:411") { trace_line() }
'
expect_same "$T/err" 'stap-addprobe: note: line 407 (and 408) has no line record in the DWARF of vmlinux that stap can probe (its code was optimized away or merged into another line, is in a partial clone, or is vmlinux'"'"'s init code); probing line 411, the next line of eventfd_ctx_fileget that has one
'
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --dry-run --line fs/eventfd.c:409
expect_grep 'eventfd_ctx_fileget@fs/eventfd.c:411' "$T/out"
# 405 (the f_op test) is in the function's own copy.
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --dry-run --line fs/eventfd.c:405
expect_same "$T/out" 'probe kernel.statement("eventfd_ctx_fileget@fs/eventfd.c:405") { trace_line() }
'
