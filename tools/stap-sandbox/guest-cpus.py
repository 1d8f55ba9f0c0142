#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""guest-cpus.py MONITOR_SOCKET SYSTEM_MAP: asks a running QEMU's human monitor where each vCPU is
("info registers -a") and prints one line per CPU: "cpu0: RIP=ffffffff81234567 native_safe_halt+0xb" (or "(user space)").
Used by stap-testbed guest when a guest does not finish in time: a hung guest then says where it hung."""
import bisect, re, socket, sys, time

def symbols(path):
    addrs, names = [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[1] in "tTwW":
                addrs.append(int(parts[0], 16))
                names.append(parts[2])
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]

def ask(sock_path, command, seconds=3.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.3)
    s.connect(sock_path)
    s.sendall(command.encode() + b"\n")
    out, end = b"", time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            if b"RIP=" in out:
                break
            continue
        if not chunk:
            break
        out += chunk
    s.close()
    return out.decode("utf-8", "replace")

def main():
    text = ask(sys.argv[1], "info registers -a")
    addrs, names = symbols(sys.argv[2])
    cpu = 0
    for line in text.splitlines():
        m = re.match(r"CPU#(\d+)", line.strip())
        if m:
            cpu = int(m.group(1))
        m = re.search(r"RIP=([0-9a-f]+)", line)
        if m:
            rip = int(m.group(1), 16)
            i = bisect.bisect_right(addrs, rip) - 1
            if rip < 1 << 47:
                where = "(user space)"
            elif i >= 0 and rip - addrs[i] < 1 << 20:
                where = "%s+0x%x" % (names[i], rip - addrs[i])
            else:
                where = "(not in System.map: a module?)"
            print("cpu%d: RIP=%x %s" % (cpu, rip, where))

if __name__ == "__main__":
    main()
