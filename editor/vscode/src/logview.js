// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// The live log document: `stap-log:/live.stap-log`, served by a small read-only file-system
// provider so it has a stable name, cannot be typed into and never asks to be saved (VS Code still
// applies an extension's WorkspaceEdits to a read-only document). The session's text is never rebuilt: new lines are
// appended at the end with one WorkspaceEdit per batch (at most one edit in flight, the rest
// coalesced), so a 100,000-line session costs what its new bytes cost. When the document is opened in
// the middle of a session, its first content is read from the session file itself (up to the lines
// already delivered), so the extension keeps no copy of the session in memory.
'use strict';
const fs = require('fs');

const SCHEME = 'stap-log';
const PATH = '/live.stap-log';

class LogView {
  constructor(vscode) {
    this.vscode = vscode;
    this.uri = vscode.Uri.from({ scheme: SCHEME, path: PATH });
    this.sessionPath = null;
    this.deliveredBytes = 0;   // bytes of the session file already handed to this view
    this.backed = false;       // the editor has read our content: appends must reach the document
    this.pending = [];
    this.flushing = null;
    this.timer = null;
    this.saveTimer = null;
    this.generation = 0;       // bumps at every session: a stale flush never writes into a new one
    this.changeEmitter = new vscode.EventEmitter();
    this.onAppended = null;    // called after each append (the colours of the visible lines)
    // Figures for the editor tier: edits applied, their longest round trip, last delivery time.
    this.stats = { readFileBytes: 0, editBytesMax: 0, edits: 0, editMsMax: 0, editMsTotal: 0, lastDeliveredAt: 0, lastAppliedAt: 0 };
  }

  // --- FileSystemProvider: the editor reads the document through these.
  get onDidChangeFile() { return this.changeEmitter.event; }
  watch() { return { dispose() {} }; }
  stat() {
    return { type: this.vscode.FileType.File, ctime: 0, mtime: 0, size: 0, permissions: undefined };
  }
  readDirectory() { return []; }
  createDirectory() {}
  readFile() {
    this.backed = true;
    this.pending = [];
    if (!this.sessionPath || this.deliveredBytes === 0) return new Uint8Array(0);
    const fd = fs.openSync(this.sessionPath, 'r');
    try {
      const buf = Buffer.alloc(this.deliveredBytes);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      this.stats.readFileBytes = n;
      return buf.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
  }
  writeFile() { /* saving only clears the dirty mark: the session file is the truth */ }
  delete() {}
  rename() {}

  // --- the follower's listener
  session({ path }) {
    this.sessionPath = path;
    this.deliveredBytes = 0;
    this.pending = [];
    this.generation++;
    const doc = this.document();
    if (doc && doc.getText().length > 0) this.pending.push({ reset: true });
    this.schedule();
  }

  lines(text) {
    this.deliveredBytes += Buffer.byteLength(text);
    this.stats.lastDeliveredAt = Date.now();
    if (!this.backed) return;
    this.pending.push(text);
    this.schedule();
  }

  // --- the document
  document() {
    const want = this.uri.toString();
    return this.vscode.workspace.textDocuments.find((d) => d.uri.toString() === want);
  }

  closed(doc) {
    if (doc.uri.toString() !== this.uri.toString()) return;
    this.backed = false;
    this.pending = [];
  }

  async show(preserveFocus = true) {
    const doc = await this.vscode.workspace.openTextDocument(this.uri);
    await this.vscode.window.showTextDocument(doc, { preview: false, preserveFocus });
    this.schedule();
    return doc;
  }

  schedule() {
    if (this.timer || this.flushing || this.disposed) return;
    this.timer = setTimeout(() => { this.timer = null; this.flush(); }, 30);
  }

  // Applies what is pending as one edit; returns when the document has it.
  async flush() {
    if (this.flushing) return this.flushing;
    const doc = this.document();
    if (!doc || this.pending.length === 0) return undefined;
    this.flushing = this._apply(doc).finally(() => {
      this.flushing = null;
      if (this.pending.length) this.schedule();
    });
    return this.flushing;
  }

  async _apply(doc) {
    const { Range, Position, WorkspaceEdit } = this.vscode;
    const taken = this.pending;
    this.pending = [];
    const generation = this.generation;
    let parts = taken;
    const r = parts.map((p) => typeof p === 'object').lastIndexOf(true);
    const reset = r !== -1;
    if (reset) parts = parts.slice(r + 1);
    const text = parts.join('');
    const edit = new WorkspaceEdit();
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    if (reset) edit.replace(this.uri, new Range(new Position(0, 0), end), text);
    else if (text) edit.insert(this.uri, end, text);
    else return;
    const t0 = Date.now();
    let applied = false;
    try {
      applied = await this.vscode.workspace.applyEdit(edit);
    } catch (err) {
      this.stats.lastError = String(err);
    }
    if (!applied) {
      // Refused (the document changed under the edit): put the text back, in order, and retry.
      this.stats.refused = (this.stats.refused || 0) + 1;
      if (generation === this.generation) this.pending = [...taken, ...this.pending];
      return;
    }
    const ms = Date.now() - t0;
    this.stats.edits++;
    this.stats.editBytesMax = Math.max(this.stats.editBytesMax, text.length);
    this.stats.editMsTotal += ms;
    this.stats.editMsMax = Math.max(this.stats.editMsMax, ms);
    this.stats.lastAppliedAt = Date.now();
    if (this.onAppended) this.onAppended();
    this.scheduleSave(doc);
  }

  // Appending marks the document modified; a quiet save (a no-op for the provider) clears it so
  // closing the log never asks to save.
  scheduleSave(doc) {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.disposed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      if (doc.isDirty && !this.flushing && this.pending.length === 0) doc.save().then(undefined, () => {});
    }, 1000);
  }

  dispose() {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.saveTimer) clearTimeout(this.saveTimer);
  }
}

module.exports = { LogView, SCHEME, PATH };
