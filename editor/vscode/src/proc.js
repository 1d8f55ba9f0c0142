// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Runs a tool with an argument array (never a shell), optionally feeding stdin; resolves with its
// exit code and output. A missing executable is reported as code -1 with the spawn error.
'use strict';
const { spawn } = require('child_process');

/**
 * @param {string} file
 * @param {string[]} args
 * @param {{cwd?: string, stdin?: string, env?: NodeJS.ProcessEnv}} [options]
 */
function runTool(file, args, { cwd, stdin, env } = {}) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, args, { cwd, env: env || process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: -1, stdout: '', stderr: '', error: err });
      return;
    }
    const out = [];
    const errOut = [];
    let spawnError = null;
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => errOut.push(b));
    child.on('error', (err) => { spawnError = err; });
    child.on('close', (code, signal) => {
      resolve({
        code: spawnError ? -1 : (code === null ? 128 : code), signal,
        stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'),
        error: spawnError,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(stdin || '');
  });
}

module.exports = { runTool };
