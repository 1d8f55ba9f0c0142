// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const ap = require('../src/addprobe');
const { readSettings } = require('../src/config');

const s = readSettings(() => undefined, '/ws', { HOME: '/h' });

test('trace function: file relative to the kernel tree, default probe code not repeated', () => {
  assert.deepStrictEqual(ap.traceFunctionArgs(s, '/ws/fs/open.c', 1310),
    ['-C', '/ws', '-o', '/ws/tracer.stp', '--json', '--function', 'fs/open.c:1310']);
});

test('trace line; a file outside the tree stays absolute', () => {
  assert.deepStrictEqual(ap.traceLineArgs(s, '/elsewhere/x.c', 3),
    ['-C', '/ws', '-o', '/ws/tracer.stp', '--json', '--line', '/elsewhere/x.c:3']);
});

test('custom probe code is passed as separate arguments (no shell)', () => {
  const vals = { 'call-code': 'printf("in %s\\n", ppfunc())', 'preamble-path': 'my pre.stp', 'line-code': 'x()' };
  const c = readSettings((n) => vals[n], '/ws', { HOME: '/h' });
  assert.deepStrictEqual(ap.traceFunctionArgs(c, '/ws/a.c', 1), [
    '-C', '/ws', '-o', '/ws/tracer.stp', '--call-code', 'printf("in %s\\n", ppfunc())',
    '--line-code', 'x()', '--json', '--function', 'a.c:1']);
});

test('a missing script is created by stap-preamble only for another port or a template', () => {
  assert.strictEqual(ap.preambleArgs(s, false), null);
  const p = readSettings((n) => ({ port: 7000 })[n], '/ws', { HOME: '/h' });
  assert.deepStrictEqual(ap.preambleArgs(p, false), ['-p', '7000', '-o', '/ws/tracer.stp']);
  assert.strictEqual(ap.preambleArgs(p, true), null);
  const t = readSettings((n) => ({ 'preamble-path': 'pre.stp' })[n], '/ws', { HOME: '/h' });
  assert.deepStrictEqual(ap.preambleArgs(t, false), ['-p', '65530', '-o', '/ws/tracer.stp', '--template', '/ws/pre.stp']);
});

test('selection becomes a unified diff that touches exactly its lines', () => {
  const d = ap.selectionDiff('/ws/kernel/fork.c', '/ws', 10, ['a', 'b']);
  assert.strictEqual(d, '--- a/kernel/fork.c\n+++ b/kernel/fork.c\n@@ -10,2 +10,2 @@\n-a\n-b\n+a\n+b\n');
  assert.deepStrictEqual(ap.traceSelectionArgs(s).slice(-2), ['--json', '--diff']);
});

test('list and remove', () => {
  assert.deepStrictEqual(ap.listArgs(s), ['-C', '/ws', '-o', '/ws/tracer.stp', '--list', '--json']);
  assert.deepStrictEqual(ap.removeArgs(s, 'kernel.function("f").call'),
    ['-C', '/ws', '-o', '/ws/tracer.stp', '--remove', 'kernel.function("f").call']);
  // The shapes stap-addprobe --list prints, with and without --json.
  assert.deepStrictEqual(ap.parseProbeList(
    '{"format":1,"line":477,"point":"kernel.function(\\"f@fs/open.c\\").call","body":"trace_call()"}\n\n' +
    '478: probe kernel.function("f@fs/open.c").return { trace_return() }\n'),
  [{ probe: 'kernel.function("f@fs/open.c").call', label: 'kernel.function("f@fs/open.c").call', detail: 'trace_call()  line 477' },
   { probe: 'kernel.function("f@fs/open.c").return', label: 'kernel.function("f@fs/open.c").return', detail: 'trace_return()  line 478' }]);
});

test('--json output: objects per line, other lines ignored, summary names functions', () => {
  // share/json-format.md, format 1: addprobe-location objects.
  const probe = '"probes":[{"point":"kernel.function(\\"do_sys_openat2@fs/open.c\\").call","body":"trace_call()","already_present":false}]';
  const out = `{"format":1,"input":"fs/open.c:1310","function":"do_sys_openat2","source_function":"do_sys_openat2","file":"fs/open.c","line":1301,"module":null,"kind":"function",${probe},"notes":[]}\nnoise\n` +
              `{"format":1,"input":"fs/open.c:1320","function":"do_sys_openat2","source_function":"do_sys_openat2","file":"fs/open.c","line":1320,"module":null,"kind":"statement",${probe},"notes":[]}\n`;
  const r = ap.parseJsonLines(out);
  assert.strictEqual(r.length, 2);
  assert.strictEqual(ap.summarize(r), 'Traced do_sys_openat2, do_sys_openat2 (fs/open.c:1320)');
  assert.strictEqual(ap.summarize([]), 'stap-addprobe: done');
  assert.strictEqual(ap.summarize([{ error: 'this line is not inside a function', input: 'a.c:1' }]), 'stap-addprobe: done');
});
