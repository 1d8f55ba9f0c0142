'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { readSettings, DEFAULTS } = require('../src/config');

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
    'output': 'out/t.stp', 'kernel-tree': '${env:LINUX}', 'preamble-path': '~/pre.stp',
    'addprobe-path': '${workspaceFolder}/build/stap-addprobe', 'log-dir': '/var/log/sa', 'port': 7000,
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

test('package.json declares every setting with the same default as config.js', () => {
  const props = require('../package.json').contributes.configuration.properties;
  const declared = Object.fromEntries(Object.entries(props).map(([k, v]) => [k.replace(/^systemtap-assistant\./, ''), v.default]));
  assert.deepStrictEqual(declared, { ...DEFAULTS });
});
