// Settings, read in one place. The glue passes a `get(name)` that reads
// `systemtap-assistant.<name>` from VS Code; everything here is plain data so it is unit-tested
// without an editor. Paths accept ${workspaceFolder}, ${env:NAME} and a leading ~; relative paths
// are taken relative to the workspace folder, as the original extension did for `output`.
'use strict';
const os = require('os');
const path = require('path');

// The original extension's settings keep their names; the rest are ours.
const DEFAULTS = Object.freeze({
  'port': 65530,
  'output': 'tracer.stp',
  'deploy-task': '',
  'preamble-path': '',
  'call-code': 'trace_call()',
  'return-code': 'trace_return()',
  'line-code': 'trace_line()',
  'kernel-tree': '${workspaceFolder}',
  'addprobe-path': 'stap-addprobe',
  'logd-path': 'stap-logd',
  'preamble-tool-path': 'stap-preamble',
  'log-dir': '',
  'start-logd': true,
  'open-log-on-session': true,
});

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

// get(name) returns the user's value or undefined; workspaceFolder may be undefined.
function readSettings(get, workspaceFolder, env = process.env) {
  const raw = (name) => {
    const v = get(name);
    return v === undefined || v === null ? DEFAULTS[name] : v;
  };
  const port = Number(raw('port'));
  return {
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULTS.port,
    output: resolvePath(raw('output') || DEFAULTS.output, workspaceFolder, env),
    deployTask: String(raw('deploy-task')),
    preamblePath: resolvePath(raw('preamble-path'), workspaceFolder, env),
    callCode: String(raw('call-code')),
    returnCode: String(raw('return-code')),
    lineCode: String(raw('line-code')),
    kernelTree: resolvePath(raw('kernel-tree') || DEFAULTS['kernel-tree'], workspaceFolder, env),
    addprobePath: resolvePath(raw('addprobe-path') || DEFAULTS['addprobe-path'], workspaceFolder, env,
                              { command: true }),
    preambleToolPath: resolvePath(raw('preamble-tool-path') || DEFAULTS['preamble-tool-path'], workspaceFolder, env,
                                  { command: true }),
    logdPath: resolvePath(raw('logd-path') || DEFAULTS['logd-path'], workspaceFolder, env, { command: true }),
    logDir: resolvePath(raw('log-dir'), workspaceFolder, env) || defaultLogDir(env),
    startLogd: Boolean(raw('start-logd')),
    openLogOnSession: Boolean(raw('open-log-on-session')),
  };
}

module.exports = { DEFAULTS, readSettings, substitute, resolvePath, defaultLogDir };
