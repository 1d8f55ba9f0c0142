# SPDX-License-Identifier: GPL-2.0-or-later
# -o --force and --regenerate write only a regular file they may write (issue #12): a device node
# (a private one made with mknod here, never the real /dev), a FIFO (no hang), a hard-linked or
# read-only file are refused with exit 73 and left as they were; a symlink is written through (it stays
# a link); a file owned by another user keeps its owner, group and mode.
source "$SA_TEST_LIB"
"$STAP_PREAMBLE" -p 4444 -o base.stp
printf 'probe x { trace_call() }\n' >>base.stp

if [ "$(id -u)" = 0 ]; then
  mknod null c 1 3
  expect_exit 73 "$STAP_PREAMBLE" -o null --force
  expect_same err "stap-preamble: null: error: a character device is not a regular file; refusing to replace it
"
  [ -c null ] || fail "-o NODE --force replaced the device node"
  expect_exit 73 "$STAP_PREAMBLE" -o null
  [ -c null ] || fail "-o NODE replaced the device node"
  rm null
fi

mkfifo fifo
expect_exit 73 timeout 10 "$STAP_PREAMBLE" -o fifo --force
expect_same err "stap-preamble: fifo: error: a FIFO is not a regular file; refusing to replace it
"
expect_exit 73 timeout 10 "$STAP_PREAMBLE" --regenerate fifo -p 1
[ -p fifo ] || fail "the FIFO was replaced"
rm fifo

# A symlink: written through, the link stays a link.
mkdir real && cp base.stp real/t.stp && ln -s real/t.stp t.stp
expect_exit 0 "$STAP_PREAMBLE" --regenerate t.stp -p 5555
[ -L t.stp ] || fail "--regenerate replaced the symlink"
expect_grep 'dest_port = 5555' real/t.stp
expect_grep 'probe x { trace_call() }' real/t.stp
expect_exit 0 "$STAP_PREAMBLE" -o t.stp --force -p 6666
[ -L t.stp ] || fail "-o --force replaced the symlink"
expect_grep 'dest_port = 6666' real/t.stp

# Hard links: refused, both names keep the old text.
cp base.stp h.stp && ln h.stp h2.stp
expect_exit 73 "$STAP_PREAMBLE" --regenerate h.stp -p 7777
expect_grep 'error: file has 2 hard links; refusing to replace it' err
expect_exit 73 "$STAP_PREAMBLE" -o h.stp --force
[ "$(stat -c %i h.stp)" = "$(stat -c %i h2.stp)" ] || fail "the hard link was broken"
cmp base.stp h.stp || fail "a hard-linked file changed"

# Read-only: refused, even for root.
cp base.stp ro.stp && chmod 0444 ro.stp
expect_exit 73 "$STAP_PREAMBLE" --regenerate ro.stp -p 7777
expect_same err "stap-preamble: ro.stp: error: file is not writable (mode 0444); refusing to replace it
stap-preamble: note: make it writable (chmod u+w) if it should change
"
cmp base.stp ro.stp || fail "a read-only file changed"

# Another user's file keeps its owner, group and mode.
if [ "$(id -u)" = 0 ]; then
  cp base.stp theirs.stp && chown nobody:nogroup theirs.stp && chmod 0664 theirs.stp
  expect_exit 0 "$STAP_PREAMBLE" --regenerate theirs.stp -p 8888
  expect_grep 'dest_port = 8888' theirs.stp
  [ "$(stat -c %U:%G:%a theirs.stp)" = nobody:nogroup:664 ] ||
    fail "owner/mode became $(stat -c %U:%G:%a theirs.stp)"
fi
[ -z "$(ls -A | grep stap-tmp || true)" ] || fail "temporary files left: $(ls -A)"
