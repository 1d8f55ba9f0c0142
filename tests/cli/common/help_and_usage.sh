# SPDX-License-Identifier: GPL-2.0-or-later
# Every tool: --help to stdout with exit 0, --version, and an unknown option exits 64 with one
# diagnostic in the shared format plus a one-line hint.
source "$SA_TEST_LIB"
version=$(sed -n 's/^project(stap-assistant VERSION \([0-9.]*\).*/\1/p' "$SA_SOURCE_DIR/CMakeLists.txt")
for tool in "$STAP_ADDPROBE" "$STAP_PREAMBLE" "$STAP_LOGD" "$STAP_REPORT"; do
  name=$(basename "$tool")
  expect_exit 0 "$tool" --help
  expect_grep "^Usage: $name" out
  [ ! -s err ] || fail "$name --help wrote to stderr"

  expect_exit 0 "$tool" --version
  expect_same out "$name (stap-assistant) $version
"

  expect_exit 64 "$tool" --bogus
  expect_same err "$name: error: the following argument was not expected: --bogus
$name: note: try '$name --help'
"
  [ ! -s out ] || fail "$name --bogus wrote to stdout"
done

# The shell tools keep the same rules: help on stdout, the same version line, 64 and the shared
# format for an unknown option.
for tool in stap-testbed stap-sandbox stap-runtime-patch; do
  path=$SA_SOURCE_DIR/tools/stap-sandbox/$tool
  expect_exit 0 "$path" --help
  expect_grep "$tool" out
  [ ! -s err ] || fail "$tool --help wrote to stderr"
  expect_exit 0 "$path" --version
  expect_same out "$tool (stap-assistant) $version
"
  expect_exit 64 "$path" --bogus
  head -n 1 err | grep -Eq "^$tool: error: .*--bogus" || fail "$tool --bogus: $(cat err)"
  [ ! -s out ] || fail "$tool --bogus wrote to stdout"
done
