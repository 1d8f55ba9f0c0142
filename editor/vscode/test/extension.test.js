// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { create, loadExtension, Uri, Position } = require('./fake-vscode');

// A stand-in for stap-addprobe: records its argv and stdin, prints what FAKE_OUT/FAKE_ERR say.
function fakeTool(dir, { stdout = '', stderr = '', code = 0 } = {}, name = 'fake-addprobe') {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `#!${process.execPath}
const fs = require('fs');
let input = ''; process.stdin.on('data', (d) => input += d).on('end', () => {
  fs.appendFileSync(${JSON.stringify(path.join(dir, 'calls'))}, JSON.stringify({ argv: process.argv.slice(2), input }) + '\\n');
  process.stdout.write(${JSON.stringify(stdout)}); process.stderr.write(${JSON.stringify(stderr)}); process.exit(${code});
});`);
  fs.chmodSync(p, 0o755);
  return p;
}
const calls = (dir) => fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

function start(opts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-ext-'));
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, 'fs'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'fs/open.c'), 'int a;\nint f(void)\n{\n  return 0;\n}\n');
  const tool = fakeTool(dir, opts);
  const f = create({ folder: ws, config: { 'addprobePath': tool, 'startLogd': false, 'logDir': path.join(dir, 'sessions'),
                                           'deployTask': opts.task || '' } });
  const ext = loadExtension(f.vscode);
  const context = { subscriptions: [] };
  const api = ext.activate(context);
  const editorAt = (line) => {
    const doc = { uri: Uri.file(path.join(ws, 'fs/open.c')), isDirty: false, lineAt: (i) => ({ text: fs.readFileSync(path.join(ws, 'fs/open.c'), 'utf8').split('\n')[i] }) };
    f.vscode.window.activeTextEditor = { document: doc, selection: { active: new Position(line, 0), start: new Position(line, 0), end: new Position(line + 2, 0) } };
  };
  const stop = () => { for (const d of context.subscriptions) d.dispose(); fs.rmSync(dir, { recursive: true, force: true }); };
  return { dir, ws, ...f, api, editorAt, stop };
}

test('every command in package.json is registered by activate()', () => {
  const t = start({});
  const declared = require('../package.json').contributes.commands.map((c) => c.command).sort();
  assert.deepStrictEqual([...t.rec.commands.keys()].sort(), declared);
  assert.match(t.rec.status.text, /stap-logd stopped \| 0 lines/);
  assert.strictEqual(t.rec.fsOptions.isReadonly, true);  // the live log is read-only
  t.stop();
});

test('trace function runs stap-addprobe with the cursor\'s line and runs the deploy task', async () => {
  const t = start({ stdout: '{"function":"f","file":"fs/open.c","line":2,"kind":"function"}\n', task: 'deploy' });
  t.rec.tasks = [{ name: 'other' }, { name: 'deploy' }];
  t.editorAt(3);
  const r = await t.rec.commands.get('systemtap-assistant.trace-function')();
  assert.strictEqual(r.code, 0);
  assert.deepStrictEqual(calls(t.dir)[0].argv, ['-C', t.ws, '-o', path.join(t.ws, 'tracer.stp'), '--json', '--function', 'fs/open.c:4']);
  assert.deepStrictEqual(t.rec.statusMessages, ['Traced f']);
  assert.strictEqual(t.rec.ranTask, 'deploy');
  assert.deepStrictEqual(t.rec.errors, []);
  t.stop();
});

test('a failing run shows the tool\'s diagnostics in the file and its error message', async () => {
  const t = start({ code: 65, stderr: 'stap-addprobe: fs/open.c:1: error: line 1 is outside any function\nstap-addprobe: note: try line 2\n' });
  t.editorAt(0);
  await t.rec.commands.get('systemtap-assistant.trace-line')();
  assert.deepStrictEqual(calls(t.dir)[0].argv.slice(-2), ['--line', 'fs/open.c:1']);
  const d = t.rec.diagnostics.get(path.join(t.ws, 'fs/open.c'));
  assert.strictEqual(d.length, 1);
  assert.strictEqual(d[0].message, 'line 1 is outside any function\ntry line 2');
  assert.strictEqual(d[0].range.start.line, 0);
  assert.deepStrictEqual(t.rec.errors, ['line 1 is outside any function\ntry line 2']);
  t.stop();
});

