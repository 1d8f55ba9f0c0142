// SPDX-License-Identifier: GPL-2.0-or-later
// A small fake of the `vscode` module: just what extension.js and logview.js use, recording what
// they do, so activate() is tested without an editor. Documents are plain strings.
'use strict';
const path = require('path');

class Uri {
  constructor(scheme, p) { this.scheme = scheme; this.path = p; }
  static file(p) { return new Uri('file', path.resolve(p)); }
  static from({ scheme, path: p }) { return new Uri(scheme, p); }
  get fsPath() { return this.path; }
  toString() { return `${this.scheme}:${this.path}`; }
}
class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range {
  constructor(a, b, c, d) {
    if (a instanceof Position) { this.start = a; this.end = b; } else { this.start = new Position(a, b); this.end = new Position(c, d); }
  }
}
class Location { constructor(uri, pos) { this.uri = uri; this.range = new Range(pos, pos); } }
class Diagnostic { constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; } }
class ThemeColor { constructor(id) { this.id = id; } }
class EventEmitter { constructor() { this.event = () => ({ dispose() {} }); } fire() {} }
class TreeItem { constructor(label, collapsibleState) { this.label = label; this.collapsibleState = collapsibleState; } }
class CodeLens { constructor(range, command) { this.range = range; this.command = command; } }
class Selection extends Range {}
class WorkspaceEdit {
  constructor() { this.ops = []; }
  insert(uri, pos, text) { this.ops.push({ uri, pos, text }); }
  replace(uri, range, text) { this.ops.push({ uri, range, text }); }
}

class Doc {
  constructor(uri, text) { this.uri = uri; this.text = text; this.isDirty = false; this.saves = 0; }
  getText() { return this.text; }
  get lines() { return this.text.split('\n'); }
  get lineCount() { return this.lines.length; }
  lineAt(i) {
    const text = this.lines[i];
    return { text, range: new Range(i, 0, i, text.length) };
  }
  async save() { this.isDirty = false; this.saves++; return true; }
}

function create({ config = {}, folder = '/ws' } = {}) {
  const rec = { commands: new Map(), errors: [], infos: [], warnings: [], shown: [], trees: new Map(), contentProviders: new Map(), diagnostics: new Map(), fsProviders: new Map(),
                definition: null, docs: [], statusMessages: [], quickPicks: [] };
  const vscode = {
    Uri, Position, Range, Location, Diagnostic, EventEmitter, WorkspaceEdit, ThemeColor, TreeItem, CodeLens, Selection,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 }, ViewColumn: { Active: -1, Beside: -2 },
    TextEditorRevealType: { InCenter: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2 },
    StatusBarAlignment: { Left: 1 }, FileType: { File: 1 },
    window: {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      createTextEditorDecorationType: (style) => ({ style, dispose() {} }),
      onDidChangeTextEditorVisibleRanges: (fn) => { rec.onVisibleRanges = fn; return { dispose() {} }; },
      onDidChangeVisibleTextEditors: () => ({ dispose() {} }),
      createOutputChannel: () => ({ lines: [], append(t) { this.lines.push(t); }, appendLine(t) { this.lines.push(t + '\n'); }, dispose() {} }),
      createStatusBarItem: () => (rec.status = { text: '', show() {}, dispose() {} }),
      showErrorMessage: (m) => { rec.errors.push(m); },
      showInformationMessage: (m) => { rec.infos.push(m); },
      showWarningMessage: (m) => { rec.warnings.push(m); },
      setStatusBarMessage: (m) => { rec.statusMessages.push(m); },
      showQuickPick: async (items) => { rec.quickPicks.push(items); return items[0]; },
      showTextDocument: async (doc, opts) => { rec.shown.push({ uri: doc.uri.toString(), opts }); return { document: doc, selection: null, revealRange() {} }; },
      createTreeView: (id, opts) => { rec.trees.set(id, opts.treeDataProvider); return { dispose() {} }; },
    },
    workspace: {
      workspaceFolders: folder ? [{ uri: Uri.file(folder) }] : undefined,
      textDocuments: rec.docs,
      getConfiguration: () => ({ inspect: (n) => (n in config ? { globalValue: config[n] } : {}) }),
      registerFileSystemProvider: (scheme, p, options) => { rec.fsProviders.set(scheme, p); rec.fsOptions = options; return { dispose() {} }; },
      onDidCloseTextDocument: () => ({ dispose() {} }),
      registerTextDocumentContentProvider: (scheme, p) => { rec.contentProviders.set(scheme, p); return { dispose() {} }; },
      onDidChangeConfiguration: () => ({ dispose() {} }),
      openTextDocument: async (uri) => {
        let d = rec.docs.find((x) => x.uri.toString() === uri.toString());
        if (d) return d;
        const p = rec.fsProviders.get(uri.scheme);
        const c = rec.contentProviders.get(uri.scheme);
        const text = p ? Buffer.from(await p.readFile(uri)).toString()
          : c ? c.provideTextDocumentContent(uri) : require('fs').readFileSync(uri.fsPath, 'utf8');
        d = new Doc(uri, text);
        rec.docs.push(d);
        return d;
      },
      applyEdit: async (edit) => {
        for (const op of edit.ops) {
          const d = rec.docs.find((x) => x.uri.toString() === op.uri.toString());
          if (op.range) d.text = op.text;  // the extension only ever replaces everything
          else {
            const lines = d.lines;
            assert(op.pos.line === lines.length - 1 && op.pos.character === lines[lines.length - 1].length, 'inserts only at the end');
            d.text += op.text;
          }
          d.isDirty = true;
        }
        return true;
      },
    },
    languages: {
      createDiagnosticCollection: () => ({ clear() { rec.diagnostics.clear(); }, set(uri, list) { rec.diagnostics.set(uri.fsPath, list); }, dispose() {} }),
      registerDefinitionProvider: (sel, p) => { rec.definition = p; return { dispose() {} }; },
      registerCodeLensProvider: (sel, p) => { rec.codeLens = p; return { dispose() {} }; },
      setTextDocumentLanguage: async (doc, id) => { doc.languageId = id; return doc; },
    },
    commands: {
      registerCommand: (name, fn) => { rec.commands.set(name, fn); return { dispose() {} }; },
      executeCommand: async () => [],
    },
    tasks: { fetchTasks: async () => rec.tasks || [], executeTask: async (t) => { rec.ranTask = t.name; } },
  };
  function assert(c, m) { if (!c) throw new Error(m); }
  return { vscode, rec, Doc };
}

// Makes require('vscode') return `vscode` while fn runs the extension's modules fresh.
function loadExtension(vscode) {
  const Module = require('module');
  const orig = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return vscode;
    return orig.call(this, request, ...rest);
  };
  try {
    for (const k of Object.keys(require.cache)) if (k.includes(`${path.sep}src${path.sep}`)) delete require.cache[k];
    return require('../src/extension');
  } finally {
    Module._load = orig;
  }
}

module.exports = { create, loadExtension, Uri, Position };
