#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The extension's unit tests (Node's test runner): argument building, log following, session
# detection, link parsing, and activate() against a fake of the vscode module. No dependencies.
source "$SA_TEST_LIB"
command -v node >/dev/null || { echo "node missing: scripts/setup-debian.sh --editor" >&2; exit 77; }
node --test "$SA_SOURCE_DIR/editor/vscode/test/" >"$T/log" 2>&1 || { cat "$T/log"; fail "node --test failed"; }
grep -E '^# (tests|pass|fail)' "$T/log"
