# SPDX-License-Identifier: GPL-2.0-or-later
# -o FILE writes a new script with exactly the printed text; an existing file is refused (exit 73)
# and left alone unless --force; --force keeps the file's mode; no temporary file is left behind.
source "$SA_TEST_LIB"
"$STAP_PREAMBLE" -p 4444 >printed

expect_exit 0 "$STAP_PREAMBLE" -p 4444 -o tracer.stp
[ ! -s out ] && [ ! -s err ] || fail "-o wrote to stdout/stderr"
cmp printed tracer.stp || fail "-o text differs from the printed text"

printf 'probe x { trace_call() }\n' >>tracer.stp
cp tracer.stp before
expect_exit 73 "$STAP_PREAMBLE" -o tracer.stp
expect_same err "stap-preamble: tracer.stp: error: file exists; not overwriting it
stap-preamble: note: use --force to replace it, or --regenerate to replace only its preamble
"
cmp before tracer.stp || fail "refused -o changed the file"

chmod 0640 tracer.stp
expect_exit 0 "$STAP_PREAMBLE" -o tracer.stp --force
"$STAP_PREAMBLE" >printed_default
cmp printed_default tracer.stp || fail "--force did not write the new text"
[ "$(stat -c %a tracer.stp)" = 640 ] || fail "--force changed the mode to $(stat -c %a tracer.stp)"

expect_exit 73 "$STAP_PREAMBLE" -o no/such/dir/tracer.stp
expect_grep '^stap-preamble: no/such/dir/tracer.stp: error: cannot create a file in no/such/dir' err

# A new file gets 0644 under umask 022, and nothing else is left in the folder.
mkdir fresh
(umask 022 && "$STAP_PREAMBLE" -o fresh/t.stp)
[ "$(stat -c %a fresh/t.stp)" = 644 ] || fail "new file mode $(stat -c %a fresh/t.stp)"
[ "$(ls -A fresh)" = t.stp ] || fail "left behind: $(ls -A fresh)"
