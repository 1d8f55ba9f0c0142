# SPDX-License-Identifier: GPL-2.0-or-later
# With -r, the DWARF line table decides a statement probe, per kind of copy (Debian's 6.1 vmlinux):
# - a line whose code gcc put only in a partial clone (eventfd_ctx_fileget.part.0.isra.0 holds the
#   rest of eventfd_ctx_fileget's body) is not in the function's own copy, so FUNC@FILE:LINE does not
#   elaborate: the probe names every function holding the line (*@FILE:LINE), with a note;
# - a line of the function's own copy keeps its name.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_tree.sh"
env_text=$(XDG_CACHE_HOME="$SA_USER_XDG_CACHE_HOME" "$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed" env 2>/dev/null) ||
  { echo "SKIP: the test bed is not prepared (stap-testbed prepare)" >&2; exit 77; }
eval "$env_text"
cd "$K"

# 407 is blank; 408 (ctx = file->private_data) has records only in the partial clone.
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --dry-run --line fs/eventfd.c:407
expect_same "$T/out" 'probe kernel.statement("*@fs/eventfd.c:408") { trace_line() }
'
expect_same "$T/err" 'stap-addprobe: note: line 407 has no code; probing line 408, the next line with code in eventfd_ctx_fileget
stap-addprobe: note: line 408 has code only outside the out-of-line copy of eventfd_ctx_fileget in vmlinux (in a partial clone or inlined copies): the statement probe names every function holding the line (*@fs/eventfd.c)
'
# 405 (the f_op test) is in the function's own copy.
expect_exit 0 "$STAP_ADDPROBE" -r "$SA_STAP_R" --dry-run --line fs/eventfd.c:405
expect_same "$T/out" 'probe kernel.statement("eventfd_ctx_fileget@fs/eventfd.c:405") { trace_line() }
'
