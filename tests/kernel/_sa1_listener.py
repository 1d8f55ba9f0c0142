#!/usr/bin/env python3
"""A UDP listener for the kernel tests: receives format-v1 datagrams (share/log-format.md) on
127.0.0.1:PORT until killed (SIGTERM) or --seconds pass, then writes

  With --forward PORT2, every datagram is also sent on to 127.0.0.1:PORT2 (a stap-logd).

  RAW        every datagram, one repr() per line, in arrival order
  LINES      the reassembled lines, "cpu seq text" one per line, in arrival order
  REPORT     a JSON summary: clear seen, per-CPU seq gaps, malformed datagrams, longest line

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
    clear, oversize = 0, 0
    last_seq, gaps, dups = {}, [], []
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
                last_seq.clear()
            else:
                malformed.append(repr(data[:80]))
            continue
        key = (cpu, seq)
        got = pending.setdefault(key, [])
        if len(got) + 1 != part:
            malformed.append("out of order part %r" % (data[:40],))
            pending.pop(key)
            continue
        got.append(chunk)
        if part < parts:
            continue
        text = b"".join(pending.pop(key)).decode("utf-8", "replace")
        prev = last_seq.get(cpu)
        if prev is not None and seq != prev + 1:
            (dups if seq <= prev else gaps).append([cpu, prev, seq])
        last_seq[cpu] = max(seq, prev or 0)
        lines.append((cpu, seq, text))
    with open(raw_path, "w") as f:
        for d in raw:
            f.write(repr(d) + "\n")
    with open(lines_path, "w") as f:
        for cpu, seq, text in lines:
            f.write("%d %d %s\n" % (cpu, seq, text))
    with open(report_path, "w") as f:
        json.dump({"clear": clear, "lines": len(lines), "gaps": gaps, "dups": dups,
                   "malformed": malformed, "incomplete": len(pending), "oversize": oversize,
                   "longest": max((len(t) for _, _, t in lines), default=0),
                   "first_seq": {str(c): min(q for cc, q, _ in lines if cc == c)
                                 for c in {c for c, _, _ in lines}}}, f, indent=1)

if __name__ == "__main__":
    main()
