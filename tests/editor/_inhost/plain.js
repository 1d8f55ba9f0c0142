// SPDX-License-Identifier: GPL-2.0-or-later
// Runs inside code-server's extension host for a window on a folder that is neither a kernel tree
// nor holds a tracer script (tests/editor/code_server.sh opens it before the kernel tree's window):
// the extension, activated, must start no stap-logd: nothing listens on the configured UDP port
// (/proc/net/udp and udp6), the status bar says so. Results go to plain-results.json beside config.json.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const env = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function udpPortsBound() {
  const ports = new Set();
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    let text = '';
    try { text = fs.readFileSync(f, 'utf8'); } catch (_) { continue; }
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      if (local) ports.add(parseInt(local.split(':').pop(), 16));
    }
  }
  return ports;
}

exports.run = async function run() {
  const out = { folder: vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0].uri.fsPath };
  try {
    const ext = vscode.extensions.getExtension('stap-assistant.systemtap-assistant');
    const api = ext.isActive ? ext.exports : await ext.activate();
    await sleep(1500);  // time for a stap-logd to start, were one started
    Object.assign(out, { logdState: api.logdState, statusText: api.status.text, child: Boolean(api.logd),
                         portBound: udpPortsBound().has(env.port) });
    out.ok = out.logdState === 'off' && !out.child && !out.portBound;
  } catch (err) {
    out.ok = false;
    out.error = String(err && err.stack || err);
  }
  fs.writeFileSync(path.join(path.dirname(env.results), 'plain-results.json'), JSON.stringify(out, null, 2));
  if (!out.ok) throw new Error(JSON.stringify(out));
};
