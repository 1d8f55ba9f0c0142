// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// The Sessions view (activity bar) and the answers about a session, all from stap-report: the
// session files of stap-logd's folder (live one first); expanded, a session shows stap-report
// --json's summary (lines, lost, threads, then per function calls, errors, p50/p99); First error
// (command and code lens) runs --errors; Compare runs --diff. The tools' text is shown in read-only
// documents of the `stap-report` scheme, where `FUNC@FILE:LINE` links to the source.
'use strict';
const vscode = require('vscode');
const os = require('os');
const path = require('path');
const report = require('./report');
const { runTool } = require('./proc');

const REPORT_SCHEME = 'stap-report';

class SessionsView {
  /** @param {() => {reportPath: string, logDir: string, kernelTree: string}} settings
      @param {vscode.OutputChannel} output */
  constructor(settings, output) {
    this.settings = settings;
    this.output = output;
    this.changed = new vscode.EventEmitter();
    this.onDidChangeTreeData = this.changed.event;
    this.docs = new Map();            // stap-report document path -> text
    this.docChanged = new vscode.EventEmitter();
    this.onDidChange = this.docChanged.event;
    this.summaries = new Map();       // session file -> {size, summary}
    this.errorsCache = new Map();     // session file -> {size, origins}
    this.seq = 0;
  }

  refresh() { this.changed.fire(undefined); }

  // --- running stap-report
  /** @param {string[]} args */
  async run(args) {
    const s = this.settings();
    this.output.appendLine(`$ ${[s.reportPath, ...args].join(' ')}`);
    const r = await runTool(s.reportPath, args, { cwd: s.kernelTree });
    if (r.stderr) this.output.append(r.stderr);
    if (r.code === -1) {
      vscode.window.showErrorMessage(`Cannot run ${s.reportPath}: ${r.error && r.error.message}. ` +
        'Set systemtap-assistant.reportPath.');
    } else if (r.code !== 0) {
      vscode.window.showErrorMessage(r.stderr.split('\n')[0] || `stap-report failed (exit ${r.code})`);
    }
    return r;
  }

  /** @param {string} file */
  async summary(file) {
    const size = fileSize(file);
    const c = this.summaries.get(file);
    if (c && c.size === size) return c.summary;
    const r = await this.run(report.summaryArgs(file));
    if (r.code !== 0) return null;
    const summary = report.parseSummary(r.stdout);
    this.summaries.set(file, { size, summary });
    return summary;
  }

  /** @param {string} file */
  async errors(file) {
    const size = fileSize(file);
    const c = this.errorsCache.get(file);
    if (c && c.size === size) return c;
    const r = await this.run(report.errorsArgs(file));
    if (r.code !== 0) return null;
    const e = { size, origins: report.parseErrors(r.stdout), text: r.stdout };
    this.errorsCache.set(file, e);
    return e;
  }

  // --- the tree
  /** @param {any} el */
  getTreeItem(el) { return el.item; }

