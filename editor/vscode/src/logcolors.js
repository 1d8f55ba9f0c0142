// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Colours the lines of the live log that are on screen, with decorations: the time, the task, the
// mark (call, return, line, message), the function and its @file:line, stap-logd's notes, and the
// values as share/log-format.md spells them (strings, pointers, user pointers, NULL, errnos, `?`). Only the
// visible lines (and a margin) are computed, on scroll and at most every 200 ms while lines arrive,
// so the cost does not grow with the session.
'use strict';
const vscode = require('vscode');
const { colorSpans } = require('./logline');

const STYLES = {
  time: { color: new vscode.ThemeColor('descriptionForeground') },
  task: { color: new vscode.ThemeColor('symbolIcon.variableForeground') },
  call: { color: new vscode.ThemeColor('charts.green'), fontWeight: 'bold' },
  return: { color: new vscode.ThemeColor('charts.blue'), fontWeight: 'bold' },
  line: { color: new vscode.ThemeColor('charts.yellow'), fontWeight: 'bold' },
  message: { color: new vscode.ThemeColor('charts.red'), fontWeight: 'bold' },
  function: { color: new vscode.ThemeColor('symbolIcon.functionForeground') },
  where: { color: new vscode.ThemeColor('textLink.foreground') },
  note: { color: new vscode.ThemeColor('descriptionForeground'), fontStyle: 'italic' },
  // Values, as share/log-format.md spells them.
  string: { color: new vscode.ThemeColor('debugTokenExpression.string') },
  pointer: { color: new vscode.ThemeColor('debugTokenExpression.number') },
  user: { color: new vscode.ThemeColor('charts.purple') },
  null: { color: new vscode.ThemeColor('charts.orange') },
  errno: { color: new vscode.ThemeColor('errorForeground'), fontWeight: 'bold' },
  unknown: { color: new vscode.ThemeColor('disabledForeground') },
};
const MARGIN = 50;

class LogColors {
  constructor(scheme) {
    this.vscode = vscode;
    this.scheme = scheme;
    this.types = Object.fromEntries(Object.entries(STYLES).map(([k, v]) => [k, vscode.window.createTextEditorDecorationType(v)]));
    this.timer = null;
  }

  editors() {
    return this.vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === this.scheme);
  }

  // After appends: at most every 200 ms.
  soon() {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; this.paint(); }, 200);
  }

  paint(editors = this.editors()) {
    const { Range } = this.vscode;
    for (const ed of editors) {
      const doc = ed.document;
      const byKind = Object.fromEntries(Object.keys(STYLES).map((k) => [k, []]));
      for (const vr of ed.visibleRanges) {
        const first = Math.max(0, vr.start.line - MARGIN);
        const last = Math.min(doc.lineCount - 1, vr.end.line + MARGIN);
        for (let i = first; i <= last; i++) {
          for (const [kind, a, b] of colorSpans(doc.lineAt(i).text)) byKind[kind].push(new Range(i, a, i, b));
        }
      }
      for (const [kind, ranges] of Object.entries(byKind)) ed.setDecorations(this.types[kind], ranges);
    }
  }

  dispose() {
    if (this.timer) clearTimeout(this.timer);
    for (const t of Object.values(this.types)) t.dispose();
  }
}

module.exports = { LogColors };
