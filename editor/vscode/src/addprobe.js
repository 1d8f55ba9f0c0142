// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Argument arrays for stap-addprobe, one pure function per command (no shell: the glue passes the
// array to spawn). Locations are FILE:LINE with FILE relative to the kernel tree when it is inside
// it, which is how stap-addprobe and the DWARF line tables spell them.
'use strict';
const path = require('path');
const { DEFAULTS } = require('./config');

function relativeToTree(file, tree) {
  const rel = path.relative(tree, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return rel;
}

function location(file, line, tree) {  // line is 1-based
  return `${relativeToTree(file, tree)}:${line}`;
}

// Options every command that writes the script shares: tree, script, probe bodies.
function commonArgs(s) {
  const args = ['-C', s.kernelTree, '-o', s.output];
  if (s.callCode !== DEFAULTS.callCode) args.push('--call-code', s.callCode);
  if (s.returnCode !== DEFAULTS.returnCode) args.push('--return-code', s.returnCode);
  if (s.lineCode !== DEFAULTS.lineCode) args.push('--line-code', s.lineCode);
  return args;
}

// stap-addprobe creates a missing script with the default preamble (port 65530). With another port
// or a template of the user's, the extension first creates it with stap-preamble; null: not needed.
function preambleArgs(s, scriptExists) {
  if (scriptExists) return null;
  if (s.port === DEFAULTS.port && !s.preamblePath) return null;
  const args = ['-p', String(s.port), '-o', s.output];
  if (s.preamblePath) args.push('--template', s.preamblePath);
  return args;
}

// "Trace this function's entries and exits": the function that contains FILE:LINE.
function traceFunctionArgs(s, file, line) {
  return [...commonArgs(s), '--json', '--function', location(file, line, s.kernelTree)];
}

// "Trace this line".
function traceLineArgs(s, file, line) {
  return [...commonArgs(s), '--json', '--line', location(file, line, s.kernelTree)];
}

// "Trace the functions touched by the selection": stap-addprobe --diff reads a unified diff on stdin
// and probes every function a hunk touches; the selection becomes one hunk that rewrites its lines.
function traceSelectionArgs(s) {
  return [...commonArgs(s), '--json', '--diff'];
}

// lines: the selected lines' text; first: 1-based number of the first one.
function selectionDiff(file, tree, first, lines) {
  const rel = relativeToTree(file, tree);
  const n = lines.length;
  const out = [`--- a/${rel}`, `+++ b/${rel}`, `@@ -${first},${n} +${first},${n} @@`];
  for (const l of lines) out.push(`-${l}`);
  for (const l of lines) out.push(`+${l}`);
  return out.join('\n') + '\n';
}

function listArgs(s) {
  return ['-C', s.kernelTree, '-o', s.output, '--list', '--json'];
}

function removeArgs(s, probe) {
  return ['-C', s.kernelTree, '-o', s.output, '--remove', probe];
}

// --list --json prints {"format":1, "line", "point", "body"} per probe (share/json-format.md); plain `LINE: probe POINT { BODY }` lines
// are accepted too. `probe` is what --remove takes (a literal probe point).
function parseProbeList(stdout) {
  const probes = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('{')) {
      try {
        const o = JSON.parse(line);
        const p = o.point || o.probe;
        if (p) probes.push({ probe: String(p), label: String(p), detail: [o.body, o.line ? `line ${o.line}` : ''].filter(Boolean).join('  ') });
        continue;
      } catch (_) { /* fall through: plain text */ }
    }
    const m = /^(\d+): probe (\S+?) \{ ?(.*?) ?\}$/.exec(line);
    if (m) probes.push({ probe: m[2], label: m[2], detail: `${m[3]}  line ${m[1]}` });
    else probes.push({ probe: line, label: line, detail: '' });
  }
  return probes;
}

// --json prints one object per location; returns them, ignoring lines that are not JSON.
function parseJsonLines(stdout) {
  const out = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{') && !t.startsWith('[')) continue;
    try {
      const v = JSON.parse(t);
      if (Array.isArray(v)) out.push(...v); else out.push(v);
    } catch (_) { /* not ours */ }
  }
  return out;
}

// One sentence for the notification after a successful run.
function summarize(all) {
  const results = all.filter((r) => !r.error);
  if (results.length === 0) return 'stap-addprobe: done';
  const names = results.map((r) => {
    const where = r.file ? `${r.file}${r.line ? ':' + r.line : ''}` : '';
    const what = r.function || r.input || '?';
    return r.kind === 'statement' || r.kind === 'line' ? `${what} (${where})` : what;
  });
  return `Traced ${names.join(', ')}`;
}

module.exports = {
  relativeToTree, location, traceFunctionArgs, traceLineArgs, traceSelectionArgs, selectionDiff,
  preambleArgs, listArgs, removeArgs, parseProbeList, parseJsonLines, summarize,
};
