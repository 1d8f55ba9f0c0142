// SPDX-License-Identifier: GPL-2.0-or-later
// Loads a Chrome Trace Event file into speedscope's own page (its npm release, file:// build) in
// Debian's chromium the way speedscope's own CLI does (bin/cli.mjs: a script that hands the file to
// speedscope.loadFileFromBase64, named by #localProfilePath), switches to the Sandwich view (a table of every frame name in the profile) and
// prints the page's text for each thread's profile, for tests/editor/speedscope.sh.
// node _speedscope.js PLAYWRIGHT_DIR SPEEDSCOPE_INDEX TRACE_FILE PROFILE_DIR
const [toolsDir, indexHtml, trace, profileDir] = process.argv.slice(2);
const { chromium } = require(require.resolve('playwright-core', { paths: [toolsDir] }));
const fs = require('fs');
const path = require('path');

async function main() {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium', viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--allow-file-access-from-files',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    const loader = path.join(profileDir + '-load.js');
    fs.writeFileSync(loader, `speedscope.loadFileFromBase64(${JSON.stringify(path.basename(trace))}, ` +
                             `${JSON.stringify(fs.readFileSync(trace).toString('base64'))})`);
    await page.goto(`file://${indexHtml}#localProfilePath=${loader}`);
    const sandwich = page.getByText('Sandwich', { exact: false }).first();
    await sandwich.waitFor({ timeout: 60000 });
    await sandwich.click();
    await page.waitForTimeout(1000);
    // One profile per thread ("(1/3)" in the toolbar); the "n" key shows the next one.
    let text = await page.evaluate(() => document.body.innerText);
    const m = text.match(/\((\d+)\/(\d+)\)/);
    const count = m ? Number(m[2]) : 1;
    for (let i = 1; i < count; i++) {
      await page.keyboard.press('n');
      await page.waitForTimeout(500);
      text += '\n' + await page.evaluate(() => document.body.innerText);
    }
    process.stdout.write(`profiles: ${count}\n${text}\n`);
    for (const e of errors) process.stderr.write('speedscope: ' + e + '\n');
  } finally {
    await context.close();
  }
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
