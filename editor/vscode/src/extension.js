// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// activate(): the glue between VS Code and the tools. Every decision lives in the modules beside
// this file (they do not import `vscode` and are unit-tested alone); this file only registers
// commands and providers, runs stap-addprobe / stap-logd with argument arrays, and shows results.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const { readSettings, renamedInUse } = require('./config');
const listener = require('./listener');
const ap = require('./addprobe');
const { parseDiagnostics, resolveDiagFile, describe } = require('./diagnostics');
const { SessionFollower } = require('./follower');
const { targetAt, findCallSite } = require('./logline');
const { logdArgs, interpretLogdExit, statusText, statusTooltip } = require('./logd');
const { runTool } = require('./proc');
const { LogView, SCHEME } = require('./logview');
const { LogColors } = require('./logcolors');
const { SessionsView, REPORT_SCHEME } = require('./sessions');
const { showFlameChart } = require('./flame');
const { spawn } = require('child_process');

const ID = 'systemtap-assistant';

function workspaceFolder() {
  const f = vscode.workspace.workspaceFolders;
  return f && f.length ? f[0].uri.fsPath : undefined;
}

// The user's value of systemtap-assistant.NAME (new or old name), undefined when not set.
function userValue(name) {
  const i = vscode.workspace.getConfiguration(ID).inspect(name);
  if (!i) return undefined;
  return i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue;
}

function settings() {
  return readSettings(userValue, workspaceFolder());
}

// Values under the kebab-case names of 0.1 are still read; say so once per window, with the new names.
function noticeOldNames() {
  const found = renamedInUse(userValue);
  if (found.length === 0) return;
  const list = found.map(({ old, name }) => `${ID}.${old} \u2192 ${ID}.${name}`).join(', ');
  vscode.window.showWarningMessage(`SystemTap Assistant: settings were renamed; your old names are still read ` +
    `for now, please rename them: ${list}`);
}

class Extension {
  constructor(context) {
    this.context = context;
    this.output = vscode.window.createOutputChannel('SystemTap Assistant');
    this.diagnostics = vscode.languages.createDiagnosticCollection(ID);
    this.status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
    this.status.command = `${ID}.open-log`;
    this.logView = new LogView(vscode);
    this.follower = null;
    this.logd = null;          // our child process
    this.logdState = 'stopped';
    this.lines = 0;
    this.lost = 0;
    this.statusTimer = null;
    this.settings = settings();
    this.sessions = new SessionsView(() => this.settings = settings(), this.output);
  }

  // --- tools
  async addprobe(args, stdin) {
    const s = this.settings = settings();
    this.output.appendLine(`$ ${[s.addprobePath, ...args].join(' ')}`);
    const r = await runTool(s.addprobePath, args, { cwd: workspaceFolder() || s.kernelTree, stdin });
    if (r.stdout) this.output.append(r.stdout);
    if (r.stderr) this.output.append(r.stderr);
    this.showDiagnostics(r.stderr, s.kernelTree);
    if (r.code === -1) {
      vscode.window.showErrorMessage(`Cannot run ${s.addprobePath}: ${r.error && r.error.message}. ` +
        `Set ${ID}.addprobePath.`);
    } else if (r.code !== 0) {
      const first = parseDiagnostics(r.stderr).find((d) => d.severity === 'error');
      vscode.window.showErrorMessage(first ? describe(first) : `stap-addprobe failed (exit ${r.code})`);
    }
    return r;
  }

  // A missing script gets the preamble for this port (and the user's template) from stap-preamble;
  // stap-addprobe alone would create it with the defaults. Returns false when that failed.
  async ensureScript(s) {
    const args = ap.preambleArgs(s, fs.existsSync(s.output));
    if (!args) return true;
    this.output.appendLine(`$ ${[s.preambleToolPath, ...args].join(' ')}`);
    const r = await runTool(s.preambleToolPath, args, { cwd: workspaceFolder() || s.kernelTree });
    if (r.stderr) this.output.append(r.stderr);
    if (r.code === 0) return true;
    this.showDiagnostics(r.stderr, s.kernelTree);
    const first = parseDiagnostics(r.stderr).find((d) => d.severity === 'error');
    vscode.window.showErrorMessage(r.code === -1
      ? `Cannot run ${s.preambleToolPath}: ${r.error && r.error.message}. Set ${ID}.preambleToolPath.`
      : first ? describe(first) : `stap-preamble failed (exit ${r.code})`);
    return false;
  }

