// SPDX-License-Identifier: GPL-2.0-or-later
// Runs inside code-server's extension host (the page is opened with an extensionTestsPath payload),
// against the extension installed from the .vsix, with the real tools. Steps, each reported in
// RESULTS (a JSON file, written atomically) for the driver and the shell script:
//   1. the extension is active and its commands exist;
//   2. the settings, under new and old names, and stap-logd started in this kernel tree;
//   3. open fs/open.c at the line the driver right-clicks, tell the driver (file `ui-ready-1`), wait
//      until it has clicked "Trace this function's entries and exits" (file `ui-done-1`); the same in
//      a header (language id cpp): an .inline probe;
//   3. trace-selection, trace-line, remove-probe and a failing trace-line (a problem in the file);
//   4. stream a ===CLEAR=== session of N lines to stap-logd over UDP, then time until the live log
//      document holds the last line; check every line, the extension host's memory, a log line's
//      definition, the read-only and clean document and the status bar;
//   5. a second session resets the document;
//   6. the Sessions view lists the live session first with stap-report's summary; a recorded session's
//      summary and first error;
//   7. Compare opens the first divergence of two sessions side by side, each at its line;
//   8. the flame chart webview (speedscope) of the recorded session shows its function names.
'use strict';
const vscode = require('vscode');
const dgram = require('dgram');
const fs = require('fs');
const path = require('path');

const env = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));
const results = { steps: [] };
const save = () => {  // atomically: the driver reads it while this runs
  fs.writeFileSync(`${env.results}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${env.results}.tmp`, env.results);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (name, data) => { results.steps.push({ name, ...data }); save(); };

async function until(what, fn, timeoutMs, everyMs = 20) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function logDocument() {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'stap-log');
}

async function activateExtension() {
  const ext = await until('the extension', () => vscode.extensions.getExtension('stap-assistant.systemtap-assistant'), 30000);
  const api = ext.isActive ? ext.exports : await ext.activate();
  const cmds = await vscode.commands.getCommands(true);
  const ours = cmds.filter((c) => c.startsWith('systemtap-assistant.')).sort();
  step('activated', { fromVsix: ext.extensionPath, commands: ours });
  if (ours.length < 8) throw new Error(`only ${ours.length} commands registered`);
  return api;
}

// Asks the driver to right-click line `line` (0-based) of `file` and choose `item` from the menu.
async function rightClickByDriver(n, file, line, item) {
  const doc = await vscode.workspace.openTextDocument(path.join(env.workspace, file));
  const ed = await vscode.window.showTextDocument(doc, { preview: false });
  ed.selection = new vscode.Selection(line, 2, line, 2);
  ed.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
  fs.writeFileSync(path.join(env.dir, `ui-ready-${n}`), JSON.stringify({ text: doc.lineAt(line).text, item }));
  await until(`the driver's right-click (ui-done-${n})`, () => fs.existsSync(path.join(env.dir, `ui-done-${n}`)), 120000, 100);
  return doc;
}

async function rightClicks() {
  await rightClickByDriver(1, env.file, env.line - 1, "Trace this function's entries and exits");
  step('ui', { script: fs.existsSync(env.script) ? fs.readFileSync(env.script, 'utf8').length : 0 });
  // A header: VS Code gives .h the language id cpp; the menu is there and the inline function gets
  // an .inline probe.
  const h = await rightClickByDriver(2, env.header, env.headerLine - 1, "Trace this function's entries and exits");
  const inline = `probe kernel.function("${env.headerFunction}@${env.header}").inline`;
  const script = fs.readFileSync(env.script, 'utf8');
  step('header', { languageId: h.languageId, inlineProbe: script.includes(inline) });
  if (!script.includes(inline)) throw new Error(`no ${inline} in the script after the right-click in ${env.header}`);
}

