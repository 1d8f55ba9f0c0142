// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Reads the session-file line format (share/log-format.md, version 1):
//   <time> cpu<cpu> <comm>[<pid>/<tid>] <indent><mark> <function><where> <details>
// with <where> = @FILE:LINE, and the notes stap-logd adds (`-- stap-logd: lost N lines ...`).
// Used by the definition provider (a log line jumps to its source) and the status bar (lost lines).
'use strict';

const LINE_RE = /^(\d+\.\d+) cpu(\d+) (\S*?)\[(\d+)\/(\d+)\] ( *)(->|<-|::|!!) ([A-Za-z_$][\w$.]*)(?:@([^\s:]+):(\d+))?(?= |$)/;
const LOST_RE = /^-- stap-logd: lost (\d+) lines?\b/;
// A bare FILE:LINE anywhere (for `!!` messages and raw netconsole text).
const FILE_LINE_RE = /(?:^|[\s(@])((?:[\w.+-]+\/)*[\w.+-]+\.[chS]):(\d+)\b/g;

function parseLogLine(text) {
  const m = LINE_RE.exec(text);
  if (!m) return null;
  const [whole, time, cpu, comm, pid, tid, indent, mark, func, file, line] = m;
  const funcStart = whole.length - func.length - (file ? 1 + file.length + 1 + line.length : 0);
  const rec = {
    time: Number(time), cpu: Number(cpu), comm, pid: Number(pid), tid: Number(tid),
    depth: Math.floor(indent.length / 2), mark, function: func,
    file: file || '', line: line ? Number(line) : 0,
    details: text.slice(whole.length).replace(/^ /, ''),
    functionRange: [funcStart, funcStart + func.length],
    whereRange: file ? [funcStart + func.length, whole.length] : null,
  };
  return rec;
}

function lostCount(text) {
  const m = LOST_RE.exec(text);
  return m ? Number(m[1]) : 0;
}

// Lost lines noted in a chunk of complete lines; fast when there are none.
function lostInChunk(chunk) {
  let total = 0;
  let i = chunk.indexOf('-- stap-logd: lost ');
  while (i !== -1) {
    if (i === 0 || chunk[i - 1] === '\n') {
      const end = chunk.indexOf('\n', i);
      total += lostCount(chunk.slice(i, end === -1 ? undefined : end));
    }
    i = chunk.indexOf('-- stap-logd: lost ', i + 1);
  }
  return total;
}

// Lines that stap-logd added (`-- stap-logd: ...`): not trace lines.
function countNotes(chunk) {
  let n = chunk.startsWith('-- stap-logd: ') ? 1 : 0;
  for (let i = chunk.indexOf('\n-- stap-logd: '); i !== -1; i = chunk.indexOf('\n-- stap-logd: ', i + 1)) n++;
  return n;
}

function countLines(chunk) {
  let n = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}

// What a click at `column` (0-based) of a log line points at:
//   {file, line, range}   a source location, or
//   {function, range}     a function without a location (a return line): the caller looks it up.
function targetAt(text, column) {
  const rec = parseLogLine(text);
  if (rec) {
    const inRange = (r) => r && column >= r[0] && column <= r[1];
    if (inRange(rec.whereRange) || (inRange(rec.functionRange) && rec.file)) {
      return { file: rec.file, line: rec.line, range: [rec.functionRange[0], rec.whereRange[1]] };
    }
    if (inRange(rec.functionRange)) return { function: rec.function, range: rec.functionRange };
  }
  FILE_LINE_RE.lastIndex = 0;
  for (let m = FILE_LINE_RE.exec(text); m; m = FILE_LINE_RE.exec(text)) {
    const start = m.index + m[0].length - m[1].length - 1 - m[2].length;
    const end = m.index + m[0].length;
    if (column >= start && column <= end) return { file: m[1], line: Number(m[2]), range: [start, end] };
  }
  return null;
}

// A return line names its function without a location: the nearest earlier call line of the same
// function has it. getLine(i) returns line i's text; searches at most `limit` lines back.
function findCallSite(func, fromLine, getLine, limit = 5000) {
  for (let i = fromLine; i >= 0 && i > fromLine - limit; i--) {
    const rec = parseLogLine(getLine(i));
    if (rec && rec.function === func && rec.file) return { file: rec.file, line: rec.line };
  }
  return null;
}

// The first call line of `func` with a source location in a session file, read in blocks (a
// session can be large; the summary's functions are usually called early).
function findCallSiteInFile(func, file) {
  const fs = require('fs');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    for (let pos = 0; ;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      const lines = (rest + buf.toString('utf8', 0, n)).split('\n');
      rest = lines.pop() || '';
      for (const l of lines) {
        if (!l.includes(func)) continue;
        const rec = parseLogLine(l);
        if (rec && rec.function === func && rec.file) return { file: rec.file, line: rec.line };
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return null;
}

// A return value that is an error (share/log-format.md: an errno is a negative decimal, and a
// pointer or unsigned return of -4095..-1 shows as 0xfffffffffffff001..0xffffffffffffffff).
const RETURN_RE = /(?:^| )return=(-?\d+|0x[0-9a-f]+)(?= |$)/;
function isErrorReturn(details) {
  const m = RETURN_RE.exec(details);
  if (!m) return false;
  let v;
  try { v = BigInt.asIntN(64, BigInt(m[1])); } catch (_) { return false; }
  return v >= -4095n && v <= -1n;
}

// The value spellings of share/log-format.md (## Values), in the order they are tried at a position:
// a C-quoted string, a user pointer `0x...(user)`, NULL `0x0`, a kernel pointer `0x...`, an errno
// `return=-N` (N in 1..4095: on a return, the one place where a negative number means an error), and
// `?` (optimized out). `->{` after a pointer opens the struct it points to: the pointer is coloured,
// the struct's members are scanned like any value.
const VALUE_RE = /("(?:[^"\\]|\\.)*")|(0x[0-9a-f]+\(user\))|(0x0)(?![0-9a-fx(])|(0x[0-9a-f]+)(?![0-9a-fx(])|(?<=^return=|[ ]return=)(-(?:[1-9]\d{0,2}|[1-3]\d{3}|40[0-8]\d|409[0-5]))(?![\d.])|(?<==)(\?)(?=[ ,}\]]|$)/g;
const VALUE_KIND = [null, 'string', 'user', 'null', 'pointer', 'errno', 'unknown'];

function valueSpans(text, from) {
  const spans = [];
  const details = text.slice(from);
  VALUE_RE.lastIndex = 0;
  for (let m = VALUE_RE.exec(details); m; m = VALUE_RE.exec(details)) {
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    spans.push([VALUE_KIND[group], from + m.index, from + m.index + m[0].length]);
  }
  return spans;
}

// Spans to colour in one line: [kind, start, end] with kind one of time, task, call, return, line,
// message, function, where, note, and for values string, user, null, pointer, errno, unknown. Only
// visible lines are coloured (see logcolors.js): a TextMate grammar would tokenize the whole session
// and slowed a 100,000-line stream by seconds.
const MARK_KIND = { '->': 'call', '<-': 'return', '::': 'line', '!!': 'message' };
function colorSpans(text) {
  if (text.startsWith('-- stap-logd: ')) return [['note', 0, text.length]];
  const rec = parseLogLine(text);
  if (!rec) return [];
  const timeEnd = text.indexOf(' ');
  const taskStart = text.indexOf(' ', timeEnd + 1) + 1;
  const taskEnd = text.indexOf(']', taskStart) + 1;
  const markStart = rec.functionRange[0] - 3;
  const spans = [['time', 0, timeEnd], ['task', taskStart, taskEnd], [MARK_KIND[rec.mark], markStart, markStart + 2],
                 ['function', ...rec.functionRange]];
  if (rec.whereRange) spans.push(['where', ...rec.whereRange]);
  const detailsStart = text.length - rec.details.length;
  if (rec.mark !== '!!' && rec.details) spans.push(...valueSpans(text, detailsStart));
  return spans;
}

module.exports = { findCallSiteInFile, isErrorReturn, colorSpans, parseLogLine, lostCount, lostInChunk, countLines, countNotes, targetAt, findCallSite };
