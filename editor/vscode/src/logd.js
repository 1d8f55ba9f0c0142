// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// stap-logd as the extension sees it: the command line that starts it, what its exit code means,
// and the status bar text. The extension never receives UDP itself: stap-logd does, and the
// extension tails the session files it writes (see follower.js).
'use strict';

const EXIT = Object.freeze({ ok: 0, usage: 64, dataError: 65, noInput: 66, unavailable: 69,
                             internal: 70, cantCreate: 73, ioError: 74 });

function logdArgs(s) {
  return ['-p', String(s.port), '-d', s.logDir];
}

// What an exit of stap-logd means for the extension. 69 is "unavailable": the port is taken,
// normally by a stap-logd started elsewhere; the extension then just tails the folder.
function interpretLogdExit(code, signal) {
  if (signal) return { state: 'stopped', message: `stap-logd stopped (${signal})` };
  if (code === EXIT.ok) return { state: 'stopped', message: 'stap-logd exited' };
  if (code === EXIT.unavailable) {
    return { state: 'external', message: 'the port is in use: following the stap-logd already listening' };
  }
  return { state: 'failed', message: `stap-logd failed (exit ${code})` };
}

// state: 'running' (ours), 'shared' (another window's), 'external' (not a VS Code window's: the
// port was taken), 'off' (not started: no kernel tree or tracer script here), 'stopped', 'failed'.
const LISTENING = new Set(['running', 'shared', 'external']);
function statusText({ state, port, lines, lost }) {
  const icon = LISTENING.has(state) ? '$(radio-tower)' : '$(circle-slash)';
  const daemon = state === 'running' ? `stap-logd :${port}`
    : state === 'shared' ? `stap-logd :${port} (shared)`
    : state === 'external' ? `stap-logd :${port} (external)`
    : state === 'off' ? 'stap-logd off'
    : state === 'failed' ? 'stap-logd failed'
    : 'stap-logd stopped';
  const lostText = lost > 0 ? ` $(warning) ${lost} lost` : '';
  return `${icon} ${daemon} | ${lines} lines${lostText}`;
}

function statusTooltip(state) {
  return {
    running: 'this window runs stap-logd',
    shared: 'another VS Code window runs stap-logd; this one shows its sessions',
    external: 'a stap-logd not started by VS Code holds the port; this window shows its sessions',
    off: 'no listener: no kernel tree or tracer script here (SystemTap: Start the log daemon starts one)',
    failed: 'stap-logd could not start (see the output channel)',
  }[state] || 'stap-logd is stopped';
}

module.exports = { EXIT, logdArgs, interpretLogdExit, statusText, statusTooltip };
