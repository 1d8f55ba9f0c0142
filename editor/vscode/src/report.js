// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// stap-report as the extension sees it: argument arrays (one pure function per view), the session
// files of stap-logd's folder, and the few fields the views take from the tool's output. Everything
// shown comes from the tool; nothing here counts or pairs calls itself. No `vscode` here.
'use strict';
const fs = require('fs');
const path = require('path');

/** @param {string} session */
function summaryArgs(session) { return ['--json', session]; }
/** @param {string} session */
function errorsArgs(session) { return ['--errors', session]; }
/** @param {string} session @param {string} out */
function chromeArgs(session, out) { return ['--chrome', out, '--json', session]; }
/** @param {string} older @param {string} newer */
function diffArgs(older, newer) { return ['--diff', older, newer]; }

// stap-report --json (share/json-format.md, format 1): a first object about the session, then one per
// function.
/** @param {string} stdout */
function parseSummary(stdout) {
  const objs = stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const head = objs.shift();
  if (!head || typeof head.session !== 'string') throw new Error('stap-report --json: no session object first');
  if (head.format !== 1) throw new Error(`stap-report --json: format ${head.format}, this extension reads format 1`);
  return { session: head, functions: objs.filter((o) => typeof o.function === 'string') };
}

// One row of the summary: "calls 2 · errors 1 · p50 30 µs · p99 80 µs".
/** @param {{calls:number, errors:number, unmatched:number, latency_us:null|{p50:number,p99:number}}} f */
function functionDescription(f) {
  const parts = [`calls ${f.calls}`, `errors ${f.errors}`];
  if (f.unmatched) parts.push(`unmatched ${f.unmatched}`);
  parts.push(f.latency_us ? `p50 ${f.latency_us.p50} µs · p99 ${f.latency_us.p99} µs` : 'no latency');
  return parts.join(' · ');
}

// stap-report --errors: the origins, each with its function, source location, first session line
// and chains, in the order printed (the first is the first error).
/** @param {string} stdout */
function parseErrors(stdout) {
  const origins = [];
  let cur = null;
  for (const line of stdout.split('\n')) {
    const o = /^(\S+?)@(\S+):(\d+): (.*)$/.exec(line);
    if (o) {
      cur = { function: o[1], file: o[2], line: Number(o[3]), what: o[4], sessionLine: 0, chains: [], text: [line] };
      origins.push(cur);
      continue;
    }
    if (!cur) continue;
    if (line === '') { cur = null; continue; }
    cur.text.push(line);
    const first = /^ {2}first: .*\(line (\d+)\)$/.exec(line);
    if (first) cur.sessionLine = Number(first[1]);
    const chain = /^ {2}\d+x (.*)$/.exec(line);
    if (chain) cur.chains.push(chain[1]);
  }
  return origins;
}

// stap-report --diff OLD NEW: per process name in both, where their calls and returns first differ.
// Each is {comm, step, old: {line}|null, new: {line}|null} (null: that session has no more calls or
// returns there). The files are matched as given to the tool, so a ':' in a path cannot mislead.
/** @param {string} stdout @param {string} older @param {string} newer */
function parseDivergences(stdout, older, newer) {
  const out = [];
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('first difference in the calls and returns'));
  if (start < 0) return out;
  /** @param {string | undefined} l @param {string} tag @param {string} file */
  const side = (l, tag, file) => {
    if (l === `  ${tag} (no more calls or returns)`) return null;
    const prefix = `  ${tag} ${file}:`;
    if (l === undefined || !l.startsWith(prefix)) return undefined;
    const m = /^(\d+): /.exec(l.slice(prefix.length));
    return m ? { line: Number(m[1]) } : undefined;
  };
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(.*): differs at step (\d+)$/.exec(lines[i]);
    if (!m) continue;
    const o = side(lines[i + 1], 'old', older);
    const n = side(lines[i + 2], 'new', newer);
    if (o === undefined || n === undefined) continue;
    out.push({ comm: m[1], step: Number(m[2]), old: o, new: n });
    i += 2;
  }
  return out;
}

// stap-logd's file names: YYYYMMDD-HHMMSS.micro_SENDER.log.
/** @param {string} name */
function parseSessionName(name) {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.\d+_(.+)\.log$/.exec(name);
  if (!m) return null;
  return { start: `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`, sender: m[7] };
}

// The session files of a folder, the live one (DIR/current's target) first, then newest first.
/** @param {string} dir */
function listSessions(dir, fsys = fs) {
  let live = '';
  try { live = path.resolve(dir, fsys.readlinkSync(path.join(dir, 'current'))); } catch (_) { /* none yet */ }
  let names = [];
  try { names = fsys.readdirSync(dir); } catch (_) { return []; }
  const out = [];
  for (const name of names) {
    const info = parseSessionName(name);
    if (!info) continue;
    const file = path.join(dir, name);
    let st;
    try { st = fsys.statSync(file); } catch (_) { continue; }
    if (!st.isFile()) continue;
    out.push({ file, name, ...info, size: st.size, live: file === live });
  }
  out.sort((a, b) => (a.live !== b.live ? (a.live ? -1 : 1) : b.name.localeCompare(a.name)));
  return out;
}

module.exports = { summaryArgs, errorsArgs, chromeArgs, diffArgs, parseSummary, functionDescription, parseErrors, parseDivergences,
                   parseSessionName, listSessions };
