# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the stap-addprobe CLI tests (after $SA_TEST_LIB): the real linux-source-6.1 tree in $K,
# skipping with 77 only when the tree is absent, and a private extents cache per test.
K=${SA_KSRC:-${SA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant}/src/linux-source-6.1}
if [ ! -e "$K/.sa-version" ]; then
  echo "SKIP: no linux-source-6.1 tree at $K (stap-testbed prepare makes it)" >&2
  exit 77
fi
SA_USER_XDG_CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}  # where the test bed lives
export XDG_CACHE_HOME="$T/cache"
export STAP_ASSISTANT_PREAMBLE="$SA_SOURCE_DIR/share/preamble.stp"

# testbed_env: the test bed's variables (stap-testbed env: SA_KSRC, SA_STAP_R, ...) for a test that
# checks against its DWARF; skips the test (77) when the test bed is not prepared.
testbed_env() {
  local env_text
  env_text=$(XDG_CACHE_HOME="$SA_USER_XDG_CACHE_HOME" "$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed" env 2>/dev/null) ||
    { echo "SKIP: the test bed is not prepared (stap-testbed prepare)" >&2; exit 77; }
  eval "$env_text"
}
