# SPDX-License-Identifier: GPL-2.0-or-later
# --folded: comm;outer;inner SELF_US, self = latency minus paired callees' latencies.
source "$SA_TEST_LIB"
cp "$SA_SOURCE_DIR/tests/data/session-threads.log" s.log
expect_exit 0 "$STAP_REPORT" --folded s.log
# vfs_read 200: 30 - 15 = 15; 201: 38 - 10 = 28 -> 43. seq_read_iter 15 + 10. fold 8-4, 4-1, 1.
expect_same out "cat;vfs_read 43
cat;vfs_read;seq_read_iter 25
kworker/1:1;process_one_work 12
kworker/1:1;process_one_work;fold 4
kworker/1:1;process_one_work;fold;fold 3
kworker/1:1;process_one_work;fold;fold;fold 1
"
