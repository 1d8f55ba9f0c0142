# Every tool: --help to stdout with exit 0, --version, and an unknown option exits 64 with one
# diagnostic in the shared format plus a one-line hint.
source "$SA_TEST_LIB"
for tool in "$STAP_ADDPROBE" "$STAP_PREAMBLE" "$STAP_LOGD" "$STAP_REPORT"; do
  name=$(basename "$tool")
  expect_exit 0 "$tool" --help
  expect_grep "^Usage: $name" out
  [ ! -s err ] || fail "$name --help wrote to stderr"

  expect_exit 0 "$tool" --version
  grep -Eq "^$name [0-9]+\.[0-9]+\.[0-9]+$" out || fail "$name --version: $(cat out)"

  expect_exit 64 "$tool" --bogus
  expect_same err "$name: error: the following argument was not expected: --bogus
$name: note: try '$name --help'
"
  [ ! -s out ] || fail "$name --bogus wrote to stdout"
done