test('trace selection feeds a diff of the selected lines on stdin', async () => {
  const t = start({});
  t.editorAt(1);
  await t.rec.commands.get('systemtap-assistant.trace-selection')();
  const c = calls(t.dir)[0];
  assert.deepStrictEqual(c.argv.slice(-2), ['--json', '--diff']);
  assert.strictEqual(c.input, '--- a/fs/open.c\n+++ b/fs/open.c\n@@ -2,2 +2,2 @@\n-int f(void)\n-{\n+int f(void)\n+{\n');
  t.stop();
});

test('remove probe lists the probes, asks which, removes it', async () => {
  const t = start({ stdout: 'kernel.function("f@fs/open.c:2").call\n' });
  await t.rec.commands.get('systemtap-assistant.remove-probe')();
  const c = calls(t.dir);
  assert.deepStrictEqual(c[0].argv.slice(-2), ['--list', '--json']);
  assert.deepStrictEqual(c[1].argv.slice(-2), ['--remove', 'kernel.function("f@fs/open.c:2").call']);
  t.stop();
});

test('live log: opens mid-session from the file, then appends; a new session resets it', async () => {
  const t = start({});
  const sessions = path.join(t.dir, 'sessions');
  fs.mkdirSync(sessions);
  fs.writeFileSync(path.join(sessions, 's1'), 'l1\nl2\n');
  fs.symlinkSync('s1', path.join(sessions, 'current'));
  const doc = await t.rec.commands.get('systemtap-assistant.open-log')();
  assert.strictEqual(doc.getText(), 'l1\nl2\n');
  fs.appendFileSync(path.join(sessions, 's1'), 'l3\n-- stap-logd: lost 2 lines (cpu 0, seq 4..5)\n');
  await t.api.follower.poll();
  await t.api.logView.flush();
  assert.strictEqual(doc.getText(), 'l1\nl2\nl3\n-- stap-logd: lost 2 lines (cpu 0, seq 4..5)\n');
  t.api.updateStatus();
  assert.match(t.rec.status.text, /\| 3 lines \$\(warning\) 2 lost/);
  fs.writeFileSync(path.join(sessions, 's2'), 'n1\n');
  fs.symlinkSync('s2', path.join(sessions, 'c.tmp'));
  fs.renameSync(path.join(sessions, 'c.tmp'), path.join(sessions, 'current'));
  await t.api.follower.poll();
  await t.api.logView.flush();
  assert.strictEqual(doc.getText(), 'n1\n');
  assert.strictEqual(t.api.logView.stats.refused, undefined);
  t.stop();
});

test('definition provider: a log line jumps to file:line in the kernel tree', async () => {
  const t = start({});
  const lines = ['1.000000 cpu0 ls[1/1] -> f@fs/open.c:2 x=1', '1.000001 cpu0 ls[1/1] <- f return=0'];
  const doc = { lineAt: (i) => ({ text: lines[i] }) };
  const d = await t.rec.definition.provideDefinition(doc, new Position(1, 25));
  assert.strictEqual(d[0].targetUri.fsPath, path.join(t.ws, 'fs/open.c'));
  assert.strictEqual(d[0].targetRange.start.line, 1);
  assert.strictEqual(await t.rec.definition.provideDefinition(doc, new Position(0, 0)), null);
  t.stop();
});

test('a missing script is first created by stap-preamble for a non-default port', async () => {
  const t = start({});
  const pre = fakeTool(t.dir, {}, 'fake-preamble');  // the same recorder: both tools append to `calls`
  const values = { 'port': 7000, 'addprobePath': path.join(t.dir, 'fake-addprobe'), 'preambleToolPath': pre,
                   'startLogd': false };
  t.vscode.workspace.getConfiguration = () => ({ inspect: (n) => (n in values ? { globalValue: values[n] } : {}) });
  t.editorAt(3);
  await t.rec.commands.get('systemtap-assistant.trace-function')();
  const c = calls(t.dir);
  assert.deepStrictEqual(c[0].argv, ['-p', '7000', '-o', path.join(t.ws, 'tracer.stp')]);
  assert.deepStrictEqual(c[1].argv.slice(-2), ['--function', 'fs/open.c:4']);
  t.stop();
});

