// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { readSettings, renamedInUse, DEFAULTS, OLD_NAMES } = require('../src/config');

const env = { HOME: '/home/k', XDG_STATE_HOME: '', LINUX: '/src/linux' };

test('defaults are the original extension\'s, paths made absolute against the workspace', () => {
  const s = readSettings(() => undefined, '/ws', env);
  assert.strictEqual(s.port, 65530);
  assert.strictEqual(s.output, '/ws/tracer.stp');
  assert.strictEqual(s.callCode, 'trace_call()');
  assert.strictEqual(s.returnCode, 'trace_return()');
  assert.strictEqual(s.lineCode, 'trace_line()');
  assert.strictEqual(s.deployTask, '');
  assert.strictEqual(s.preamblePath, '');
  assert.strictEqual(s.kernelTree, '/ws');
  assert.strictEqual(s.addprobePath, 'stap-addprobe');
  assert.strictEqual(s.logDir, '/home/k/.local/state/stap-assistant/sessions');
  assert.strictEqual(s.startLogd, true);
  assert.strictEqual(DEFAULTS.port, 65530);
});

test('substitutions: ${workspaceFolder}, ${env:X}, ~ and relative paths', () => {
  const values = {
    'output': 'out/t.stp', 'kernelTree': '${env:LINUX}', 'preamblePath': '~/pre.stp',
    'addprobePath': '${workspaceFolder}/build/stap-addprobe', 'logDir': '/var/log/sa', 'port': 7000,
  };
  const s = readSettings((n) => values[n], '/ws', env);
  assert.strictEqual(s.output, '/ws/out/t.stp');
  assert.strictEqual(s.kernelTree, '/src/linux');
  assert.strictEqual(s.preamblePath, '/home/k/pre.stp');
  assert.strictEqual(s.addprobePath, '/ws/build/stap-addprobe');
  assert.strictEqual(s.logDir, '/var/log/sa');
  assert.strictEqual(s.port, 7000);
});

test('XDG_STATE_HOME decides the default log folder; a bad port falls back to 65530', () => {
  const s = readSettings((n) => (n === 'port' ? 99999 : undefined), '/ws', { HOME: '/h', XDG_STATE_HOME: '/st' });
  assert.strictEqual(s.logDir, '/st/stap-assistant/sessions');
  assert.strictEqual(s.port, 65530);
});

test('package.json declares every setting with the same default as config.js, and the old names as deprecated', () => {
  const props = require('../package.json').contributes.configuration.properties;
  const entries = Object.entries(props).map(([k, v]) => [k.replace(/^systemtap-assistant\./, ''), v]);
  const current = entries.filter(([, v]) => !v.deprecationMessage);
  assert.deepStrictEqual(Object.fromEntries(current.map(([k, v]) => [k, v.default])), { ...DEFAULTS });
  for (const [k] of current) assert.match(k, /^[a-z]+([A-Z][a-z]+)*$/, `${k} is camelCase`);
  const old = entries.filter(([, v]) => v.deprecationMessage);
  assert.deepStrictEqual(old.map(([k]) => k).sort(), Object.values(OLD_NAMES).sort());
  for (const [k, v] of old) {
    const now = Object.keys(OLD_NAMES).find((n) => OLD_NAMES[n] === k);
    assert.ok(v.deprecationMessage.includes(`systemtap-assistant.${now}`), v.deprecationMessage);
    assert.strictEqual(v.default, undefined);  // a default would hide the new name's
    assert.strictEqual(v.type, props[`systemtap-assistant.${now}`].type);
  }
});

test('the kebab-case names of 0.1 are read when the new name is not set, and reported', () => {
  const values = { 'deploy-task': 'deploy', 'kernel-tree': '/src/linux', 'start-logd': false, logDir: '/new',
                   'log-dir': '/old', port: 7000 };
  const s = readSettings((n) => values[n], '/ws', env);
  assert.strictEqual(s.deployTask, 'deploy');
  assert.strictEqual(s.kernelTree, '/src/linux');
  assert.strictEqual(s.startLogd, false);
  assert.strictEqual(s.logDir, '/new');  // the new name wins
  assert.deepStrictEqual(renamedInUse((n) => values[n]), [
    { old: 'deploy-task', name: 'deployTask' }, { old: 'kernel-tree', name: 'kernelTree' },
    { old: 'start-logd', name: 'startLogd' }]);
  assert.deepStrictEqual(renamedInUse(() => undefined), []);
});

test('the README\'s settings table lists every setting package.json declares (not the old names)', () => {
  const readme = require('fs').readFileSync(require('path').join(__dirname, '..', 'README.md'), 'utf8');
  const props = require('../package.json').contributes.configuration.properties;
  const listed = [...readme.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort();
  const declared = Object.entries(props).filter(([, v]) => !v.deprecationMessage).map(([k]) => k.split('.')[1]).sort();
  assert.deepStrictEqual(listed, declared);
});
