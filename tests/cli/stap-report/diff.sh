# SPDX-License-Identifier: GPL-2.0-or-later
# --diff OLD NEW: per-function changes, and per comm the first differing call or return, both lines
# with their line numbers and call locations; addresses are not differences.
source "$SA_TEST_LIB"
cat >old.log <<'L'
1.000000 cpu0 ls[10/10] -> f@x.c:1 a=1
1.000001 cpu0 ls[10/10]   -> g@x.c:5 b=2
1.000003 cpu0 ls[10/10]   <- g return=0xffff888000001000
1.000004 cpu0 ls[10/10]   -> h@x.c:9
1.000006 cpu0 ls[10/10]   <- h return=0x0
1.000010 cpu0 ls[10/10] <- f return=0x0
L
cat >new.log <<'L'
2.000000 cpu1 ls[20/20] -> f@x.c:1 a=1
2.000001 cpu1 ls[20/20]   -> g@x.c:5 b=2
2.000003 cpu1 ls[20/20]   <- g return=0xffff888000002000
2.000004 cpu1 ls[20/20]   -> h@x.c:9
2.000009 cpu1 ls[20/20]   <- h return=-12
2.000010 cpu1 ls[20/20] <- f return=-12
L
expect_exit 0 "$STAP_REPORT" --diff old.log new.log
expect_same out "old old.log
new new.log
function calls_old calls_new   delta errors_old errors_new   delta   p50_old   p50_new   p99_old   p99_new
f                1         1       0          0          1      +1        10        10        10        10
g                1         1       0          0          0       0         2         2         2         2
h                1         1       0          0          1      +1         2         5         2         5

first difference in the calls and returns of each process name in both:
ls: differs at step 5
  old old.log:5: 1.000006 cpu0 ls[10/10]   <- h return=0x0 (call at @x.c:9)
  new new.log:5: 2.000009 cpu1 ls[20/20]   <- h return=-12 (call at @x.c:9)
"
# shellcheck disable=SC2094  # old.log is read twice, never written
expect_exit 0 "$STAP_REPORT" --diff old.log - <old.log
expect_grep '^ls: same 6 steps$' out
head -3 old.log >short.log
expect_exit 0 "$STAP_REPORT" --diff old.log short.log
expect_grep '^ls: differs at step 4$' out
expect_grep '^  new (no more calls or returns)$' out
expect_exit 64 "$STAP_REPORT" --diff old.log
expect_exit 64 "$STAP_REPORT" --diff old.log new.log old.log
