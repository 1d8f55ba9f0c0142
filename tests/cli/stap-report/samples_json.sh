# SPDX-License-Identifier: GPL-2.0-or-later
# --json of each sample session in tests/data is exactly the hand-counted NAME.json beside it, from a
# file and from stdin ("-").
source "$SA_TEST_LIB"
data="$SA_SOURCE_DIR/tests/data"
cp "$data"/session-*.log .
for f in session-*.log; do
  expect_exit 0 "$STAP_REPORT" --json "$f"
  expect_same out "$(cat "$data/${f%.log}.json")
"
  [ ! -s err ] || fail "$f: stderr not empty"
  expect_exit 0 "$STAP_REPORT" --json - <"$f"
  sed "s/\"session\":\"$f\"/\"session\":\"<stdin>\"/" "$data/${f%.log}.json" >want
  expect_same out "$(cat want)
"
done
