#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The extension's sources type-checked against the real VS Code API: every src/*.js file says
# `// @ts-check`, and TypeScript (pinned in editor/vscode/package-lock.json, with @types/vscode of the
# engines.vscode version) reports no error with editor/vscode/jsconfig.json.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_setup.sh"
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "node/npm missing: scripts/setup-debian.sh --editor" >&2; exit 77; }

SRC=$SA_SOURCE_DIR/editor/vscode
for f in "$SRC"/src/*.js; do
  [ "$(head -n1 "$f")" = "// @ts-check" ] || fail "${f#"$SA_SOURCE_DIR"/}: first line is not // @ts-check"
done

# @types/vscode must describe the oldest VS Code the extension claims to run on.
engine=$(node -p 'require(process.argv[1]).engines.vscode.replace(/^\^/, "")' "$SRC/package.json")
types=$(node -p 'require(process.argv[1]).devDependencies["@types/vscode"]' "$SRC/package.json")
[ "$engine" = "$types" ] || fail "engines.vscode is ^$engine but @types/vscode is $types"

editor_extension_copy "$T/ext" || fail "npm ci of editor/vscode/package-lock.json failed"
(cd "$T/ext" && node node_modules/typescript/bin/tsc --noEmit -p jsconfig.json) >"$T/tsc.log" 2>&1 ||
  { cat "$T/tsc.log"; fail "tsc --noEmit reported errors (above)"; }
echo "tsc $(node -p 'require(process.argv[1]).version' "$T/ext/node_modules/typescript/package.json"): no error in $(ls "$SRC"/src/*.js | wc -l) files"
