#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Test helper: sends UDP datagrams on loopback.

  _udp.py PORT [--from ADDR] [--to ADDR] MSG...     one datagram per MSG (Python escapes like \\x1b allowed)
                                                    a MSG "@ADDR TEXT" is sent from ADDR instead (one
                                                    process for several senders: no start-up between)
  _udp.py PORT --sa1 N [--cpu C] [--first S]          N SA1 lines "line S" .. on CPU C (no clear)
"""
import argparse
import socket
import time

p = argparse.ArgumentParser()
p.add_argument("port", type=int)
p.add_argument("--from", dest="src", default=None)
p.add_argument("--to", default=None)
p.add_argument("--sa1", type=int, default=0)
p.add_argument("--cpu", type=int, default=0)
p.add_argument("--first", type=int, default=1)
p.add_argument("--delay", type=float, default=0.0)
p.add_argument("msgs", nargs="*")
a = p.parse_intermixed_args()

to = a.to or a.src or "127.0.0.1"
family = socket.AF_INET6 if ":" in to else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
if a.src:
    s.bind((a.src, 0))
senders = {}
for m in a.msgs:
    sock = s
    if m.startswith("@"):
        src, m = m[1:].split(" ", 1)
        if src not in senders:
            senders[src] = socket.socket(socket.AF_INET6 if ":" in src else socket.AF_INET, socket.SOCK_DGRAM)
            senders[src].bind((src, 0))
        sock = senders[src]
    sock.sendto(m.encode("utf-8").decode("unicode_escape").encode("latin-1"), (to, a.port))
    if a.delay:
        time.sleep(a.delay)
for i in range(a.first, a.first + a.sa1):
    s.sendto(b"SA1 %d %d 1/1 line %d" % (a.cpu, i, i), (to, a.port))
