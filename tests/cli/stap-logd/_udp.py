#!/usr/bin/env python3
"""Test helper: sends UDP datagrams on loopback.

  _udp.py PORT [--from ADDR] [--to ADDR] MSG...     one datagram per MSG (Python escapes like \\x1b allowed)
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
for m in a.msgs:
    s.sendto(m.encode("utf-8").decode("unicode_escape").encode("latin-1"), (to, a.port))
    if a.delay:
        time.sleep(a.delay)
for i in range(a.first, a.first + a.sa1):
    s.sendto(b"SA1 %d %d 1/1 line %d" % (a.cpu, i, i), (to, a.port))
