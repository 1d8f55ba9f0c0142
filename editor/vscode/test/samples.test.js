// SPDX-License-Identifier: GPL-2.0-or-later
// logline.js against the sample sessions stap-report's tests use (tests/data/, hand-checked): the
// JS parser must count the same lines, lost lines, threads, calls and errors as the NAME.json files
// say stap-report --json prints for them. One set of samples for the two parsers of the format.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const L = require('../src/logline');

const DATA = path.join(__dirname, '..', '..', '..', 'tests', 'data');
const samples = fs.readdirSync(DATA).filter((f) => f.endsWith('.log')).sort();

test('there are sample sessions to read', () => {
  assert.ok(samples.length >= 3, `${samples.length} samples in ${DATA}`);
});

for (const name of samples) {
  test(`${name}: lines, lost, threads, calls and errors as stap-report --json counts them`, () => {
    const text = fs.readFileSync(path.join(DATA, name), 'utf8');
    const [head, ...funcs] = fs.readFileSync(path.join(DATA, name.replace(/\.log$/, '.json')), 'utf8')
      .trim().split('\n').map((l) => JSON.parse(l));
    assert.strictEqual(L.countLines(text), head.lines);
    assert.strictEqual(L.lostInChunk(text), head.lost);
    const threads = new Set();
    const calls = new Map();
    const errors = new Map();
    for (const line of text.split('\n')) {
      const rec = L.parseLogLine(line);
      if (!rec || rec.mark === '!!') {
        if (rec) threads.add(`${rec.pid}/${rec.tid}`);
        continue;
      }
      threads.add(`${rec.pid}/${rec.tid}`);
      if (rec.mark === '->') calls.set(rec.function, (calls.get(rec.function) || 0) + 1);
      if (rec.mark === '<-' && L.isErrorReturn(rec.details)) errors.set(rec.function, (errors.get(rec.function) || 0) + 1);
    }
    assert.strictEqual(threads.size, head.threads);
    for (const f of funcs) {
      assert.strictEqual(calls.get(f.function) || 0, f.calls, `${f.function} calls`);
      assert.strictEqual(errors.get(f.function) || 0, f.errors, `${f.function} errors`);
    }
    assert.deepStrictEqual([...calls.keys()].filter((k) => !funcs.some((f) => f.function === k)), []);
  });
}
