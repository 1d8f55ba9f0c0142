// SPDX-License-Identifier: GPL-2.0-or-later
// Drives code-server with Debian's chromium through playwright-core for tests/editor/code_server.sh:
// installs the .vsix, starts code-server on loopback, opens the workspace with an extensionTestsPath
// payload (the in-host half is _inhost/index.js), right-clicks "Trace this function's entries and
// exits" in the editor when the in-host half asks for it, reads the flame chart webview's page, saves
// screenshots, and returns the in-host
// exit code. Configuration comes as one JSON file (argv[2]); everything is logged to stderr.
'use strict';
const { chromium } = require('playwright-core');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const log = (...a) => console.error(`[driver ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.now();

async function until(what, fn, timeoutMs, everyMs = 100) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

function codeServerEnv() {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(cfg.dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(cfg.dir, 'xdg-data'),
    // The marketplace is unreachable here: point the gallery at loopback so nothing tries it.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
}

const common = () => ['--extensions-dir', path.join(cfg.dir, 'extensions'), '--user-data-dir', path.join(cfg.dir, 'data')];

function installVsix() {
  const out = execFileSync(cfg.codeServer, [...common(), '--install-extension', cfg.vsix],
                           { env: codeServerEnv(), encoding: 'utf8', timeout: 120000 });
  log('install:', out.trim().split('\n').pop());
}

function startCodeServer() {
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${cfg.port}`, '--disable-telemetry',
                '--disable-update-check', '--disable-workspace-trust', ...common(), cfg.workspace];
  const out = fs.openSync(path.join(cfg.dir, 'code-server.log'), 'w');
  const child = spawn(cfg.codeServer, args, { env: codeServerEnv(), stdio: ['ignore', out, out], detached: true });
  fs.writeFileSync(path.join(cfg.dir, 'code-server.pid'), String(child.pid));
  return child;
}

function stopCodeServer(child) {
  try { process.kill(-child.pid, 'SIGTERM'); } catch (_) { /* gone */ }
}

// The in-host half asks for a right-click by writing ui-ready-N ({text, item}: the line to click and
// the menu item to choose) and waits for ui-done-N.
async function rightClick(page, n) {
  const ready = path.join(cfg.dir, `ui-ready-${n}`);
  const ask = JSON.parse(await until(`ui-ready-${n} from the extension host`,
    () => fs.existsSync(ready) && fs.readFileSync(ready, 'utf8'), 120000));
  log(`right-click ${n} on:`, JSON.stringify(ask.text), '->', ask.item);
  const before = fs.existsSync(cfg.script) ? fs.readFileSync(cfg.script, 'utf8') : '';
  const line = page.locator('.editor-group-container.active .view-lines .view-line', { hasText: ask.text.trim() }).first();
  await line.waitFor({ timeout: 30000 });
  await line.click({ button: 'right' });
  const item = page.getByRole('menuitem', { name: ask.item });
  await item.waitFor({ timeout: 30000 });
  await page.screenshot({ path: path.join(cfg.out, n === 1 ? 'editor-context-menu.png' : `editor-context-menu-${n}.png`) });
  await item.click();
  await until('the tracer script to change', () => {
    const now = fs.existsSync(cfg.script) ? fs.readFileSync(cfg.script, 'utf8') : '';
    return now !== before;
  }, 60000);
  await sleep(500);  // let a diagnostic or notification render for the record
  fs.writeFileSync(path.join(cfg.dir, `ui-done-${n}`), '');
  log('the script changed');
}

// The flame chart: once the in-host half has opened it (flame-ready), find speedscope's page among the
// webview frames, switch it to its Sandwich view (a DOM table of functions; the flame views are WebGL
// canvases) and write the names it shows, with the page's CSP, to flame-dom.json.
async function flameChart(page) {
  await until('flame-ready from the extension host', () => fs.existsSync(path.join(cfg.dir, 'flame-ready')), cfg.timeoutMs, 250);
  const dom = { names: [], title: null, csp: null, error: null };
  try {
    const frame = await until('the speedscope webview frame', async () => {
      for (const f of page.frames()) {
        const t = await f.evaluate(() => document.title).catch(() => '');
        if (/(^| - )speedscope$/.test(t)) return f;  // 'speedscope', then 'NAME - speedscope'
      }
      return null;
    }, 60000, 250);
    dom.csp = await frame.evaluate(() => {
      const m = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return m && m.getAttribute('content');
    });
    await sleep(1000);
    await page.screenshot({ path: path.join(cfg.out, 'editor-flame-chart.png') });
    await frame.getByText('Sandwich', { exact: false }).first().click({ timeout: 30000 });
    const expected = JSON.parse(fs.readFileSync(path.join(cfg.dir, 'flame-ready'), 'utf8')).expected;
    await until('function names in the Sandwich table', async () => {
      const text = await frame.evaluate(() => document.body.innerText);
      dom.names = [...new Set(text.split(/\s+/).filter((w) => /^[A-Za-z_][A-Za-z0-9_.]*$/.test(w)))];
      return expected.every((n) => dom.names.includes(n));
    }, 30000, 250).catch(() => {});
    dom.title = await frame.evaluate(() => document.title);
    await page.screenshot({ path: path.join(cfg.out, 'editor-flame-chart-sandwich.png') });
  } catch (e) {
    dom.error = String(e && e.message || e);
  }
  fs.writeFileSync(path.join(cfg.dir, 'flame-dom.json'), JSON.stringify(dom));
  log('flame chart: names read from the webview:', dom.names.join(' '), dom.error || '');
}

