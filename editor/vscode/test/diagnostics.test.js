// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { parseDiagnostics, resolveDiagFile, describe } = require('../src/diagnostics');

test('the four shapes of the shared format; notes attach to the diagnostic before them', () => {
  const err = [
    'stap-addprobe: fs/open.c:12: error: line 12 is outside any function',
    'stap-addprobe: note: the nearest function is do_sys_open (line 20)',
    'stap-addprobe: fs/namei.c: warning: no debug info for this file',
    'stap-addprobe: error: cannot open tracer.stp: permission denied',
    'random text that is not a diagnostic',
    'stap-preamble: /abs/t.stp:3: warning: something: with colons',
  ].join('\n');
  const d = parseDiagnostics(err);
  assert.strictEqual(d.length, 4);
  assert.deepStrictEqual(d[0], { tool: 'stap-addprobe', file: 'fs/open.c', line: 12, severity: 'error',
    message: 'line 12 is outside any function', notes: ['the nearest function is do_sys_open (line 20)'] });
  assert.deepStrictEqual([d[1].file, d[1].line, d[1].severity], ['fs/namei.c', 0, 'warning']);
  assert.deepStrictEqual([d[2].file, d[2].severity, d[2].message], ['', 'error', 'cannot open tracer.stp: permission denied']);
  assert.deepStrictEqual([d[3].tool, d[3].file, d[3].line, d[3].message], ['stap-preamble', '/abs/t.stp', 3, 'something: with colons']);
  assert.strictEqual(describe(d[0]), 'line 12 is outside any function\nthe nearest function is do_sys_open (line 20)');
});

test('relative files are in the kernel tree', () => {
  assert.strictEqual(resolveDiagFile('fs/open.c', '/k'), '/k/fs/open.c');
  assert.strictEqual(resolveDiagFile('/x/y.c', '/k'), '/x/y.c');
  assert.strictEqual(resolveDiagFile('', '/k'), '');
});

test('the problem matcher in package.json agrees with the parser', () => {
  const pm = require('../package.json').contributes.problemMatchers[0].pattern;
  const m = new RegExp(pm.regexp).exec('stap-addprobe: fs/open.c:12: error: outside any function');
  assert.deepStrictEqual([m[pm.file], m[pm.line], m[pm.severity], m[pm.message]],
    ['fs/open.c', '12', 'error', 'outside any function']);
});
