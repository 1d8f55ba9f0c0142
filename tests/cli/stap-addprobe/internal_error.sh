# SPDX-License-Identifier: GPL-2.0-or-later
# A real internal error reaches main()'s one exception boundary: the process runs out of address
# space (ulimit -v) while reading a script far larger than that (a sparse 2 GiB file), and operator
# new throws std::bad_alloc from deep inside the script reader. The tool must say so in the common
# format and exit 70 (EX_SOFTWARE, the sysexits table's internal error), not abort with
# "terminate called" (134) or die of a signal.
source "$SA_TEST_LIB"
truncate -s 2G "$T/huge.stp"
# 256 MiB of address space: room for the tool to start, not for the file's bytes.
expect_exit 70 bash -c 'ulimit -v 262144 && exec "$0" -o "$1" --list' "$STAP_ADDPROBE" "$T/huge.stp"
expect_same "$T/err" "stap-addprobe: error: internal error: std::bad_alloc
"
expect_same "$T/out" ""
