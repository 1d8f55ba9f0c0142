// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const L = require('../src/listener');

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sa-listener-'));

test('a kernel tree is a Makefile with VERSION and PATCHLEVEL, Kbuild and arch/', () => {
  const d = tmp();
  assert.strictEqual(L.isKernelTree(d), false);
  fs.mkdirSync(path.join(d, 'arch'));
  fs.writeFileSync(path.join(d, 'Kbuild'), '');
  fs.writeFileSync(path.join(d, 'Makefile'), 'all:\n');
  assert.strictEqual(L.isKernelTree(d), false);
  fs.writeFileSync(path.join(d, 'Makefile'), '# SPDX\nVERSION = 6\nPATCHLEVEL = 1\n');
  assert.strictEqual(L.isKernelTree(d), true);
  assert.strictEqual(L.isKernelTree(undefined), false);
  fs.rmSync(d, { recursive: true });
});

test('why a window may listen: asked, a kernel tree, an existing tracer script; else not', () => {
  const d = tmp();
  const script = path.join(d, 'tracer.stp');
  assert.strictEqual(L.listenReason({ folder: d, script }), null);
  assert.strictEqual(L.listenReason({ folder: d, script, asked: true }), 'command');
  fs.writeFileSync(script, '');
  assert.strictEqual(L.listenReason({ folder: d, script }), 'tracer script');
  fs.rmSync(d, { recursive: true });
});

test('one owner per folder and port: a live owner keeps it, a dead one is replaced, release only by the owner', async () => {
  const d = tmp();
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  assert.strictEqual(L.claim(d, 7000, { pid: child.pid }), true);
  assert.strictEqual(L.claim(d, 7000, { pid: process.pid }), false);
  assert.strictEqual(L.claim(d, 7001, { pid: process.pid }), true);  // another port is another listener
  assert.deepStrictEqual(L.currentOwner(d, 7000), { pid: child.pid });
  L.release(d, 7000, process.pid);  // not ours: kept
  assert.ok(fs.existsSync(L.ownerFile(d, 7000)));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  assert.strictEqual(L.currentOwner(d, 7000), null);
  assert.strictEqual(L.claim(d, 7000, { pid: process.pid }), true);  // the stale owner is replaced
  L.release(d, 7000, process.pid);
  assert.ok(!fs.existsSync(L.ownerFile(d, 7000)));
  fs.writeFileSync(L.ownerFile(d, 7000), 'garbage');
  assert.strictEqual(L.currentOwner(d, 7000), null);
  assert.strictEqual(L.claim(d, 7000, { pid: process.pid }), true);
  fs.rmSync(d, { recursive: true });
});