  /** @param {any} [el] */
  async getChildren(el) {
    if (!el) {
      return report.listSessions(this.settings().logDir).map((s) => {
        const item = new vscode.TreeItem(`${s.sender} · ${s.start}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${s.live ? 'live · ' : ''}${formatSize(s.size)}`;
        item.tooltip = s.file;
        item.contextValue = 'session';
        item.resourceUri = vscode.Uri.file(s.file);
        item.command = { command: 'systemtap-assistant.open-session', title: 'Open', arguments: [s.file] };
        return { kind: 'session', file: s.file, item };
      });
    }
    if (el.kind !== 'session') return [];
    const sum = await this.summary(el.file);
    if (!sum) return [];
    const head = new vscode.TreeItem(`lines ${sum.session.lines} · lost ${sum.session.lost} · threads ${sum.session.threads}`);
    const errorCount = sum.functions.reduce((n, f) => n + f.errors, 0);
    head.description = `${errorCount} errors`;
    const rows = [{ kind: 'head', item: head }];
    for (const f of sum.functions) {
      const item = new vscode.TreeItem(f.function);
      item.description = report.functionDescription(f);
      item.contextValue = 'function';
      item.command = { command: 'systemtap-assistant.open-function', title: 'Open source', arguments: [f.function, el.file] };
      rows.push({ kind: 'function', function: f.function, item });
    }
    return rows;
  }

  // --- documents with the tools' text
  /** @param {vscode.Uri} uri */
  provideTextDocumentContent(uri) { return this.docs.get(uri.path) || ''; }

  /** @param {string} title @param {string} text */
  async showText(title, text, column = vscode.ViewColumn.Active) {
    const p = `/${++this.seq}/${title}`;
    this.docs.set(p, text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: REPORT_SCHEME, path: p }));
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
  }

  // --- commands
  /** @param {string} [file] */
  sessionOf(file) {
    if (typeof file === 'string') return file;
    const ed = vscode.window.activeTextEditor;
    if (ed && ed.document.uri.scheme === 'file' && ed.document.uri.fsPath.endsWith('.log')) return ed.document.uri.fsPath;
    const live = report.listSessions(this.settings().logDir).find((s) => s.live);
    return live ? live.file : undefined;
  }

  /** @param {string} file */
  async openSession(file) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const shown = await vscode.languages.setTextDocumentLanguage(doc, 'stap-log');
    return vscode.window.showTextDocument(shown, { preview: false });
  }

  // The first error of a session: stap-report --errors beside, the origin's source opened at its
  // line, the session at the origin's first line.
  /** @param {string} [arg] */
  async firstError(arg) {
    const file = this.sessionOf(arg);
    if (!file) { vscode.window.showErrorMessage('No session: open a session file or start one'); return null; }
    const e = await this.errors(file);
    if (!e) return null;
    await this.showText(`errors of ${path.basename(file)}`, e.text, vscode.ViewColumn.Beside);
    const o = e.origins[0];
    if (!o) { vscode.window.showInformationMessage(`No error returned in ${path.basename(file)}`); return { origins: [] }; }
    const ed = await this.openSession(file);
    if (o.sessionLine > 0) {
      const r = new vscode.Range(o.sessionLine - 1, 0, o.sessionLine - 1, 0);
      ed.selection = new vscode.Selection(r.start, r.start);
      ed.revealRange(r, vscode.TextEditorRevealType.InCenter);
    }
    await this.openSource(o.file, o.line, vscode.ViewColumn.Beside);
    return { origins: e.origins };
  }

  /** @param {string} file @param {number} line */
  async openSource(file, line, column = vscode.ViewColumn.Active) {
    const tree = this.settings().kernelTree;
    const abs = path.isAbsolute(file) ? file : path.join(tree, file);
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs));
      return await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: column, preview: false });
    } catch (err) {
      vscode.window.showWarningMessage(`Cannot open ${abs}: ${err && /** @type {Error} */ (err).message}`);
      return undefined;
    }
  }

  // A function of the summary: its call line in the session names its @FILE:LINE.
  /** @param {string} func @param {string} file */
  async openFunction(func, file) {
    const { findCallSiteInFile } = require('./logline');
    const where = findCallSiteInFile(func, file);
    if (where) return this.openSource(where.file, where.line);
    vscode.window.showInformationMessage(`No call line with a source location for ${func}`);
    return undefined;
  }

  /** A session file in `column`, at 1-based `line` (its last line when none). @param {string} file
      @param {number | null} line @param {vscode.ViewColumn} column */
  async openSessionAt(file, line, column) {
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), 'stap-log');
    const at = Math.max(0, Math.min(doc.lineCount - 1, (line || doc.lineCount) - 1));
    const range = new vscode.Range(at, 0, at, doc.lineAt(at).text.length);
    const ed = await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, selection: range });
    ed.revealRange(range, vscode.TextEditorRevealType.InCenter);
    return ed;
  }

  // Compare two sessions: stap-report --diff OLD NEW, its first divergence opened side by side.
  /** @param {string} [older] @param {string} [newer] */
  async compare(older, newer) {
    if (!older || !newer) {
      const all = report.listSessions(this.settings().logDir);
      const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: `${s.sender} · ${s.start}`, description: s.live ? 'live' : '', file: s.file })),
        { canPickMany: true, placeHolder: 'Two sessions to compare (older first)' });
      if (!pick || pick.length !== 2) return null;
      [older, newer] = pick.map((p) => p.file).sort();
    }
    const r = await this.run(report.diffArgs(older, newer));
    if (r.code !== 0 && !r.stdout) return r;
    // The first divergence side by side: the old session in the first column, the new one in the
    // second, each at its line (at its end when it has no more calls there); the tool's text third.
    const divergences = report.parseDivergences(r.stdout, older, newer);
    const first = divergences[0];
    if (first) {
      await this.openSessionAt(older, first.old && first.old.line, vscode.ViewColumn.One);
      await this.openSessionAt(newer, first.new && first.new.line, vscode.ViewColumn.Two);
    }
    await this.showText(`${path.basename(older)} vs ${path.basename(newer)}`, r.stdout,
      first ? vscode.ViewColumn.Three : vscode.ViewColumn.Beside);
    if (!first) vscode.window.showInformationMessage('stap-report --diff: no process differs in its calls and returns');
    return { ...r, divergences };
  }

  // Code lens on a session file: at the first line of each error origin, the origin and its chain.
  /** @param {vscode.TextDocument} doc */
  async provideCodeLenses(doc) {
    if (doc.uri.scheme !== 'file') return [];
    const e = await this.errors(doc.uri.fsPath);
    if (!e) return [];
    return e.origins.filter((o) => o.sessionLine > 0 && o.sessionLine <= doc.lineCount).map((o, i) => {
      const r = new vscode.Range(o.sessionLine - 1, 0, o.sessionLine - 1, 0);
      return new vscode.CodeLens(r, {
        title: `${i === 0 ? 'First error' : 'Error'}: ${o.function} ${o.what}${o.chains[0] ? ` · ${o.chains[0]}` : ''}`,
        command: 'systemtap-assistant.open-location', arguments: [o.file, o.line],
      });
    });
  }
}

/** @param {string} f */
function fileSize(f) {
  try { return require('fs').statSync(f).size; } catch (_) { return -1; }
}

/** @param {number} n */
function formatSize(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

module.exports = { SessionsView, REPORT_SCHEME, tmpChrome: () => path.join(os.tmpdir(), `stap-report-${process.pid}.json`) };
