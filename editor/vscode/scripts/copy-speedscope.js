// SPDX-License-Identifier: GPL-2.0-or-later
// vscode:prepublish: copies speedscope's built release (node_modules/speedscope/dist/release, from the
// version package-lock.json pins) into media/speedscope, which the .vsix ships; the flame chart
// webview loads it from there, never from the network. Source maps and the sample profile stay out.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const from = path.join(root, 'node_modules', 'speedscope', 'dist', 'release');
const to = path.join(root, 'media', 'speedscope');
if (!fs.existsSync(path.join(from, 'index.html'))) {
  console.error(`copy-speedscope: error: ${from}/index.html missing: run npm ci in editor/vscode`);
  process.exit(1);
}
fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(to, { recursive: true });
for (const name of fs.readdirSync(from)) {
  if (name.endsWith('.map') || name.startsWith('perf-vertx')) continue;
  fs.copyFileSync(path.join(from, name), path.join(to, name));
}
fs.copyFileSync(path.join(root, 'node_modules', 'speedscope', 'LICENSE'), path.join(to, 'LICENSE'));
console.log(`copy-speedscope: ${from} -> ${to}`);