  showDiagnostics(stderr, tree) {
    this.diagnostics.clear();
    const byFile = new Map();
    for (const d of parseDiagnostics(stderr)) {
      if (!d.file) continue;
      const file = resolveDiagFile(d.file, tree);
      const line = Math.max(0, d.line - 1);
      const sev = d.severity === 'error' ? vscode.DiagnosticSeverity.Error
        : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const diag = new vscode.Diagnostic(new vscode.Range(line, 0, line, 1000), describe(d), sev);
      diag.source = d.tool;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push(diag);
    }
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  async afterProbesAdded(r) {
    if (r.code !== 0) return;
    const s = this.settings;
    const summary = ap.summarize(ap.parseJsonLines(r.stdout));
    vscode.window.setStatusBarMessage(summary, 5000);
    if (s.deployTask) await this.runTask(s.deployTask);
  }

  async runTask(name) {
    const tasks = await vscode.tasks.fetchTasks();
    const task = tasks.find((t) => t.name === name);
    if (!task) {
      vscode.window.showErrorMessage(`${ID}.deployTask: no task named "${name}"`);
      return;
    }
    await vscode.tasks.executeTask(task);
  }

  // The C file under the cursor, saved (stap-addprobe reads it from disk).
  async currentFile() {
    const ed = vscode.window.activeTextEditor;
    if (!ed || ed.document.uri.scheme !== 'file') {
      vscode.window.showErrorMessage('Open a kernel C file first');
      return null;
    }
    if (ed.document.isDirty) await ed.document.save();
    return ed;
  }

  // The three trace commands differ only in the stap-addprobe arguments (and stdin) they build from
  // the editor and the settings.
  async traceWith(build) {
    const ed = await this.currentFile();
    if (!ed) return undefined;
    const s = settings();
    if (!(await this.ensureScript(s))) return undefined;
    const { args, input } = build(ed, s);
    const r = await this.addprobe(args, input);
    await this.afterProbesAdded(r);
    return r;
  }

  traceFunction() {
    return this.traceWith((ed, s) => ({
      args: ap.traceFunctionArgs(s, ed.document.uri.fsPath, ed.selection.active.line + 1),
    }));
  }

  traceLine() {
    return this.traceWith((ed, s) => ({
      args: ap.traceLineArgs(s, ed.document.uri.fsPath, ed.selection.active.line + 1),
    }));
  }

  traceSelection() {
    return this.traceWith((ed, s) => {
      const sel = ed.selection;
      let last = sel.end.line;
      if (last > sel.start.line && sel.end.character === 0) last--;
      const lines = [];
      for (let i = sel.start.line; i <= last; i++) lines.push(ed.document.lineAt(i).text);
      const diff = ap.selectionDiff(ed.document.uri.fsPath, s.kernelTree, sel.start.line + 1, lines);
      return { args: ap.traceSelectionArgs(s), input: diff };
    });
  }

  async removeProbe(probe) {
    const s = settings();
    if (!probe) {
      const list = await this.addprobe(ap.listArgs(s));
      if (list.code !== 0) return list;
      const items = ap.parseProbeList(list.stdout);
      if (items.length === 0) {
        vscode.window.showInformationMessage(`No probes in ${s.output}`);
        return list;
      }
      const pick = await vscode.window.showQuickPick(items.map((i) => ({ label: i.label, description: i.detail })),
        { placeHolder: 'Probe to remove' });
      if (!pick) return undefined;
      probe = pick.label;
    }
    const r = await this.addprobe(ap.removeArgs(s, probe));
    if (r.code === 0) vscode.window.setStatusBarMessage(`Removed ${probe}`, 5000);
    return r;
  }

  // --- stap-logd and the live log
  // Starts stap-logd where tracing happens (a kernel tree or a tracer script open, or `asked` by the
  // command), never a second one for the same folder and port on this machine: another window's
  // stap-logd is shared (this window follows the folder and takes over when that one stops).
  startLogd(asked = false) {
    const s = this.settings = settings();
    if (this.logd) return;
    const reason = listener.listenReason({ folder: workspaceFolder(), script: s.output, asked });
    if (!reason) {
      this.setLogdState('off');
      this.follow(s.logDir);
      return;
    }
    if (!listener.claim(s.logDir, s.port, { pid: process.pid, window: workspaceFolder() || '' })) {
      const owner = listener.currentOwner(s.logDir, s.port);
      this.output.appendLine(`stap-logd on port ${s.port} runs for another window (pid ${owner ? owner.pid : '?'}): ` +
        'following its sessions');
      this.setLogdState('shared');
      this.follow(s.logDir);
      this.watchOwner(s, asked);
      return;
    }
    let child;
    try {
      child = spawn(s.logdPath, logdArgs(s), { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      listener.release(s.logDir, s.port, process.pid);
      this.setLogdState('failed');
      return;
    }
    this.logd = child;
    const owned = { dir: s.logDir, port: s.port, pid: child.pid || process.pid };
    if (child.pid) listener.record(s.logDir, s.port, { pid: child.pid, window: workspaceFolder() || '' });
    this.setLogdState('running');
    child.stderr.on('data', (b) => this.output.append(b.toString()));
    child.on('error', (err) => {
      // Not started (ENOENT, EACCES): say so once; the session folder is still followed.
      if (this.logd === child) this.logd = null;
      listener.release(owned.dir, owned.port, owned.pid);
      listener.release(owned.dir, owned.port, process.pid);
      this.output.appendLine(`stap-logd: ${err.message} (set ${ID}.logdPath)`);
      vscode.window.showErrorMessage(`Cannot run ${s.logdPath}: ${err.message}. Set ${ID}.logdPath.`);
      this.setLogdState('failed');
    });
    child.on('exit', (code, signal) => {
      if (this.logd === child) this.logd = null;
      listener.release(owned.dir, owned.port, owned.pid);
      const what = interpretLogdExit(code, signal);
      this.output.appendLine(what.message);
      this.setLogdState(this.logdState === 'stopping' ? 'stopped' : what.state);
    });
    this.follow(s.logDir);
  }

  // While another window's stap-logd serves this one, check now and then that it still runs.
  watchOwner(s, asked) {
    if (this.ownerTimer) clearInterval(this.ownerTimer);
    this.ownerTimer = setInterval(() => {
      if (this.logdState !== 'shared') { clearInterval(this.ownerTimer); this.ownerTimer = null; return; }
      if (listener.currentOwner(s.logDir, s.port)) return;
      clearInterval(this.ownerTimer);
      this.ownerTimer = null;
      this.startLogd(asked);
    }, 3000);
  }

  stopLogd() {
    if (this.logd) {
      this.setLogdState('stopping');
      this.logd.kill('SIGTERM');
    } else if (this.logdState === 'external' || this.logdState === 'shared') {
      vscode.window.showInformationMessage('This stap-logd was not started by this window: stop it where it runs.');
    }
  }

  setLogdState(state) {
    this.logdState = state;
    this.updateStatus();
  }

  follow(dir) {
    if (this.follower && this.follower.dir === dir) return;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.follower = new SessionFollower(dir, {
      session: (info) => {
        this.lines = 0;
        this.lost = 0;
        this.logView.session(info);
        this.sessions.refresh();
        this.updateStatus();
        if (info.isNew && this.settings.openLogOnSession) this.logView.show(true);
      },
      lines: (text, count, lost) => {
        this.lines += count;
        this.lost += lost;
        this.logView.lines(text);
        this.updateStatusSoon();
      },
    });
    this.pollTimer = setInterval(() => this.follower.poll(), 100);
    this.follower.poll();
  }

  updateStatusSoon() {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => { this.statusTimer = null; this.updateStatus(); }, 250);
  }

  updateStatus() {
    const state = this.logdState === 'stopping' ? 'running' : this.logdState;
    this.status.text = statusText({ state, port: this.settings.port, lines: this.lines, lost: this.lost });
    this.status.tooltip = `SystemTap Assistant: ${statusTooltip(state)}; sessions in ${this.settings.logDir}`;
    this.status.show();
  }

  async openLog() {
    if (!this.follower) this.follow(settings().logDir);
    await this.follower.poll();
    return this.logView.show(false);
  }

  // --- log line -> kernel source
  async sourceOf(doc, position) {
    const text = doc.lineAt(position.line).text;
    const t = targetAt(text, position.character);
    if (!t) return null;
    /** @type {{file: string, line: number} | null} */
    let where = t.file ? { file: t.file, line: t.line } : null;
    if (!where && t.function) {
      where = findCallSite(t.function, position.line, (i) => doc.lineAt(i).text);
      if (!where) {
        /** @type {vscode.SymbolInformation[] | undefined} */
        const symbols = await vscode.commands.executeCommand('vscode.executeWorkspaceSymbolProvider', t.function);
        const sym = (symbols || []).find((x) => x.name === t.function);
        if (sym) return { location: sym.location, range: t.range };
        return null;
      }
    }
    const file = path.isAbsolute(where.file) ? where.file : path.join(settings().kernelTree, where.file);
    const pos = new vscode.Position(Math.max(0, where.line - 1), 0);
    return { location: new vscode.Location(vscode.Uri.file(file), pos), range: t.range };
  }

  async openSource() {
    const ed = vscode.window.activeTextEditor;
    if (!ed) return;
    const found = await this.sourceOf(ed.document, ed.selection.active);
    if (!found) {
      vscode.window.setStatusBarMessage('No source location on this line', 3000);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(found.location.uri);
    const r = found.location.range;
    await vscode.window.showTextDocument(doc, { selection: r });
  }

  dispose() {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (this.ownerTimer) clearInterval(this.ownerTimer);
    this.logView.dispose();
    if (this.logd) this.logd.kill('SIGTERM');
  }
}

function activate(context) {
  const ext = new Extension(context);
  const sub = (d) => context.subscriptions.push(d);
  const cmd = (name, fn) => sub(vscode.commands.registerCommand(`${ID}.${name}`, fn));
  cmd('trace-function', () => ext.traceFunction());
  cmd('trace-line', () => ext.traceLine());
  cmd('trace-selection', () => ext.traceSelection());
  cmd('remove-probe', (probe) => ext.removeProbe(typeof probe === 'string' ? probe : undefined));
  cmd('open-log', () => ext.openLog());
  cmd('start-logd', () => ext.startLogd(true));
  cmd('stop-logd', () => ext.stopLogd());
  cmd('open-source', () => ext.openSource());
  cmd('open-session', (file) => ext.sessions.openSession(file));
  cmd('open-function', (func, file) => ext.sessions.openFunction(func, file));
  cmd('first-error', (item) => ext.sessions.firstError(item && typeof item === 'object' ? item.file : item));
  cmd('flame-chart', (item) => {
    const file = ext.sessions.sessionOf(item && typeof item === 'object' ? item.file : item);
    if (!file) { vscode.window.showErrorMessage('No session: open a session file or start one'); return null; }
    return showFlameChart(context.extensionUri, (args) => ext.sessions.run(args), file);
  });
  cmd('compare-sessions', (a, b) => ext.sessions.compare(typeof a === 'string' ? a : undefined, typeof b === 'string' ? b : undefined));
  cmd('open-location', (file, line) => ext.sessions.openSource(file, line));
  cmd('refresh-sessions', () => ext.sessions.refresh());
  sub(vscode.window.createTreeView('systemtap-assistant.sessions', { treeDataProvider: ext.sessions }));
  sub(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, ext.sessions));
  sub(vscode.languages.registerCodeLensProvider({ language: 'stap-log', scheme: 'file' }, ext.sessions));
  sub(vscode.workspace.registerFileSystemProvider(SCHEME, ext.logView, { isCaseSensitive: true, isReadonly: true }));
  sub(vscode.workspace.onDidCloseTextDocument((d) => ext.logView.closed(d)));
  const colors = new LogColors(SCHEME);
  ext.logView.onAppended = () => colors.soon();
  sub(vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
    if (e.textEditor.document.uri.scheme === SCHEME) colors.paint([e.textEditor]);
  }));
  sub(vscode.window.onDidChangeVisibleTextEditors(() => colors.paint()));
  sub(colors);
  sub(vscode.languages.registerDefinitionProvider([{ scheme: SCHEME }, { language: 'stap-log' }, { scheme: REPORT_SCHEME }], {
    provideDefinition: async (doc, pos) => {
      const found = await ext.sourceOf(doc, pos);
      if (!found) return null;
      const [a, b] = found.range;
      return [{ originSelectionRange: new vscode.Range(pos.line, a, pos.line, b),
                targetUri: found.location.uri, targetRange: found.location.range }];
    },
  }));
  sub(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(ID)) { ext.settings = settings(); ext.updateStatus(); }
  }));
  sub(ext.output);
  sub(ext.diagnostics);
  sub(ext.status);
  sub({ dispose: () => ext.dispose() });
  ext.updateStatus();
  noticeOldNames();
  if (ext.settings.startLogd) ext.startLogd();
  else ext.follow(ext.settings.logDir);
  return ext;  // for the tests that run inside the extension host
}

function deactivate() {}

module.exports = { activate, deactivate };
