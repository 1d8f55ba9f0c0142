// @ts-check
// SPDX-License-Identifier: GPL-2.0-or-later
// Follows stap-logd's session folder: DIR/current is a symlink that stap-logd switches atomically to
// the newest session file at every ===CLEAR===. poll() (called by a timer in the glue, directly by
// the tests) notices a new session by the link's target or the file's identity, then reads only the
// bytes appended since the last poll and hands complete lines to the listener. Nothing here keeps the
// session's text: the reader's memory stays flat however long the session is.
'use strict';
const fsp = require('fs/promises');
const path = require('path');
const { countLines, countNotes, lostInChunk } = require('./logline');

const MAX_READ = 4 * 1024 * 1024;  // bytes per poll at most, so one poll never blocks for long

class SessionFollower {
  // listener: { session({path, isNew}), lines(text, count, lost) }: text is complete lines, count the
// trace lines among them (stap-logd's own `-- stap-logd:` notes excluded), lost the lines its notes
// say were lost.
  constructor(dir, listener, fs = fsp) {
    this.dir = dir;
    this.listener = listener;
    this.fs = fs;
    this.session = null;  // {path, ino, dev}
    this.offset = 0;
    this.partial = Buffer.alloc(0);
    this.started = false;
    this.polling = null;
  }

  get currentLink() { return path.join(this.dir, 'current'); }

  // Serialised: a poll that is called while one runs waits for it.
  poll() {
    const run = () => this._poll();
    this.polling = (this.polling || Promise.resolve()).then(run, run);
    return this.polling;
  }

  async _poll() {
    const first = !this.started;
    this.started = true;
    let target;
    let st;
    try {
      target = await this.fs.readlink(this.currentLink);
      target = path.resolve(this.dir, target);
      st = await this.fs.stat(target);
    } catch (_) {
      return;  // no session yet (or stap-logd is switching): try again next poll
    }
    const s = this.session;
    const changed = !s || s.path !== target || s.ino !== st.ino || s.dev !== st.dev || st.size < this.offset;
    if (changed) {
      this.session = { path: target, ino: st.ino, dev: st.dev };
      this.offset = 0;
      this.partial = Buffer.alloc(0);
      this.listener.session({ path: target, isNew: !first });
    }
    if (st.size > this.offset) await this._read(target, st.size);
  }

  async _read(file, size) {
    const len = Math.min(size - this.offset, MAX_READ);
    let fh;
    try {
      fh = await this.fs.open(file, 'r');
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, this.offset);
      this.offset += bytesRead;
      // Only complete lines are decoded: an unfinished line (and a UTF-8 sequence cut by the read)
      // waits as bytes for the next poll.
      const bytes = this.partial.length ? Buffer.concat([this.partial, buf.subarray(0, bytesRead)])
                                        : buf.subarray(0, bytesRead);
      const cut = bytes.lastIndexOf(0x0a) + 1;
      this.partial = Buffer.from(bytes.subarray(cut));
      if (cut > 0) {
        const chunk = bytes.toString('utf8', 0, cut);
        this.listener.lines(chunk, countLines(chunk) - countNotes(chunk), lostInChunk(chunk));
      }
    } catch (_) {
      // the file vanished between stat and open: the next poll sees the new session
    } finally {
      if (fh) await fh.close();
    }
  }
}

module.exports = { SessionFollower, MAX_READ };
