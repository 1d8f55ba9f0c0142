// @ts-check
// The flame chart page: speedscope's own release (dist/release/index.html of its npm package, copied
// into media/speedscope when the extension is packaged) made into a webview page. No `vscode` here.
//
// speedscope has no API for handing it a profile, but its `#localProfilePath=` start-up path (meant for
// `speedscope FILE` from a shell) defines window.speedscope.loadFileFromBase64(name, base64) before it
// adds a <script src="file:///PATH"> that would call it. So the page sets that hash before speedscope's
// bundle runs, the Content-Security-Policy refuses the file:/// script (nothing is fetched), and our
// own script hands the file the extension posts to loadFileFromBase64. Nothing comes from the network:
// scripts only from the extension's folder (or with this page's nonce), no connect-src at all.
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
    "base-uri 'self' " + cspSource,
  ].join('; ');
}

// The script that hands the posted profile to speedscope and says when it did (or could not).
const LOADER = `
  const vscodeApi = acquireVsCodeApi();
  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m || m.type !== 'profile') return;
    const started = Date.now();
    const tryLoad = () => {
      if (window.speedscope && typeof window.speedscope.loadFileFromBase64 === 'function') {
        window.speedscope.loadFileFromBase64(m.name, m.base64);
        vscodeApi.postMessage({ type: 'loaded' });
      } else if (Date.now() - started > 30000) {
        vscodeApi.postMessage({ type: 'error', message: 'speedscope did not start' });
      } else {
        setTimeout(tryLoad, 50);
      }
    };
    tryLoad();
  });
  vscodeApi.postMessage({ type: 'ready' });
`;

/**
 * speedscope's index.html with our CSP, a <base> at its folder, its start-up hash and our loader.
 * @param {string} indexHtml   speedscope's dist/release/index.html
 * @param {{base: string, cspSource: string, nonce: string}} o   base: the webview URI of its folder
 */
function flameHtml(indexHtml, { base, cspSource, nonce }) {
  if (!/<head>/i.test(indexHtml) || !/<script src="[^"]+"><\/script>/.test(indexHtml)) {
    throw new Error("speedscope's index.html has no <head> or no <script src>: not the release this extension expects");
  }
  const baseHref = base.endsWith('/') ? base : `${base}/`;
  const head = `<head>\n    <meta http-equiv="Content-Security-Policy" content="${flameCsp(cspSource, nonce)}">\n` +
    `    <base href="${baseHref}">\n` +
    `    <script nonce="${nonce}">history.replaceState(null, '', '#localProfilePath=stap-report');</script>`;
  return indexHtml
    .replace(/<head>/i, head)
    .replace(/<link rel="icon"[^>]*>\s*/g, '')
    .replace(/(<script src="[^"]+"><\/script>)/, `$1\n    <script nonce="${nonce}">${LOADER}</script>`);
}

module.exports = { flameHtml, flameCsp };
