// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Settings, read in one place. The glue passes a `get(name)` that reads
// `systemtap-assistant.<name>` from VS Code; everything here is plain data so it is unit-tested
// without an editor. Paths accept ${workspaceFolder}, ${env:NAME} and a leading ~; relative paths
// are taken relative to the workspace folder, as the original extension did for `output`.
'use strict';
const os = require('os');
const path = require('path');

// Setting names are VS Code's camelCase. Versions up to 0.1 used kebab-case names (`deploy-task`);
// a value under an old name is still read when the new name has none, and the glue says once which
// old names it found (renamedInUse) so that the user can rename them.
const DEFAULTS = Object.freeze({
  port: 65530,
  output: 'tracer.stp',
  deployTask: '',
  preamblePath: '',
  callCode: 'trace_call()',
  returnCode: 'trace_return()',
  lineCode: 'trace_line()',
  kernelTree: '${workspaceFolder}',
  addprobePath: 'stap-addprobe',
  logdPath: 'stap-logd',
  preambleToolPath: 'stap-preamble',
  reportPath: 'stap-report',
  logDir: '',
  startLogd: true,
  openLogOnSession: true,
});

// new name -> the kebab-case name it had (only the names that changed).
const OLD_NAMES = Object.freeze(Object.fromEntries(Object.keys(DEFAULTS)
  .map((n) => [n, n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)])
  .filter(([n, old]) => n !== old && n !== 'reportPath')));

// The old names that have a value and are read because their new name has none: [{old, name}].
function renamedInUse(get) {
  const found = [];
  for (const [name, old] of Object.entries(OLD_NAMES)) {
    if (isSet(get(old)) && !isSet(get(name))) found.push({ old, name });
  }
  return found;
}

function isSet(v) { return v !== undefined && v !== null; }

function substitute(value, workspaceFolder, env) {
  let s = String(value);
  s = s.replace(/\$\{workspaceFolder\}/g, workspaceFolder || '');
  s = s.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name) => env[name] || '');
  if (s === '~' || s.startsWith('~/')) s = path.join(env.HOME || os.homedir(), s.slice(1));
  return s;
}

// A path setting made absolute; empty stays empty. A bare command name (no slash) stays as is so
// that it is looked up in PATH.
function resolvePath(value, workspaceFolder, env, { command = false } = {}) {
  const s = substitute(value, workspaceFolder, env);
  if (s === '') return '';
  if (command && !s.includes('/')) return s;
  if (path.isAbsolute(s)) return path.normalize(s);
  return path.resolve(workspaceFolder || process.cwd(), s);
}

function defaultLogDir(env) {
  const state = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(state, 'stap-assistant', 'sessions');
}

// get(name) returns the user's value or undefined (by new or old name); workspaceFolder may be
// undefined.
function readSettings(get, workspaceFolder, env = process.env) {
  /** @param {keyof typeof DEFAULTS} name */
  const raw = (name) => {
    const v = get(name);
    if (isSet(v)) return v;
    const old = OLD_NAMES[name] && get(OLD_NAMES[name]);
    return isSet(old) ? old : DEFAULTS[name];
  };
  const p = (name, opts) => resolvePath(raw(name) || DEFAULTS[name], workspaceFolder, env, opts);
  const port = Number(raw('port'));
  return {
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULTS.port,
    output: p('output'),
    deployTask: String(raw('deployTask')),
    preamblePath: resolvePath(raw('preamblePath'), workspaceFolder, env),
    callCode: String(raw('callCode')),
    returnCode: String(raw('returnCode')),
    lineCode: String(raw('lineCode')),
    kernelTree: p('kernelTree'),
    addprobePath: p('addprobePath', { command: true }),
    preambleToolPath: p('preambleToolPath', { command: true }),
    logdPath: p('logdPath', { command: true }),
    reportPath: p('reportPath', { command: true }),
    logDir: resolvePath(raw('logDir'), workspaceFolder, env) || defaultLogDir(env),
    startLogd: Boolean(raw('startLogd')),
    openLogOnSession: Boolean(raw('openLogOnSession')),
  };
}

module.exports = { DEFAULTS, OLD_NAMES, readSettings, renamedInUse, substitute, resolvePath, defaultLogDir };
