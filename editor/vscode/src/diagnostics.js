// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Parses the one diagnostic format every stap-assistant tool prints on stderr
// (tools/common/diag.h):
//   TOOL: FILE:LINE: error: MESSAGE
//   TOOL: FILE: error: MESSAGE
//   TOOL: error: MESSAGE
//   TOOL: note: MESSAGE            (attached to the diagnostic before it)
// The same regular expression is the problem matcher in package.json, for deploy tasks.
'use strict';
const path = require('path');

const DIAG_RE = /^([A-Za-z0-9_.+-]+): (?:(.+?):(\d+): |(.+?): )?(error|warning|note): (.*)$/;

function parseDiagnostics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = DIAG_RE.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const [, tool, fileL, lineNo, fileNoLine, severity, message] = m;
    const file = fileL || fileNoLine || '';
    if (severity === 'note' && !file && out.length > 0) {
      out[out.length - 1].notes.push(message);
      continue;
    }
    out.push({ tool, file, line: lineNo ? Number(lineNo) : 0, severity, message, notes: [] });
  }
  return out;
}

// Where a diagnostic's file is: relative names are relative to the kernel tree.
function resolveDiagFile(file, tree) {
  if (!file) return '';
  return path.isAbsolute(file) ? file : path.join(tree, file);
}

// One message for the user: the text and its notes.
function describe(d) {
  return [d.message, ...d.notes].join('\n');
}

module.exports = { DIAG_RE, parseDiagnostics, resolveDiagFile, describe };
