# SPDX-License-Identifier: GPL-2.0-or-later
# stap-testbed stap shows stap's passes as they start, on stderr: a line per step when stderr is not
# a terminal, a status line rewritten in place on one; other stderr lines pass through, stdout and
# the exit status are stap's, and the user's own -v leaves stap untouched. A fake stap (first in
# PATH) prints what stap -v prints.
source "$SA_TEST_LIB"
tb=$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed
"$tb" env >/dev/null 2>&1 || { echo "SKIP: the test bed is not prepared (stap-testbed prepare)" >&2; exit 77; }
command -v script >/dev/null || fail "script (util-linux) is missing"
mkdir bin
cat >bin/stap <<'SH'
#!/bin/sh
v=0; for a; do [ "$a" = -v ] && v=1; done
echo "args: $*"
if [ "$v" = 1 ]; then
  for p in 1 2 3 4; do echo "Pass $p: done with pass $p in 1usr/0sys/1real ms." >&2; done
fi
echo "WARNING: something stap says" >&2
exit 3
SH
chmod +x bin/stap
export PATH=$T/bin:$PATH
expect_exit 3 "$tb" stap -p4 -m tracer -e 'probe begin { exit() }'
expect_same err 'stap-testbed: [1/4] parsing the script
stap-testbed: [2/4] elaborating the probes against the kernel'"'"'s DWARF
stap-testbed: [3/4] translating to C
stap-testbed: [4/4] compiling the module (minutes)
WARNING: something stap says
'
expect_grep '^args: -v -r .* -p4 -m tracer -e' out
# -p 2 as two words: two steps.
expect_exit 3 "$tb" stap -p 2 -e 'probe begin { exit() }'
[ "$(grep -c '^stap-testbed: \[[12]/2\]' err)" = 2 ] || { cat err; fail "-p 2: not two steps"; }
# The user's -v: stap as it is, no step of ours.
expect_exit 3 "$tb" stap -v -p4 -e 'probe begin { exit() }'
expect_no_grep 'stap-testbed: \[' err
expect_grep '^Pass 4: ' err
# On a terminal: one status line, rewritten, cleared before stap's own line.
script -qec "TERM=xterm '$tb' stap -p4 -e 'probe begin { exit() }' >/dev/null" /dev/null >tty.out || true
esc=$'\033'
grep -qF "stap-testbed: [1/4] parsing the script${esc}[K"$'\r'"stap-testbed: [2/4]" tty.out ||
  { cat -v tty.out; fail "no rewritten status line on a terminal"; }
grep -qF $'\r'"${esc}[KWARNING: something stap says" tty.out ||
  { cat -v tty.out; fail "the status line was not cleared before stap's line"; }
