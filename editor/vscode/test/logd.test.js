// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { logdArgs, interpretLogdExit, statusText } = require('../src/logd');
const { runTool } = require('../src/proc');

test('stap-logd command line', () => {
  assert.deepStrictEqual(logdArgs({ port: 65530, logDir: '/s' }), ['-p', '65530', '-d', '/s']);
});

test('exit codes: 69 means another stap-logd has the port', () => {
  assert.strictEqual(interpretLogdExit(69, null).state, 'external');
  assert.strictEqual(interpretLogdExit(0, null).state, 'stopped');
  assert.strictEqual(interpretLogdExit(null, 'SIGTERM').state, 'stopped');
  assert.strictEqual(interpretLogdExit(74, null).state, 'failed');
});

test('status bar: daemon, lines of this session, lost lines', () => {
  assert.strictEqual(statusText({ state: 'running', port: 65530, lines: 12, lost: 0 }),
    '$(radio-tower) stap-logd :65530 | 12 lines');
  assert.strictEqual(statusText({ state: 'external', port: 1, lines: 5, lost: 3 }),
    '$(radio-tower) stap-logd :1 (external) | 5 lines $(warning) 3 lost');
  assert.strictEqual(statusText({ state: 'failed', port: 1, lines: 0, lost: 0 }),
    '$(circle-slash) stap-logd failed | 0 lines');
  assert.strictEqual(statusText({ state: 'stopped', port: 1, lines: 0, lost: 0 }),
    '$(circle-slash) stap-logd stopped | 0 lines');
  assert.strictEqual(statusText({ state: 'shared', port: 7, lines: 2, lost: 0 }),
    '$(radio-tower) stap-logd :7 (shared) | 2 lines');
  assert.strictEqual(statusText({ state: 'off', port: 7, lines: 0, lost: 0 }),
    '$(circle-slash) stap-logd off | 0 lines');
});

test('runTool: argument array reaches the program verbatim, stdin is fed, missing program is -1', async () => {
  const r = await runTool(process.execPath,
    ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(JSON.stringify([process.argv[1],s]));console.error("t: error: x");process.exit(65)})', 'a b;$(x)'],
    { stdin: 'diff\n' });
  assert.strictEqual(r.code, 65);
  assert.deepStrictEqual(JSON.parse(r.stdout), ['a b;$(x)', 'diff\n']);
  assert.strictEqual(r.stderr, 't: error: x\n');
  const m = await runTool('/nonexistent/stap-addprobe', []);
  assert.strictEqual(m.code, -1);
  assert.ok(m.error);
});