// The settings: the test's settings.json names some under the new camelCase names and some under the
// old kebab-case ones; all are read, and the old ones are named in one notice (not checkable from
// here: VS Code's notifications are not in the API; the unit tests check its text).
function settingsRead(api) {
  const s = api.settings;
  const want = { addprobePath: env.tools.addprobe, preambleToolPath: env.tools.preamble, logdPath: env.tools.logd,
                 reportPath: env.tools.report, port: env.port, logDir: env.sessions };
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, s[k]]));
  step('settings', { got, oldNames: env.oldNames, logdState: api.logdState });
  for (const k of Object.keys(want)) if (got[k] !== want[k]) throw new Error(`setting ${k}: ${got[k]}, want ${want[k]}`);
  if (api.logdState !== 'running') throw new Error(`stap-logd in the kernel tree window: ${api.logdState}`);
}

// The other commands, run as the palette runs them, against the real stap-addprobe.
async function otherCommands() {
  const doc = await vscode.workspace.openTextDocument(path.join(env.workspace, env.file));
  const ed = await vscode.window.showTextDocument(doc, { preview: false });
  const script = () => fs.readFileSync(env.script, 'utf8');
  const addCall = 'probe kernel.function("add@fs/open.c").call';
  ed.selection = new vscode.Selection(2, 0, 4, 1);  // the body of add()
  const sel = await vscode.commands.executeCommand('systemtap-assistant.trace-selection');
  if (!sel || sel.code !== 0 || !script().includes(addCall)) throw new Error(`trace-selection: ${sel && sel.stderr}`);
  ed.selection = new vscode.Selection(10, 2, 10, 2);  // `return fd;`
  const line = await vscode.commands.executeCommand('systemtap-assistant.trace-line');
  if (!line || line.code !== 0 || !script().includes('probe kernel.statement("do_sys_openat2@fs/open.c:11")')) {
    throw new Error(`trace-line: ${line && line.stderr}`);
  }
  const rm = await vscode.commands.executeCommand('systemtap-assistant.remove-probe', 'kernel.function("add@fs/open.c").call');
  if (!rm || rm.code !== 0 || script().includes(addCall)) throw new Error(`remove-probe: ${rm && rm.stderr}`);
  // A line outside any function: the tool's error becomes a problem on that line of the file.
  ed.selection = new vscode.Selection(0, 0, 0, 0);
  const bad = await vscode.commands.executeCommand('systemtap-assistant.trace-line');
  const problems = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'stap-addprobe');
  if (!bad || bad.code !== 65 || problems.length !== 1 || problems[0].range.start.line !== 0) {
    throw new Error(`outside a function: exit ${bad && bad.code}, problems ${JSON.stringify(problems)}`);
  }
  step('commands', { selection: 'add', line: 11, removed: addCall, problem: problems[0].message });
}