test('stap-logd: exit 69 (port taken) means following the daemon already there; a missing one is an error', async () => {
  const t = start({});
  const busy = path.join(t.dir, 'busy-logd');
  fs.writeFileSync(busy, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(path.join(t.dir, 'logd-argv'))}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(69);\n`);
  fs.chmodSync(busy, 0o755);
  const values = { 'logdPath': busy, 'port': 7001, 'logDir': path.join(t.dir, 'sessions'), 'startLogd': false };
  t.vscode.workspace.getConfiguration = () => ({ inspect: (n) => (n in values ? { globalValue: values[n] } : {}) });
  await t.rec.commands.get('systemtap-assistant.start-logd')();
  for (let i = 0; i < 200 && t.api.logdState !== 'external'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.strictEqual(t.api.logdState, 'external');
  assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(t.dir, 'logd-argv'), 'utf8')), ['-p', '7001', '-d', path.join(t.dir, 'sessions')]);
  assert.match(t.rec.status.text, /stap-logd :7001 \(external\)/);
  values['logdPath'] = path.join(t.dir, 'no-such-logd');
  await t.rec.commands.get('systemtap-assistant.start-logd')();
  for (let i = 0; i < 200 && t.api.logdState !== 'failed'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.strictEqual(t.api.logdState, 'failed');
  assert.match(t.rec.errors[0], /Cannot run .*no-such-logd/);
  t.stop();
});

test('settings under the old kebab-case names are used, with one notice naming the new names', async () => {
  const t = start({});
  t.stop();
  const f = create({ folder: t.ws, config: { 'deploy-task': 'd', 'start-logd': false, 'addprobe-path': '/x/stap-addprobe' } });
  const context = { subscriptions: [] };
  const api = loadExtension(f.vscode).activate(context);
  assert.strictEqual(api.settings.deployTask, 'd');
  assert.strictEqual(api.settings.addprobePath, '/x/stap-addprobe');
  assert.strictEqual(f.rec.warnings.length, 1);
  assert.match(f.rec.warnings[0], /systemtap-assistant\.deploy-task \u2192 systemtap-assistant\.deployTask/);
  assert.match(f.rec.warnings[0], /start-logd \u2192 systemtap-assistant\.startLogd/);
  for (const d of context.subscriptions) d.dispose();
});

test('no listener where there is no kernel tree and no tracer script; a kernel tree starts one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-ext-'));
  const argvFile = path.join(dir, 'logd-argv');
  const logd = path.join(dir, 'logd');
  // A stand-in stap-logd that records its argv and runs until it is stopped.
  fs.writeFileSync(logd, `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(argvFile)}, process.pid + '\\n');\nsetInterval(() => {}, 1000);\n`);
  fs.chmodSync(logd, 0o755);
  const plain = path.join(dir, 'plain');
  fs.mkdirSync(plain);
  const config = { logdPath: logd, logDir: path.join(dir, 'sessions'), port: 7002 };
  const run = (folder) => {
    const f = create({ folder, config });
    const context = { subscriptions: [] };
    const api = loadExtension(f.vscode).activate(context);
    return { f, api, stop: () => { for (const d of context.subscriptions) d.dispose(); } };
  };
  const waitFor = async (fn) => { for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 20)); };
  const started = () => (fs.existsSync(argvFile) ? fs.readFileSync(argvFile, 'utf8').trim().split('\n') : []);

  const a = run(plain);
  assert.strictEqual(a.api.logdState, 'off');
  assert.match(a.f.rec.status.text, /stap-logd off/);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepStrictEqual(started(), []);

  const tree = path.join(dir, 'linux');
  fs.mkdirSync(path.join(tree, 'arch'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'Kbuild'), '');
  fs.writeFileSync(path.join(tree, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\n');
  const b = run(tree);
  assert.strictEqual(b.api.logdState, 'running');
  await waitFor(() => started().length === 1);
  assert.strictEqual(started().length, 1);
  // A second window on the same machine shares it.
  const c = run(tree);
  assert.strictEqual(c.api.logdState, 'shared');
  assert.match(c.f.rec.status.text, /stap-logd :7002 \(shared\)/);
  await new Promise((r) => setTimeout(r, 200));
  assert.strictEqual(started().length, 1);
  c.stop();
  b.stop();
  a.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the context menus are offered in C files and in headers (language id cpp)', () => {
  const menus = require('../package.json').contributes.menus['editor/context'];
  const traced = menus.filter((m) => (m.command || m.submenu) !== 'systemtap-assistant.open-source');
  assert.strictEqual(traced.length, 4);
  for (const m of traced) assert.match(m.when, /\(editorLangId == c \|\| editorLangId == cpp\) && resourceScheme == file/);
});

test('the visible lines of the live log are coloured on scroll', async () => {
  const t = start({});
  const lines = ['1.000000 cpu0 ls[1/1] -> f@fs/open.c:2 x=1', '1.000001 cpu0 ls[1/1] <- f return=0'];
  const set = [];
  const editor = {
    document: { uri: { scheme: 'stap-log' }, lineCount: 2, lineAt: (i) => ({ text: lines[i] }) },
    visibleRanges: [{ start: { line: 0 }, end: { line: 1 } }],
    setDecorations: (type, ranges) => set.push([type.style.color.id, ranges.map((r) => `${r.start.line}:${r.start.character}-${r.end.character}`)]),
  };
  t.rec.onVisibleRanges({ textEditor: editor });
  const byColor = Object.fromEntries(set);
  assert.deepStrictEqual(byColor['charts.green'], ['0:22-24']);
  assert.deepStrictEqual(byColor['charts.blue'], ['1:22-24']);
  assert.deepStrictEqual(byColor['symbolIcon.functionForeground'], ['0:25-26', '1:25-26']);
  assert.deepStrictEqual(byColor['textLink.foreground'], ['0:26-38']);
  t.stop();
});

test('Sessions view: stap-report --json per session; first error opens the origin; compare runs --diff', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-ext-'));
  const sessions = path.join(dir, 'sessions');
  fs.mkdirSync(sessions);
  const live = path.join(sessions, '20261127-100000.000001_10.0.2.15.log');
  const old = path.join(sessions, '20261127-090000.000001_10.0.2.15.log');
  fs.copyFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'data', 'session-basic.log'), live);
  fs.writeFileSync(old, '');
  fs.symlinkSync(path.basename(live), path.join(sessions, 'current'));
  const json = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'data', 'session-basic.json'), 'utf8');
  const errors = 'session x: 1 error from 1 origin\n\npath_openat@fs/namei.c:3770: 1 error, returned -2 (1x)\n  first: ls[100/100] at 1.000030 (line 7)\n  1x path_openat <- do_filp_open\n';
  const tool = path.join(dir, 'fake-report');
  fs.writeFileSync(tool, `#!${process.execPath}
