# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the stap-sandbox cli tests that write a script from picks in the test bed's kernel tree
# (--script-only: no compile, no guest): sets $SANDBOX and the test bed's variables, skips (77) when
# the test bed is not prepared, and gives the test a private extents cache.
SANDBOX="$SA_SOURCE_DIR/tools/stap-sandbox/stap-sandbox"
export SA_CACHE=${SA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant}  # the shared test bed
# env fails (66) on a test bed that is not prepared, or was prepared by an older version.
if ! tb_env=$("$SA_SOURCE_DIR/tools/stap-sandbox/stap-testbed" env 2>/dev/null); then
  echo "SKIP: the test bed is not prepared (stap-testbed prepare)" >&2
  exit 77
fi
eval "$tb_env"
if [ ! -e "$SA_KSRC/.sa-version" ] || [ ! -e "$SA_VMLINUX" ] || [ ! -d "$SA_STAP_R" ]; then
  echo "SKIP: the test bed is not prepared (stap-testbed prepare)" >&2
  exit 77
fi
export XDG_CACHE_HOME="$T/cache"  # a private extents cache
