// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const L = require('../src/logline');

const CALL = '12.345678 cpu1 ls[123/123]   -> do_sys_openat2@fs/open.c:1310 dfd=0xffffff9c filename=0x7ffd how={...}';
const LINE = '12.345702 cpu1 ls[123/123]     :: do_sys_openat2@fs/open.c:1320 fd=0x3 tmp={...}';
const RET = '12.345790 cpu1 ls[123/123]   <- do_sys_openat2 return=0x3';

test('the format\'s own example lines', () => {
  const c = L.parseLogLine(CALL);
  assert.deepStrictEqual([c.time, c.cpu, c.comm, c.pid, c.tid, c.mark, c.function, c.file, c.line],
    [12.345678, 1, 'ls', 123, 123, '->', 'do_sys_openat2', 'fs/open.c', 1310]);
  assert.strictEqual(c.details, 'dfd=0xffffff9c filename=0x7ffd how={...}');
  assert.strictEqual(CALL.slice(...c.functionRange), 'do_sys_openat2');
  assert.strictEqual(CALL.slice(...c.whereRange), '@fs/open.c:1310');
  const l = L.parseLogLine(LINE);
  assert.deepStrictEqual([l.mark, l.depth, l.line], ['::', 2, 1320]);
  const r = L.parseLogLine(RET);
  assert.deepStrictEqual([r.mark, r.function, r.file, r.whereRange, r.details], ['<-', 'do_sys_openat2', '', null, 'return=0x3']);
});

test('a void return ends right after the function; !! messages from begin probes name `stap`', () => {
  const v = L.parseLogLine('12.345790 cpu1 ls[123/124]   <- vfs_fsync');
  assert.deepStrictEqual([v.mark, v.function, v.tid, v.details, v.file], ['<-', 'vfs_fsync', 124, '', '']);
  const m = L.parseLogLine('0.000100 cpu0 stapio[9/9] !! stap tracer ready');
  assert.deepStrictEqual([m.mark, m.function, m.details], ['!!', 'stap', 'tracer ready']);
});

test('odd comms, kworkers and lines that are not log lines', () => {
  const k = L.parseLogLine('1.000001 cpu0 kworker/0:1H[9/9] -> f@a.c:1');
  assert.deepStrictEqual([k.comm, k.function], ['kworker/0:1H', 'f']);
  assert.strictEqual(L.parseLogLine('-- stap-logd: lost 3 lines (cpu 1, seq 40..42)'), null);
  assert.strictEqual(L.parseLogLine('[   12.3] netconsole text'), null);
  assert.strictEqual(L.parseLogLine(''), null);
});

test('lost-line notes: singular, plural, counted in a chunk', () => {
  assert.strictEqual(L.lostCount('-- stap-logd: lost 3 lines (cpu 1, seq 40..42)'), 3);
  assert.strictEqual(L.lostCount('-- stap-logd: lost 1 line (cpu 0, seq 7)'), 1);
  assert.strictEqual(L.lostCount('x -- stap-logd: lost 3 lines'), 0);
  const chunk = `${CALL}\n-- stap-logd: lost 3 lines (cpu 1)\n${RET}\n-- stap-logd: lost 1 line (cpu 0)\nfoo -- stap-logd: lost 9 lines\n`;
  assert.strictEqual(L.lostInChunk(chunk), 4);
  assert.strictEqual(L.countLines(chunk), 5);
  assert.strictEqual(L.countNotes(chunk), 2);
  assert.strictEqual(L.countNotes('-- stap-logd: session from 127.0.0.1 started by ===CLEAR===\na\n'), 1);
  assert.strictEqual(L.lostInChunk(`${CALL}\n`), 0);
});

test('click targets: function or location on a call line, function on a return line, bare file:line', () => {
  const c = L.parseLogLine(CALL);
  assert.deepStrictEqual(L.targetAt(CALL, c.functionRange[0] + 2), { file: 'fs/open.c', line: 1310, range: [c.functionRange[0], c.whereRange[1]] });
  assert.deepStrictEqual(L.targetAt(CALL, c.whereRange[0] + 3).line, 1310);
  assert.strictEqual(L.targetAt(CALL, 0), null);
  const r = L.parseLogLine(RET);
  assert.deepStrictEqual(L.targetAt(RET, r.functionRange[0]), { function: 'do_sys_openat2', range: r.functionRange });
  const msg = 'BUG: at mm/slub.c:4201 oops';
  assert.deepStrictEqual(L.targetAt(msg, 10), { file: 'mm/slub.c', line: 4201, range: [8, 22] });
});

test('a return line finds its call site above it', () => {
  const lines = [CALL, LINE, RET];
  assert.deepStrictEqual(L.findCallSite('do_sys_openat2', 2, (i) => lines[i]), { file: 'fs/open.c', line: 1320 });
  assert.strictEqual(L.findCallSite('other', 2, (i) => lines[i]), null);
});

test('colour spans of the visible lines', () => {
  const spans = (t) => L.colorSpans(t).map(([k, a, b]) => [k, t.slice(a, b)]);
  assert.deepStrictEqual(spans(CALL), [['time', '12.345678'], ['task', 'ls[123/123]'], ['call', '->'],
    ['function', 'do_sys_openat2'], ['where', '@fs/open.c:1310'], ['pointer', '0xffffff9c'], ['pointer', '0x7ffd']]);
  assert.deepStrictEqual(spans(RET), [['time', '12.345790'], ['task', 'ls[123/123]'], ['return', '<-'], ['function', 'do_sys_openat2'],
    ['pointer', '0x3']]);
  assert.deepStrictEqual(spans('-- stap-logd: lost 1 line (cpu 0, seq 7)'), [['note', '-- stap-logd: lost 1 line (cpu 0, seq 7)']]);
  assert.deepStrictEqual(spans('raw netconsole text'), []);
});

test('values are coloured as share/log-format.md spells them', () => {
  const kinds = (text) => L.colorSpans(text).filter(([k]) => !['time', 'task', 'call', 'return', 'line', 'message', 'function', 'where'].includes(k))
    .map(([k, a, b]) => `${k}:${text.slice(a, b)}`);
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] -> f@a.c:1 p=0xffff888004a1c000 n=0x0 u=0x7ffe2a1c3f10(user) s="/etc/\\"x\\"" d=-100 o=?'),
    ['pointer:0xffff888004a1c000', 'null:0x0', 'user:0x7ffe2a1c3f10(user)', 'string:"/etc/\\"x\\""', 'unknown:?']);
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] <- f return=-2'), ['errno:-2']);
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] <- f return=-4095'), ['errno:-4095']);
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] <- f return=-4096'), []);  // not an errno
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] <- f return=0x3'), ['pointer:0x3']);
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] -> f@a.c:1 nd=0xffffc90000413960->{.path={...}, .last=0x0, .name="a b"}'),
    ['pointer:0xffffc90000413960', 'null:0x0', 'string:"a b"']);
  assert.deepStrictEqual(kinds('1.0 cpu0 ls[1/1] !! stap 0x0 "x"'), []);  // messages are prose
  assert.strictEqual(L.isErrorReturn('return=0xfffffffffffffffe'), true);
  assert.strictEqual(L.isErrorReturn('return=-2'), true);
  assert.strictEqual(L.isErrorReturn('return=0x3'), false);
  assert.strictEqual(L.isErrorReturn('x=-2'), false);
});
