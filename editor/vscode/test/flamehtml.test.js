// SPDX-License-Identifier: GPL-2.0-or-later
// The flame chart page built from speedscope's index.html (the shape of its 1.25 release).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { flameHtml, flameCsp } = require('../src/flamehtml');

const INDEX = `<!DOCTYPE html>
<html>
  <head>
    <meta charset="UTF-8">
    <title>speedscope</title>
    <link rel="stylesheet" href="speedscope-GHPHNKXC.css">
    <link rel="icon" type="image/png" sizes="32x32" href="favicon-32x32-3EB2YCUY.png">
    <link rel="icon" type="image/x-icon" href="favicon-FOKUP5Y5.ico">
  </head>
  <body>
    <script src="speedscope-Y2522XSH.js"></script>
  </body>
</html>
`;
const O = { base: 'https://file+.vscode-resource.example/ext/media/speedscope', cspSource: 'https://*.vscode-resource.example', nonce: 'N0nce' };

test('the CSP allows nothing from elsewhere: scripts by nonce or from the extension, connections to its resources', () => {
  assert.strictEqual(flameCsp(O.cspSource, O.nonce),
    "default-src 'none'; script-src 'nonce-N0nce' https://*.vscode-resource.example; " +
    "style-src https://*.vscode-resource.example 'unsafe-inline'; img-src https://*.vscode-resource.example data: blob:; " +
    "font-src https://*.vscode-resource.example; connect-src https://*.vscode-resource.example; base-uri 'self' https://*.vscode-resource.example");
});

test('the page: CSP and base first, the loader after speedscope', () => {
  const html = flameHtml(INDEX, O);
  const csp = html.indexOf('http-equiv="Content-Security-Policy"');
  const base = html.indexOf(`<base href="${O.base}/">`);
  const css = html.indexOf('<link rel="stylesheet"');
  const bundle = html.indexOf('<script src="speedscope-Y2522XSH.js"></script>');
  const loader = html.indexOf("new DragEvent('drop'");
  assert.ok(csp > 0 && csp < base && base < css && css < bundle && bundle < loader, html);
  assert.strictEqual((html.match(/<script nonce="N0nce">/g) || []).length, 1);
  assert.ok(!/rel="icon"/.test(html), 'favicons dropped');
  assert.ok(!/https?:\/\/(?!file\+\.vscode-resource\.example|\*\.vscode-resource\.example)/.test(html), 'no other URL');
});

test('another shape of index.html is refused, not half-used', () => {
  assert.throws(() => flameHtml('<html><body></body></html>', O), /not the release this extension expects/);
});
