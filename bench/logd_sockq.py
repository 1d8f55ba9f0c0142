# SPDX-License-Identifier: GPL-2.0-or-later
# logd_sockq.py PORT: samples /proc/net/udp and udp6 every 10 ms for the sockets bound to local
# PORT and, on SIGTERM, prints the largest receive queue seen, in KiB (the kernel's rx_queue: bytes
# charged to the socket's receive buffer). Part of bench/logd_scale.sh.
import signal
import sys
import time

port = ":%04X" % int(sys.argv[1])
peak = 0


def done(*_):
    print(peak // 1024)
    sys.exit(0)


signal.signal(signal.SIGTERM, done)
while True:
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        with open(table) as f:
            next(f)
            for line in f:
                fields = line.split()
                if fields[1].endswith(port):
                    peak = max(peak, int(fields[4].split(":")[1], 16))
    time.sleep(0.01)
