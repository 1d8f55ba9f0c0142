# SPDX-License-Identifier: GPL-2.0-or-later
# --errors: the origin (deepest call that returned the error first) with its location, parameters and
# :: lines, and the chain of callers; grouped by origin with counts; a caller that returns no error
# ends the chain ("handled by").
source "$SA_TEST_LIB"
cp "$SA_SOURCE_DIR/tests/data/session-basic.log" s.log
expect_exit 0 "$STAP_REPORT" --errors s.log
expect_same out "session s.log: 1 error from 1 origin

path_openat@fs/namei.c:3770: 1 error, returned 0xfffffffffffffffe (1x)
  first: ls[100/100] at 1.000030 (line 7)
    nd=0xffffc90000123d00 op=0xffffc90000123e00 flags=65
    :: path_openat@fs/namei.c:3790 file=0xffff888004b2a000 error=-2
  1x path_openat <- do_filp_open <- do_sys_openat2
"
cat >two.log <<'L'
1.000000 cpu0 sh[5/5] -> a@a.c:1 x=1
1.000001 cpu0 sh[5/5]   -> b@b.c:2 y=2
1.000002 cpu0 sh[5/5]     -> c@c.c:3 z=3
1.000003 cpu0 sh[5/5]     <- c return=ERR_PTR(-ENOENT)
1.000004 cpu0 sh[5/5]   <- b return=0xfffffffffffffffe
1.000005 cpu0 sh[5/5] <- a return=0x0
1.000010 cpu0 sh[5/5] -> a@a.c:1 x=2
1.000011 cpu0 sh[5/5]   -> b@b.c:2 y=3
1.000012 cpu0 sh[5/5]     -> c@c.c:3 z=4
1.000013 cpu0 sh[5/5]     <- c return=-2
1.000014 cpu0 sh[5/5]   <- b return=-2
1.000015 cpu0 sh[5/5] <- a return=-2
1.000020 cpu0 sh[5/5] -> b@b.c:2 y=9
1.000021 cpu0 sh[5/5] <- b return=-4095
1.000030 cpu0 sh[5/5] -> b@b.c:2 y=10
1.000031 cpu0 sh[5/5] <- b return=-4096
L
expect_exit 0 "$STAP_REPORT" --errors two.log
expect_same out "session two.log: 3 errors from 2 origins

c@c.c:3: 2 errors, returned -2 (1x), ERR_PTR(-ENOENT) (1x)
  first: sh[5/5] at 1.000002 (line 3)
    z=3
  1x c <- b <- a
  1x c <- b; handled by a

b@b.c:2: 1 error, returned -4095 (1x)
  first: sh[5/5] at 1.000020 (line 13)
    y=9
  1x b
"
