// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { SessionFollower, MAX_READ } = require('../src/follower');

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-follow-'));
  const events = [];
  const f = new SessionFollower(dir, {
    session: (s) => events.push(['session', path.basename(s.path), s.isNew]),
    lines: (text, count, lost) => events.push(['lines', text, count, lost]),
  });
  // Switches `current` atomically, as stap-logd does.
  const switchTo = (name) => {
    fs.symlinkSync(name, path.join(dir, 'current.tmp'));
    fs.renameSync(path.join(dir, 'current.tmp'), path.join(dir, 'current'));
  };
  const append = (name, text) => fs.appendFileSync(path.join(dir, name), text);
  return { dir, f, events, switchTo, append, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('no session yet: nothing happens; a session present at start is not "new"', async () => {
  const t = setup();
  await t.f.poll();
  assert.deepStrictEqual(t.events, []);
  t.append('s1', 'a\n');
  t.switchTo('s1');
  await t.f.poll();
  assert.deepStrictEqual(t.events, [['session', 's1', true], ['lines', 'a\n', 1, 0]]);
  const u = setup();
  u.append('s0', 'old\n');
  u.switchTo('s0');
  await u.f.poll();
  assert.deepStrictEqual(u.events, [['session', 's0', false], ['lines', 'old\n', 1, 0]]);
  t.done(); u.done();
});

test('reads only appended bytes, holds back an unfinished line and a cut UTF-8 character', async () => {
  const t = setup();
  t.append('s1', '');
  t.switchTo('s1');
  await t.f.poll();
  t.append('s1', 'one\ntw');
  await t.f.poll();
  const euro = Buffer.from('€');
  fs.appendFileSync(path.join(t.dir, 's1'), Buffer.concat([Buffer.from('o\nthree '), euro.subarray(0, 1)]));
  await t.f.poll();
  fs.appendFileSync(path.join(t.dir, 's1'), Buffer.concat([euro.subarray(1), Buffer.from('\n-- stap-logd: lost 2 lines (cpu 0)\n')]));
  await t.f.poll();
  await t.f.poll();
  assert.deepStrictEqual(t.events.slice(1), [
    ['lines', 'one\n', 1, 0], ['lines', 'two\n', 1, 0],
    ['lines', 'three €\n-- stap-logd: lost 2 lines (cpu 0)\n', 1, 2]]);
  t.done();
});

test('a new session (===CLEAR===) is seen by the link switch and starts from byte 0', async () => {
  const t = setup();
  t.append('s1', 'a\nb\n');
  t.switchTo('s1');
  await t.f.poll();
  t.append('s2', 'c\n');
  t.switchTo('s2');
  await t.f.poll();
  assert.deepStrictEqual(t.events.slice(2), [['session', 's2', true], ['lines', 'c\n', 1, 0]]);
  // Same name, truncated: a new session too. (A file replaced under the same name that reuses the
  // inode and is at least as long is not seen; stap-logd names every session file anew.)
  fs.writeFileSync(path.join(t.dir, 's2'), '');
  await t.f.poll();
  t.append('s2', 'd\n');
  await t.f.poll();
  assert.deepStrictEqual(t.events.slice(4), [['session', 's2', true], ['lines', 'd\n', 1, 0]]);
  t.done();
});

test('a big session arrives in bounded reads, every line exactly once, in order', async () => {
  const t = setup();
  const line = 'x'.repeat(99) + '\n';
  const n = Math.ceil((MAX_READ * 2.5) / line.length);
  t.append('s1', line.repeat(n));
  t.switchTo('s1');
  for (let i = 0; i < 4; i++) await t.f.poll();
  const chunks = t.events.filter((e) => e[0] === 'lines');
  assert.strictEqual(chunks.length, 3);
  assert.strictEqual(chunks.reduce((a, e) => a + e[2], 0), n);
  assert.strictEqual(chunks.map((e) => e[1]).join(''), line.repeat(n));
  t.done();
});

test('concurrent polls are serialised (no line twice)', async () => {
  const t = setup();
  t.append('s1', 'a\nb\n');
  t.switchTo('s1');
  await Promise.all([t.f.poll(), t.f.poll(), t.f.poll()]);
  assert.deepStrictEqual(t.events, [['session', 's1', false], ['lines', 'a\nb\n', 2, 0]]);
  t.done();
});
