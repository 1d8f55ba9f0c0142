#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A UDP listener for the kernel tests: receives format-v1 datagrams (share/log-format.md) on
127.0.0.1:PORT until killed (SIGTERM) or --seconds pass, then writes

  With --forward PORT2, every datagram is also sent on to 127.0.0.1:PORT2 (a stap-logd).

  RAW        every datagram, one repr() per line, in arrival order
  LINES      the reassembled lines, "cpu seq text" one per line, in arrival order
  REPORT     a JSON summary: clear seen, per-CPU seq gaps and repeats, how many lines arrived out of
             order (netpoll may reorder a CPU's datagrams: allowed), malformed datagrams, longest line

It checks the wire format strictly (header syntax, part numbering, parts <= 64, datagram size) so
that a test fails on a format violation even when the line content looks right."""
import json, re, signal, socket, sys, time

HDR = re.compile(rb"^SA1 (\d+) (\d+) (\d+)/(\d+) ")

def main():
    port, raw_path, lines_path, report_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    forward = int(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[5] == "--forward" else None
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("127.0.0.1", port))
    s.settimeout(0.2)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    raw, lines, malformed, pending = [], [], [], {}
    clear, oversize, reordered = 0, 0, 0
    seqs, top, dups = {}, {}, []  # cpu -> the sequence numbers of its lines that arrived, the highest
    while not stop:
        try:
            data, _ = s.recvfrom(65536)
        except socket.timeout:
            continue
        raw.append(data)
        if forward:
            s.sendto(data, ("127.0.0.1", forward))
        if len(data) > 1472:
            oversize += 1
        m = HDR.match(data)
        if not m:
            if data.rstrip(b"\n") == b"===CLEAR===":
                clear += 1
            else:
                malformed.append(repr(data[:80]))
            continue
        cpu, seq, part, parts = (int(x) for x in m.groups())
        chunk = data[m.end():]
        if not (1 <= part <= parts <= 64):
            malformed.append(repr(data[:80]))
            continue
        if seq == 0:
            if chunk == b"===CLEAR===" and parts == 1:
                clear += 1
                seqs.clear()
                top.clear()
            else:
                malformed.append(repr(data[:80]))
            continue
        key = (cpu, seq)
        want, got = pending.setdefault(key, (parts, {}))
        if part in got or want != parts:
            malformed.append("repeated part or part count %r" % (data[:40],))
            continue
        got[part] = chunk
        if len(got) < parts:
            continue
        text = b"".join(c for _, c in sorted(pending.pop(key)[1].items())).decode("utf-8", "replace")
        have = seqs.setdefault(cpu, set())
        if seq in have:
            dups.append([cpu, seq])
            continue
        if seq < top.get(cpu, 0):
            reordered += 1
        top[cpu] = max(seq, top.get(cpu, 0))
        have.add(seq)
        lines.append((cpu, seq, text))
    with open(raw_path, "w") as f:
        for d in raw:
            f.write(repr(d) + "\n")
    with open(lines_path, "w") as f:
        for cpu, seq, text in lines:
            f.write("%d %d %s\n" % (cpu, seq, text))
    with open(report_path, "w") as f:
        # gaps: [cpu, A, B] where A and B arrived (A = 0: the clear, sequences start at 1 after it)
        # and every sequence number between them did not.
        gaps = []
        for cpu, have in sorted(seqs.items()):
            got = sorted(have | ({0} if clear else set()))
            gaps += [[cpu, a, b] for a, b in zip(got, got[1:]) if b != a + 1]
        json.dump({"clear": clear, "lines": len(lines), "gaps": gaps, "dups": dups, "reordered": reordered,
                   "malformed": malformed, "incomplete": len(pending), "oversize": oversize,
                   "longest": max((len(t) for _, _, t in lines), default=0),
                   "first_seq": {str(c): min(q for cc, q, _ in lines if cc == c)
                                 for c in {c for c, _, _ in lines}}}, f, indent=1)

if __name__ == "__main__":
    main()
