// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// The flame chart page: speedscope's own release (dist/release/index.html of its npm package, copied
// into media/speedscope when the extension is packaged) made into a webview page. No `vscode` here.
//
// speedscope has no API for handing it a profile; what it offers a user is dropping a file on its
// page. So our own script fetches the file stap-report wrote (a webview resource URI the extension
// posts: the bytes never pass through the extension host, which a 100,000-line session's export
// would grow by ~200 MB), makes it a File and drops it on the landing page (the element holding its
// "Browse" file input), exactly as a user's drag and drop would, and reports `loaded` once the landing
// page is gone. Nothing comes from the network: scripts only from the extension's folder (or with
// this page's nonce), connections only to the webview's own resources.
'use strict';

/** The Content-Security-Policy of the page. @param {string} cspSource @param {string} nonce */
function flameCsp(cspSource, nonce) {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${cspSource}`,
    // speedscope's styles are injected at run time as <style> elements (aphrodite).
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource}`,
    "base-uri 'self' " + cspSource,
  ].join('; ');
}

// The script that hands the posted profile to speedscope and says when it did (or could not).
const LOADER = `
  const vscodeApi = acquireVsCodeApi();
  const landing = () => document.querySelector('input[type=file]');
  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m || m.type !== 'profile') return;
    const started = Date.now();
    let file = null;
    let dropped = false;
    fetch(m.url).then((r) => {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.blob();
    }).then((b) => { file = new File([b], m.name, { type: 'application/json' }); },
      (e) => vscodeApi.postMessage({ type: 'error', message: 'cannot read the export: ' + e.message }));
    const step = () => {
      const input = landing();
      if (!dropped && input && file) {
        const dt = new DataTransfer();
        dt.items.add(file);
        input.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
        dropped = true;
      } else if (dropped && !input) {
        vscodeApi.postMessage({ type: 'loaded' });
        return;
      }
      if (Date.now() - started > 120000) {
        vscodeApi.postMessage({ type: 'error', message: dropped ? 'speedscope did not show the profile' : 'speedscope did not start' });
        return;
      }
      setTimeout(step, 50);
    };
    step();
  });
  vscodeApi.postMessage({ type: 'ready' });
`;

/**
 * speedscope's index.html with our CSP, a <base> at its folder and our loader.
 * @param {string} indexHtml   speedscope's dist/release/index.html
 * @param {{base: string, cspSource: string, nonce: string}} o   base: the webview URI of its folder
 */
function flameHtml(indexHtml, { base, cspSource, nonce }) {
  if (!/<head>/i.test(indexHtml) || !/<script src="[^"]+"><\/script>/.test(indexHtml)) {
    throw new Error("speedscope's index.html has no <head> or no <script src>: not the release this extension expects");
  }
  const baseHref = base.endsWith('/') ? base : `${base}/`;
  const head = `<head>\n    <meta http-equiv="Content-Security-Policy" content="${flameCsp(cspSource, nonce)}">\n` +
    `    <base href="${baseHref}">`;
  return indexHtml
    .replace(/<head>/i, head)
    .replace(/<link rel="icon"[^>]*>\s*/g, '')
    .replace(/(<script src="[^"]+"><\/script>)/, `$1\n    <script nonce="${nonce}">${LOADER}</script>`);
}

module.exports = { flameHtml, flameCsp };
