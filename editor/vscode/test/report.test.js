// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const R = require('../src/report');

const DATA = path.join(__dirname, '..', '..', '..', 'tests', 'data');

test('argument arrays for each view (issue 14\'s options)', () => {
  assert.deepStrictEqual(R.summaryArgs('/s/a.log'), ['--json', '/s/a.log']);
  assert.deepStrictEqual(R.errorsArgs('/s/a b.log'), ['--errors', '/s/a b.log']);
  assert.deepStrictEqual(R.chromeArgs('/s/a.log', '/t/c.json'), ['--chrome', '/t/c.json', '--json', '/s/a.log']);
  assert.deepStrictEqual(R.diffArgs('/s/old.log', '/s/new.log'), ['--diff', '/s/old.log', '/s/new.log']);
});

test('--json: the session object first, then the functions (tests/data\'s expected output)', () => {
  const s = R.parseSummary(fs.readFileSync(path.join(DATA, 'session-basic.json'), 'utf8'));
  assert.deepStrictEqual(s.session, { format: 1, session: 'session-basic.log', lines: 16, lost: 0, threads: 2 });
  assert.deepStrictEqual(s.functions.map((f) => f.function), ['do_filp_open', 'do_sys_openat2', 'getname', 'path_openat', 'putname']);
  assert.strictEqual(R.functionDescription(s.functions[1]), 'calls 2 · errors 1 · p50 30 µs · p99 80 µs');
  assert.strictEqual(R.functionDescription({ calls: 1, errors: 0, unmatched: 1, latency_us: null }), 'calls 1 · errors 0 · unmatched 1 · no latency');
  assert.throws(() => R.parseSummary('{"function":"f"}\n'), /no session object first/);
  assert.throws(() => R.parseSummary('{"format":2,"session":"s"}\n'), /format 2, this extension reads format 1/);
});

test('--errors: origins with their source, first session line and chains', () => {
  const text = 'session tests/data/session-basic.log: 1 error from 1 origin\n\n' +
    'path_openat@fs/namei.c:3770: 1 error, returned 0xfffffffffffffffe (1x)\n' +
    '  first: ls[100/100] at 1.000030 (line 7)\n' +
    '    nd=0xffffc90000123d00 op=0xffffc90000123e00 flags=65\n' +
    '    :: path_openat@fs/namei.c:3790 file=0xffff888004b2a000 error=-2\n' +
    '  1x path_openat <- do_filp_open <- do_sys_openat2\n';
  const o = R.parseErrors(text);
  assert.strictEqual(o.length, 1);
  assert.deepStrictEqual([o[0].function, o[0].file, o[0].line, o[0].sessionLine, o[0].chains],
    ['path_openat', 'fs/namei.c', 3770, 7, ['path_openat <- do_filp_open <- do_sys_openat2']]);
  assert.strictEqual(o[0].what, '1 error, returned 0xfffffffffffffffe (1x)');
  assert.deepStrictEqual(R.parseErrors('session x: 0 errors\n'), []);
});

test('the session files of a folder: the live one first, then newest first; other files ignored', () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-sessions-'));
  for (const n of ['20261127-100000.000001_10.0.2.15.log', '20261127-110000.000002_10.0.2.15.log', '20261127-090000.000003_::1.log', 'notes.txt'])
    fs.writeFileSync(path.join(d, n), 'x\n');
  fs.mkdirSync(path.join(d, '20261127-120000.000004_dir.log'));
  fs.symlinkSync('20261127-100000.000001_10.0.2.15.log', path.join(d, 'current'));
  const l = R.listSessions(d);
  assert.deepStrictEqual(l.map((s) => [s.name, s.live]), [
    ['20261127-100000.000001_10.0.2.15.log', true], ['20261127-110000.000002_10.0.2.15.log', false],
    ['20261127-090000.000003_::1.log', false]]);
  assert.deepStrictEqual([l[0].sender, l[0].start, l[0].size], ['10.0.2.15', '2026-11-27 10:00:00', 2]);
  assert.deepStrictEqual(R.listSessions(path.join(d, 'none')), []);
  fs.rmSync(d, { recursive: true });
});

test('parseDivergences: the first difference of each process, by the files as given', () => {
  const out = [
    'old /s/a:1.log', 'new /s/b.log', 'function calls_old', '',
    'first difference in the calls and returns of each process name in both:',
    'ls: differs at step 10',
    '  old /s/a:1.log:13: 1.000080 cpu0 ls[100/100] <- do_sys_openat2 return=-2 (call at @fs/open.c:1310)',
    '  new /s/b.log:13: 1.000080 cpu0 ls[100/100] <- do_sys_openat2 return=0 (call at @fs/open.c:1310)',
    'cat: same 4 steps',
    'kworker/0:1: differs at step 4',
    '  old /s/a:1.log:6: 1.000020 cpu0 kworker/0:1[5/5]   -> f@x.c:1',
    '  new (no more calls or returns)',
    'sh: same for 9 steps, then one session runs more than 100000 steps ahead (not compared)', '',
  ].join('\n');
  assert.deepStrictEqual(R.parseDivergences(out, '/s/a:1.log', '/s/b.log'), [
    { comm: 'ls', step: 10, old: { line: 13 }, new: { line: 13 } },
    { comm: 'kworker/0:1', step: 4, old: { line: 6 }, new: null },
  ]);
  assert.deepStrictEqual(R.parseDivergences(out, '/other', '/s/b.log'), []);
  assert.deepStrictEqual(R.parseDivergences('old a\nnew b\n', 'a', 'b'), []);
});