// Sends ===CLEAR=== and n lines in the log format, pacing by bursts so the sender itself does not
// overrun its socket; returns the time the last datagram was handed to the kernel.
async function streamSession(port, n, datagram) {
  const sock = dgram.createSocket('udp4');
  const send = (msg) => new Promise((res, rej) => sock.send(msg, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
  await send('SA1 0 0 1/1 ===CLEAR===');
  const t0 = Date.now();
  const burst = [];
  for (let seq = 1; seq <= n; seq++) {
    burst.push(send(datagram(seq)));
    if (burst.length === env.burst) {
      await Promise.all(burst);
      burst.length = 0;
      await sleep(env.burstGapMs);
    }
  }
  await Promise.all(burst);
  const tLast = Date.now();
  sock.close();
  return { t0, tLast };
}

async function streaming(api) {
  const n = env.lines;
  // The session file holds the reassembled text; the datagrams carry the SA1 header.
  const text = (seq) => `${(seq / 1000).toFixed(6)} cpu0 ls[42/42] -> do_sys_openat2@fs/open.c:${env.line} seq=${seq}`;
  const datagram = (seq) => `SA1 0 ${seq} 1/1 ${text(seq)}`;
  const expectLast = text(n);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const { t0, tLast } = await streamSession(env.port, n, datagram);
  // Gives up early when stap-logd's session file has stopped growing and the document has caught
  // up with it without the last line (lines were lost before the extension).
  let lastSize = -1;
  let lastGrowth = Date.now();
  const stalled = () => {
    let size = -1;
    try { size = fs.statSync(path.join(env.sessions, 'current')).size; } catch (_) { /* none */ }
    if (size !== lastSize) { lastSize = size; lastGrowth = Date.now(); return false; }
    const d = logDocument();
    const caughtUp = d && api.logView.pending.length === 0 && !api.logView.flushing &&
                     api.logView.deliveredBytes === size;
    return caughtUp && Date.now() - lastGrowth > 10000;
  };
  const hasLast = () => {
    const d = logDocument();
    if (d && d.lineCount >= n &&
        (d.lineAt(d.lineCount - 1).text === expectLast || d.lineAt(d.lineCount - 2).text === expectLast)) return true;
    // Checked after the document: a slow last edit can finish more than 10 s after the file stopped.
    if (stalled()) throw new Error(`stap-logd's session file stopped at ${api.lines} of ${n} lines (${api.lost} noted lost)`);
    return false;
  };
  // When stap-logd's session file holds the last line (the extension can only be as fast as that).
  let fileComplete = 0;
  const lastLineBytes = Buffer.from(`${expectLast}\n`);
  const fileWatch = setInterval(() => {
    if (fileComplete) return;
    try {
      const cur = path.join(env.sessions, 'current');
      const size = fs.statSync(cur).size;
      if (size < lastLineBytes.length) return;
      const fd = fs.openSync(cur, 'r');
      const buf = Buffer.alloc(lastLineBytes.length);
      fs.readSync(fd, buf, 0, buf.length, size - buf.length);
      fs.closeSync(fd);
      if (buf.equals(lastLineBytes)) fileComplete = Date.now();
    } catch (_) { /* not yet */ }
  }, 10);
  let visible;
  try {
    await until('the last line in the live log', () => { const ok = hasLast(); if (ok) visible = Date.now(); return ok; }, env.timeoutMs, 25);
  } catch (err) {
    const d = logDocument();
    const v = api.logView;
    step('stream-state', {
      document: d ? { lineCount: d.lineCount, isDirty: d.isDirty, lastLines: [d.lineAt(Math.max(0, d.lineCount - 2)).text, d.lineAt(d.lineCount - 1).text] } : null,
      view: { backed: v.backed, pendingParts: v.pending.length, deliveredBytes: v.deliveredBytes, sessionPath: v.sessionPath, flushing: Boolean(v.flushing), timer: Boolean(v.timer), stats: v.stats },
      statusLines: api.lines, followerOffset: api.follower && api.follower.offset,
    });
    throw err;
  } finally {
    clearInterval(sampler);
    clearInterval(fileWatch);
  }
  const doc = logDocument();
  const lines = doc.getText().split('\n').filter((l) => l.length > 0);
  const data = {
    lines: n, sendSeconds: (tLast - t0) / 1000, lastDatagramToVisibleSeconds: (visible - tLast) / 1000,
    sessionFileCompleteSeconds: fileComplete ? (fileComplete - tLast) / 1000 : null,
    extensionStats: api.logView.stats,
    documentLines: lines.length, firstLine: lines[0], lastLine: lines[lines.length - 1],
    statusLines: api.lines, statusLost: api.lost, statusText: api.status.text,
    extensionHostRssMB: Math.round(peakRss / 1048576), extensionHostRssBeforeMB: Math.round(rssBefore / 1048576),
  };
  // Every line exactly once and in order (stap-logd may note losses; those are reported, not hidden).
  const sent = lines.filter((l) => !l.startsWith('-- stap-logd:'));
  data.inOrder = sent.length === n && sent.every((l, i) => l === text(i + 1));
  step('stream', data);
  // The Sessions view on this 100,000-line session: what its summary and errors add to the host.
  const rssNoViews = process.memoryUsage().rss;
  const tViews = Date.now();
  const top = await api.sessions.getChildren();
  const rows = await api.sessions.getChildren(top[0]);
  await api.sessions.errors(top[0].file);
  const viewsSeconds = (Date.now() - tViews) / 1000;
  const rssAfter = process.memoryUsage().rss;
  step('views-memory', { rssBeforeMB: Math.round(rssNoViews / 1048576), rssAfterMB: Math.round(rssAfter / 1048576),
                         addedMB: Math.round((rssAfter - rssNoViews) / 1048576), summaryRows: rows.length,
                         seconds: viewsSeconds });
  // A log line links back to its source: the definition provider, asked through VS Code.
  const lineNo = lines[0].startsWith('-- stap-logd:') ? 1 : 0;
  const col = doc.lineAt(lineNo).text.indexOf('do_sys_openat2') + 3;
  const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, new vscode.Position(lineNo, col));
  const def = (defs || [])[0];
  const target = def && (def.targetUri || def.uri);
  const range = def && (def.targetRange || def.range);
  step('definition', { target: target && target.fsPath, line: range && range.start.line + 1 });
  if (!target || target.fsPath !== path.join(env.workspace, env.file) || range.start.line + 1 !== env.line) {
    throw new Error(`the log line's definition is ${target && target.fsPath}:${range && range.start.line + 1}`);
  }
  // Show the end of the log for the screenshot.
  const ed = await vscode.window.showTextDocument(doc, { preview: false });
  const last = doc.lineCount - 1;
  ed.revealRange(new vscode.Range(last, 0, last, 0));
  fs.writeFileSync(path.join(env.dir, 'log-shown'), '');
  await until('the driver\'s screenshot', () => fs.existsSync(path.join(env.dir, 'shot-done')), 60000, 100);
  // Appending marks the document modified; the extension saves it quietly once the stream is idle.
  let clean = true;
  await until('the log document to be clean', () => !doc.isDirty, 5000).catch(() => { clean = false; });
  step('clean', { documentIsDirty: !clean, readOnly: vscode.workspace.fs.isWritableFileSystem('stap-log') === false,
                  statusLines: api.lines, statusText: api.status.text });
}

// A second session resets the document: a plain `===CLEAR===` (as `echo ... | nc -u` sends it),
// then three lines; the document must hold those three lines and nothing of the first session.
async function secondSession(api) {
  const sock = dgram.createSocket('udp4');
  const send = (msg) => new Promise((res, rej) => sock.send(msg, env.port, '127.0.0.1', (e) => (e ? rej(e) : res())));
  await send('===CLEAR===\n');
  const lines = [1, 2, 3].map((i) => `200.00000${i} cpu1 cat[7/7] -> vfs_read@fs/read_write.c:${450 + i} count=${i}`);
  for (let i = 0; i < 3; i++) await send(`SA1 1 ${i + 1} 1/1 ${lines[i]}`);
  sock.close();
  const t0 = Date.now();
  const traceLines = () => {
    const d = logDocument();
    return d ? d.getText().split('\n').filter((l) => l && !l.startsWith('-- stap-logd:')) : [];
  };
  await until('the second session in the document', () => JSON.stringify(traceLines()) === JSON.stringify(lines), 30000, 25);
  step('second-session', { seconds: (Date.now() - t0) / 1000, lines: traceLines().length, statusLines: api.lines });
}

// The Sessions view, from the real stap-report: the live session is listed first and its summary
// names the function just streamed; a recorded session (tests/data/session-basic.log, copied in
// under a stap-logd file name) gives its summary and its first error.
async function sessionsView(api) {
  const tree = api.sessions;
  const top = await tree.getChildren();
  const live = fs.realpathSync(path.join(env.sessions, 'current'));
  const liveRows = await tree.getChildren(top[0]);
  const recorded = path.join(env.sessions, '20000101-000000.000001_10.0.2.15.log');
  fs.copyFileSync(env.sample, recorded);
  const all = await tree.getChildren();
  const rec = all.find((x) => x.file === recorded);
  const recRows = rec ? await tree.getChildren(rec) : [];
  const first = await vscode.commands.executeCommand('systemtap-assistant.first-error', recorded);
  const data = {
    sessions: all.length, firstIsLive: top[0].file === live, liveDescription: top[0].item.description,
    liveSummary: liveRows.map((r) => `${r.item.label} ${r.item.description || ''}`),
    recordedSummary: recRows.map((r) => `${r.item.label} ${r.item.description || ''}`),
    firstError: first && first.origins[0] ? `${first.origins[0].function}@${first.origins[0].file}:${first.origins[0].line} ${first.origins[0].chains[0]}` : null,
  };
  step('sessions', data);
  if (!data.firstIsLive || !data.liveSummary.some((l) => l.startsWith('vfs_read '))) throw new Error(`live session: ${JSON.stringify(data)}`);
  if (!data.recordedSummary.some((l) => l.startsWith('do_sys_openat2 calls 2 · errors 1'))) throw new Error(`recorded summary: ${JSON.stringify(data)}`);
  if (!data.firstError || !data.firstError.startsWith('path_openat@fs/namei.c:3770')) throw new Error(`first error: ${data.firstError}`);
}

// Compare: the recorded session against a copy whose first do_sys_openat2 returns 0 instead of -2
// (session line 13): the two sessions open side by side, each at line 13.
async function compare() {
  const recorded = path.join(env.sessions, '20000101-000000.000001_10.0.2.15.log');
  const changed = path.join(env.sessions, '20000101-000001.000001_10.0.2.15.log');
  const text = fs.readFileSync(recorded, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => / <- do_sys_openat2 return=-2$/.test(l));
  if (at < 0) throw new Error('compare: no do_sys_openat2 return=-2 in the recorded session');
  lines[at] = lines[at].replace(/return=-2$/, 'return=0');
  fs.writeFileSync(changed, lines.join('\n'));
  const r = await vscode.commands.executeCommand('systemtap-assistant.compare-sessions', recorded, changed);
  const shown = (file) => vscode.window.visibleTextEditors.filter((e) => e.document.uri.fsPath === file)
    .map((e) => ({ column: e.viewColumn, line: e.selection.active.line + 1 }));
  const data = { changedLine: at + 1, divergences: r && r.divergences, old: shown(recorded), new: shown(changed) };
  step('compare', data);
  const o = data.old.find((e) => e.line === at + 1);
  const n = data.new.find((e) => e.line === at + 1);
  if (!o || !n || o.column === n.column) throw new Error(`compare: ${JSON.stringify(data)}`);
}

// The flame chart of the recorded session: the command resolves once speedscope was handed
// stap-report --speedscope's file; the driver then reads the function names from the webview's page
// (speedscope's Sandwich table) and writes them to flame-dom.json.
async function flameChart(api) {
  const recorded = path.join(env.sessions, '20000101-000000.000001_10.0.2.15.log');
  const summary = await api.sessions.summary(recorded);
  const expected = summary.functions.map((f) => f.function);
  // Compare left three columns; in a fourth, speedscope's toolbar (its Sandwich tab) is cut off.
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const panel = await vscode.commands.executeCommand('systemtap-assistant.flame-chart', recorded);
  if (!panel) throw new Error('the flame chart of the recorded session did not load');
  fs.writeFileSync(path.join(env.dir, 'flame-ready'), JSON.stringify({ expected }));
  const dom = JSON.parse(await until("the driver's read of the flame chart (flame-dom.json)", () => {
    const f = path.join(env.dir, 'flame-dom.json');
    return fs.existsSync(f) && fs.readFileSync(f, 'utf8');
  }, 180000, 200));
  const missing = expected.filter((name) => !dom.names.includes(name));
  step('flame', { expected, found: dom.names.filter((n) => expected.includes(n)), missing, title: dom.title, csp: dom.csp, error: dom.error });
  if (dom.error || missing.length || !expected.length) throw new Error(`flame chart: ${JSON.stringify(dom)}; missing ${missing}`);
  panel.dispose();
  // The flame chart of a 100,000-line session: what it adds to the extension host (the page reads the
  // export itself; the host only runs stap-report). Not the streamed session: its 100,000 entries
  // without a return are one stack 100,000 calls deep, which speedscope's page takes minutes to lay
  // out, in the workbench's renderer (code-server serves webviews from its own origin), so the
  // window's exit (codeAutomationExit) waited behind it. This one has the same number of lines as a
  // trace has them: 25,000 calls each with a nested call, every call returning.
  const big100k = path.join(env.sessions, '20000101-000002.000001_10.0.2.15.log');
  const out = ['-- stap-logd: session from 10.0.2.15 started by ===CLEAR==='];
  for (let i = 0, t = 1000000; out.length < env.lines; i++, t += 40) {
    const us = (x) => `${Math.floor(x / 1e6)}.${String(x % 1e6).padStart(6, '0')}`;
    out.push(`${us(t)} cpu0 ls[42/42] -> do_sys_openat2@fs/open.c:${env.line} dfd=0xffffff9c seq=${i}`,
             `${us(t + 5)} cpu0 ls[42/42]   -> getname@fs/namei.c:210 filename=0x7ffd1000`,
             `${us(t + 9)} cpu0 ls[42/42]   <- getname return=0xffff888003a1c000`,
             `${us(t + 20)} cpu0 ls[42/42] <- do_sys_openat2 return=0x3`);
  }
  fs.writeFileSync(big100k, out.slice(0, env.lines + 1).join('\n') + '\n');
  out.length = 0;
  const rssBefore = process.memoryUsage().rss;
  const t0 = Date.now();
  const big = await vscode.commands.executeCommand('systemtap-assistant.flame-chart', big100k);
  const data = { loaded: Boolean(big), seconds: (Date.now() - t0) / 1000, rssBeforeMB: Math.round(rssBefore / 1048576),
                 rssAfterMB: Math.round(process.memoryUsage().rss / 1048576),
                 addedMB: Math.round((process.memoryUsage().rss - rssBefore) / 1048576) };
  if (!big) {
    step('flame-memory', data);
    throw new Error('the flame chart of the 100,000-line session did not load');
  }
  // The page imports the export after the command: wait for the driver to see it loaded (speedscope's
  // page titled by the session's name) before the window exits, which would otherwise queue behind it.
  fs.writeFileSync(path.join(env.dir, 'flame-big-ready'), JSON.stringify({ title: `${path.basename(big100k)} - speedscope` }));
  const shown = JSON.parse(await until("the driver's word that speedscope has shown it (flame-big-done)", () => {
    const f = path.join(env.dir, 'flame-big-done');
    return fs.existsSync(f) && fs.readFileSync(f, 'utf8');
  }, env.timeoutMs, 200));
  data.pageSeconds = shown.seconds;
  step('flame-memory', data);
  big.dispose();
}

exports.run = async function run() {
  try {
    const api = await activateExtension();
    settingsRead(api);
    await rightClicks();
    await otherCommands();
    await streaming(api);
    await secondSession(api);
    await sessionsView(api);
    await compare();
    await flameChart(api);
    step('end', { scriptExists: fs.existsSync(env.script) });
    results.ok = true;
  } catch (err) {
    results.ok = false;
    results.error = String(err && err.stack || err);
  }
  save();
  if (!results.ok) throw new Error(results.error);
};
