// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// When a window may start stap-logd, and how windows share one: a UDP listener is a machine-wide
// thing (one port, every interface), so it starts only where someone traces (a kernel tree or a
// tracer script is open, or the user asks), and at most once per session folder and port. The
// window that starts it writes an owner file beside the sessions (O_EXCL); the others find it, see
// that its process is alive, and only follow the folder. When the owner's stap-logd goes away (its
// window closed), the next window that checks takes over. No `vscode` here: unit-tested alone.
'use strict';
const fs = require('fs');
const path = require('path');

// A kernel tree: the top Makefile names VERSION and PATCHLEVEL, and Kbuild and arch/ sit beside it.
function isKernelTree(dir, fsys = fs) {
  if (!dir) return false;
  try {
    if (!fsys.statSync(path.join(dir, 'arch')).isDirectory()) return false;
    if (!fsys.existsSync(path.join(dir, 'Kbuild'))) return false;
    const head = fsys.readFileSync(path.join(dir, 'Makefile'), 'utf8').slice(0, 4096);
    return /^VERSION\s*=/m.test(head) && /^PATCHLEVEL\s*=/m.test(head);
  } catch (_) {
    return false;
  }
}

// Why this window may start a listener, or null: 'kernel tree', 'tracer script' (the configured
// script exists) or 'command' (asked for).
function listenReason({ folder, script, asked }, fsys = fs) {
  if (asked) return 'command';
  if (isKernelTree(folder, fsys)) return 'kernel tree';
  if (script && fsys.existsSync(script)) return 'tracer script';
  return null;
}

function ownerFile(logDir, port) {
  return path.join(logDir, `.stap-logd-${port}.owner`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

// The owner recorded for this folder and port: {pid, window} when its process is alive, else null.
function currentOwner(logDir, port, fsys = fs) {
  let rec;
  try {
    rec = JSON.parse(fsys.readFileSync(ownerFile(logDir, port), 'utf8'));
  } catch (_) {
    return null;
  }
  return rec && Number.isInteger(rec.pid) && rec.pid > 0 && alive(rec.pid) ? rec : null;
}

// Claims the folder and port for this window before it starts stap-logd: true when claimed, false
// when a live owner holds it. A stale owner file (its process gone) is replaced.
function claim(logDir, port, me, fsys = fs) {
  const file = ownerFile(logDir, port);
  fsys.mkdirSync(logDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fsys.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
      if (currentOwner(logDir, port, fsys)) return false;
      try { fsys.unlinkSync(file); } catch (_) { /* another window removed it first */ }
    }
  }
  return false;
}

// The claim now names the real stap-logd process (claim() wrote the extension host's pid).
function record(logDir, port, me, fsys = fs) {
  fsys.writeFileSync(ownerFile(logDir, port), JSON.stringify(me), { mode: 0o600 });
}

// Gives the folder back, only if this window still owns it.
function release(logDir, port, pid, fsys = fs) {
  try {
    const rec = JSON.parse(fsys.readFileSync(ownerFile(logDir, port), 'utf8'));
    if (rec.pid === pid) fsys.unlinkSync(ownerFile(logDir, port));
  } catch (_) { /* nothing to give back */ }
}

module.exports = { isKernelTree, listenReason, ownerFile, currentOwner, claim, record, release };