// The flame chart of the 100,000-line session: once the in-host half has measured it (flame-big-ready),
// wait until speedscope's page shows it (its title names the export), then say how long it took
// (flame-big-done), so the window exits only after the page is done with it.
async function bigFlameChart(page) {
  const ready = path.join(cfg.dir, 'flame-big-ready');
  const { title } = JSON.parse(await until('flame-big-ready from the extension host',
    () => fs.existsSync(ready) && fs.readFileSync(ready, 'utf8'), cfg.timeoutMs, 250));
  const t0 = Date.now();
  await until(`speedscope's page titled '${title}'`, async () => {
    for (const f of page.frames()) {
      if (await f.evaluate(() => document.title).catch(() => '') === title) return true;
    }
    return false;
  }, cfg.timeoutMs, 500);
  const seconds = (Date.now() - t0) / 1000;
  log(`flame chart of the 100,000-line session: shown by speedscope ${seconds.toFixed(1)} s after the command`);
  fs.writeFileSync(path.join(cfg.dir, 'flame-big-done'), JSON.stringify({ seconds }));
}

async function screenshotLog(page) {
  await until('log-shown from the extension host', () => fs.existsSync(path.join(cfg.dir, 'log-shown')), cfg.timeoutMs);
  await sleep(1000);
  await page.screenshot({ path: path.join(cfg.out, 'editor-tier.png') });
  fs.writeFileSync(path.join(cfg.dir, 'shot-done'), '');
  log('screenshot saved:', path.join(cfg.out, 'editor-tier.png'));
}

// A window on a folder without a kernel tree or tracer script, alone first: the in-host half
// (_inhost/plain.js) checks that no stap-logd listens.
async function plainWindow(context) {
  const page = await context.newPage();
  let exitCode;
  await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; });
  const remote = (p) => `vscode-remote://127.0.0.1:${cfg.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(cfg.inhost)],
                   ['extensionTestsPath', remote(path.join(cfg.inhost, 'plain.js'))]];
  await page.goto(`http://127.0.0.1:${cfg.port}/?folder=${encodeURIComponent(cfg.plain)}` +
                  `&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await until('the plain window\'s codeAutomationExit', () => exitCode !== undefined, 120000);
  log('plain window: in-host exit', exitCode, fs.readFileSync(path.join(cfg.out, 'plain-results.json'), 'utf8'));
  await page.close();
  if (exitCode !== 0) throw new Error('a window without a kernel tree started stap-logd (or failed)');
}

async function main() {
  installVsix();
  const server = startCodeServer();
  let context;
  try {
    await until('code-server /healthz', () => healthy(cfg.port), 60000, 250);
    log('code-server is up on port', cfg.port);
    context = await chromium.launchPersistentContext(path.join(cfg.dir, 'chromium'), {
      executablePath: '/usr/bin/chromium', viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await plainWindow(context);
    const page = context.pages()[0] || await context.newPage();
    // The workbench's console, for a run that fails or hangs: browser-console.log beside the screenshots.
    const consoleLog = fs.openSync(path.join(cfg.out, 'browser-console.log'), 'w');
    page.on('console', (m) => fs.writeSync(consoleLog, `[${((Date.now() - T0) / 1000).toFixed(1)}s] ${m.type()}: ${m.text()}\n`));
    page.on('pageerror', (e) => fs.writeSync(consoleLog, `[${((Date.now() - T0) / 1000).toFixed(1)}s] pageerror: ${e}\n`));
    let exitCode;
    await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; });
    const remote = (p) => `vscode-remote://127.0.0.1:${cfg.port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(cfg.inhost)],
                     ['extensionTestsPath', remote(path.join(cfg.inhost, 'index.js'))]];
    const url = `http://127.0.0.1:${cfg.port}/?folder=${encodeURIComponent(cfg.workspace)}` +
                `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const failed = () => {
      try {
        return JSON.parse(fs.readFileSync(cfg.results, 'utf8')).ok === false;
      } catch (_) {
        return false;  // not written yet
      }
    };
    await Promise.race([
      (async () => {
        await rightClick(page, 1); await rightClick(page, 2); await screenshotLog(page); await flameChart(page);
        await bigFlameChart(page);
      })(),
      until('no failure in the extension host', () => failed() && Promise.reject(new Error('in-host test failed')), 2 * cfg.timeoutMs, 500),
    ]).catch(async (e) => {
      await page.screenshot({ path: path.join(cfg.out, 'editor-failure.png') }).catch(() => {});
      throw e;
    });
    await until('codeAutomationExit', () => exitCode !== undefined, 60000).catch(async (e) => {
      await page.screenshot({ path: path.join(cfg.out, 'editor-no-exit.png') }).catch(() => {});
      throw e;
    });
    log('extension host tests exited with', exitCode);
    return exitCode;
  } finally {
    if (context) await context.close().catch(() => {});
    stopCodeServer(server);
  }
}

main().then((code) => process.exit(code), (err) => {
  log('error:', err && err.stack || err);
  process.exit(1);
});
