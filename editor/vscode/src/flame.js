// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// The flame chart / timeline of a session: stap-report --speedscope writes the session in speedscope's
// own file format (its Chrome import warns once per call: it keys frames by their args), and
// speedscope (shipped in media/speedscope, see flamehtml.js) draws it in a webview.
// The extension only runs the tool and tells the page where the file is.
'use strict';
const vscode = require('vscode');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const report = require('./report');
const { flameHtml } = require('./flamehtml');

/**
 * Opens the flame chart of `session` beside; resolves when speedscope was given the profile.
 * @param {vscode.Uri} extensionUri
 * @param {(args: string[]) => Promise<{code: number, stdout: string}>} run   runs stap-report
 * @param {string} session
 */
async function showFlameChart(extensionUri, run, session) {
  const media = vscode.Uri.joinPath(extensionUri, 'media', 'speedscope');
  let index;
  try {
    index = fs.readFileSync(path.join(media.fsPath, 'index.html'), 'utf8');
  } catch (err) {
    vscode.window.showErrorMessage(`The flame chart needs speedscope in ${media.fsPath}: ${err.message}`);
    return null;
  }
  // The export stays in a private folder the webview may read until speedscope has it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-report-speedscope-'));
  const out = path.join(dir, 'trace.json');
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  const r = await run(report.speedscopeArgs(session, out));
  if (r.code !== 0 || !fs.existsSync(out)) { cleanup(); return null; }
  const name = `${path.basename(session)}.json`;
  const panel = vscode.window.createWebviewPanel('systemtap-assistant.flame-chart', `Flame chart: ${path.basename(session)}`,
    vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [media, vscode.Uri.file(dir)], retainContextWhenHidden: true });
  const nonce = crypto.randomBytes(16).toString('base64');
  const loaded = new Promise((resolve) => {
    panel.webview.onDidReceiveMessage((m) => {
      if (m && m.type === 'ready') panel.webview.postMessage({ type: 'profile', name, url: panel.webview.asWebviewUri(vscode.Uri.file(out)).toString() });
      else if (m && m.type === 'loaded') { cleanup(); resolve(panel); }
      else if (m && m.type === 'error') { cleanup(); vscode.window.showErrorMessage(`Flame chart: ${m.message}`); resolve(null); }
    });
    panel.onDidDispose(() => { cleanup(); resolve(null); });
  });
  panel.webview.html = flameHtml(index, { base: panel.webview.asWebviewUri(media).toString(), cspSource: panel.webview.cspSource, nonce });
  return loaded;
}

module.exports = { showFlameChart };
