# SPDX-License-Identifier: GPL-2.0-or-later
# A write that fails half-way (file size limit: the kernel refuses the write with EFBIG) leaves the
# old script byte for byte, creates nothing, and leaves no temporary file: exit 74, one diagnostic.
source "$SA_TEST_LIB"
"$STAP_PREAMBLE" -p 1234 -o tracer.stp
printf 'probe a { trace_call() }\n' >>tracer.stp
cp tracer.stp before
[ "$(stat -c %s before)" -gt 4096 ] || fail "preamble too small for this test"

# SIGXFSZ ignored (inherited through exec), so the write returns EFBIG instead of killing the tool.
limited() { (trap '' XFSZ; ulimit -f 2; "$@"); }

expect_exit 74 limited "$STAP_PREAMBLE" --regenerate tracer.stp -p 4321
expect_grep '^stap-preamble: tracer.stp: error: cannot write: File too large$' err
cmp before tracer.stp || fail "failed --regenerate changed the script"

expect_exit 74 limited "$STAP_PREAMBLE" -o tracer.stp --force
cmp before tracer.stp || fail "failed --force changed the script"

expect_exit 74 limited "$STAP_PREAMBLE" -o new.stp
[ ! -e new.stp ] || fail "failed -o left new.stp"
[ "$(ls -A)" = "$(printf 'before\nerr\nout\ntracer.stp')" ] || fail "left behind: $(ls -A)"
