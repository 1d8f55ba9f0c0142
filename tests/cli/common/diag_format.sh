# SPDX-License-Identifier: GPL-2.0-or-later
# The check every CLI test's captured stderr goes through (tests/lib.sh: after each expect_exit, and
# $T/err and $T/*.err at the end of a passing test): it accepts the three forms of diagnostics.h and
# rejects a line with error:/warning:/note: in any other shape, or with the file after "error:".
source "$SA_TEST_LIB"
cat >good.err <<'TXT'
stap-addprobe: fs/open.c:1234: error: this line is not inside a function
stap-addprobe: fs/open.c: error: no definition of f in this file
stap-addprobe: error: no location given
stap-addprobe: note: try 'stap-addprobe --help'
stap-logd: warning: lost 3 lines
stap-addprobe: fs/open.c:12: note: semantic error: no match
stap-preamble: error: '10.0.2' is not an IPv4 address (a.b.c.d)
a line of progress, without any of the words
[2/7] checking fs/open.c:vfs_open
TXT
[ -z "$(sa_check_diag_file good.err)" ] || fail "good diagnostics rejected: $(sa_check_diag_file good.err)"
for bad in 'stap-addprobe: error: fs/no-such-file.c: no such file in the kernel tree /k' \
  'stap-addprobe: error: /tmp/build has no vmlinux' \
  'error: no tool name' \
  'stap-addprobe error: no colon after the tool' \
  'stap-testbed: FAILED: stap -p4 (error: see above)' \
  'stap-addprobe: note: t.stp: already there'; do
  printf '%s\n' "$bad" >bad.err
  [ -n "$(sa_check_diag_file bad.err)" ] || fail "accepted: $bad"
done
rm bad.err
# And it is what expect_exit applies: a command printing a misplaced file fails the test.
if (expect_exit 0 sh -c 'echo "tool: error: a/b.c: oops" >&2') >/dev/null 2>&1; then
  fail "expect_exit let a misplaced file through"
fi
# And at the end of a test, over $T/err and $T/*.err (this one's are removed: they are bad on purpose).
rm -f "$T/err"