const a = process.argv.slice(2);
require('fs').appendFileSync(${JSON.stringify(path.join(dir, 'calls'))}, JSON.stringify(a) + '\\n');
process.stdout.write(a[0] === '--json' ? ${JSON.stringify(json)} : a[0] === '--errors' ? ${JSON.stringify(errors)} : 'diff\\n');
`);
  fs.chmodSync(tool, 0o755);
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, 'fs'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'fs/namei.c'), 'x\n'.repeat(4000));
  const f = create({ folder: ws, config: { reportPath: tool, logDir: sessions, startLogd: false } });
  const context = { subscriptions: [] };
  loadExtension(f.vscode).activate(context);
  const tree = f.rec.trees.get('systemtap-assistant.sessions');
  const top = await tree.getChildren();
  assert.deepStrictEqual(top.map((s) => [s.file, s.item.description.startsWith('live')]), [[live, true], [old, false]]);
  const rows = await tree.getChildren(top[0]);
  assert.strictEqual(rows[0].item.label, 'lines 16 · lost 0 · threads 2');
  assert.strictEqual(rows[0].item.description, '3 errors');
  assert.deepStrictEqual(rows.slice(1).map((r) => [r.function, r.item.description]).slice(0, 2),
    [['do_filp_open', 'calls 1 · errors 1 · p50 40 µs · p99 40 µs'], ['do_sys_openat2', 'calls 2 · errors 1 · p50 30 µs · p99 80 µs']]);
  const r = await f.rec.commands.get('systemtap-assistant.first-error')(top[0]);
  assert.strictEqual(r.origins[0].function, 'path_openat');
  assert.ok(f.rec.shown.some((s) => s.uri === `file:${path.join(ws, 'fs/namei.c')}` && s.opts.selection.start.line === 3769));
  const lenses = await f.rec.codeLens.provideCodeLenses(await f.vscode.workspace.openTextDocument(f.vscode.Uri.file(live)));
  assert.strictEqual(lenses.length, 1);
  assert.strictEqual(lenses[0].range.start.line, 6);
  assert.strictEqual(lenses[0].command.title, 'First error: path_openat 1 error, returned -2 (1x) · path_openat <- do_filp_open');
  await f.rec.commands.get('systemtap-assistant.compare-sessions')(old, live);
  const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepStrictEqual(calls, [['--json', live], ['--errors', live], ['--diff', old, live]]);  // --errors cached for the lens
  await f.rec.commands.get('systemtap-assistant.open-function')('getname', live);
  assert.ok(f.rec.shown.some((s) => s.uri === `file:${path.join(ws, 'fs/namei.c')}` && s.opts.selection.start.line === 209));
  for (const d of context.subscriptions) d.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});
