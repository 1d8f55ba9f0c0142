# SPDX-License-Identifier: GPL-2.0-or-later
# --color=auto|always|never on every C++ tool: auto colours only on a terminal and not with NO_COLOR
# (or TERM=dumb); always wins over NO_COLOR; a pipe or a file gets exactly the plain bytes.
source "$SA_TEST_LIB"
command -v script >/dev/null || fail "script (util-linux) is missing"
esc=$'\033'
for tool in "$STAP_ADDPROBE" "$STAP_PREAMBLE" "$STAP_LOGD" "$STAP_REPORT"; do
  name=$(basename "$tool")
  plain="$name: error: the following argument was not expected: --bogus
$name: note: try '$name --help'
"
  painted="${esc}[01m$name:${esc}[m ${esc}[01;31merror:${esc}[m the following argument was not expected: --bogus
${esc}[01m$name:${esc}[m ${esc}[01;36mnote:${esc}[m try '$name --help'
"
  # Not a terminal: plain, whatever NO_COLOR says; always: painted, even with NO_COLOR.
  expect_exit 64 "$tool" --bogus
  expect_same err "$plain"
  expect_exit 64 "$tool" --color=auto --bogus
  expect_same err "$plain"
  expect_exit 64 env NO_COLOR=1 "$tool" --color=always --bogus
  expect_same err "$painted"
  expect_exit 64 "$tool" --color=never --bogus
  expect_same err "$plain"
  expect_exit 64 "$tool" --color=sometimes
  expect_grep "^$name: error: --color: sometimes not in {auto,always,never}" err

  # On a terminal (script gives the tool a pty; its stderr is the pty): painted unless NO_COLOR,
  # TERM=dumb or --color=never.
  on_tty() { script -qec "$*" /dev/null | tr -d '\r' >tty.out || true; }
  on_tty "env TERM=xterm '$tool' --bogus"
  expect_same tty.out "$painted"
  on_tty "env TERM=xterm NO_COLOR=1 '$tool' --bogus"
  expect_same tty.out "$plain"
  on_tty "env TERM=dumb '$tool' --bogus"
  expect_same tty.out "$plain"
  on_tty "env TERM=xterm '$tool' --color=never --bogus"
  expect_same tty.out "$plain"
done
