#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a synthetic session file (share/log-format.md, version 1) for bench/report_bench.sh.

report_gen.py LINES SEED > session.log

Threads of several processes on 4 CPUs take turns a few lines at a time (interleaved in the file),
each walking a random call tree up to 48 deep over 300 functions (with recursion), with "::" lines,
error returns, "!!" messages, lost-line notes that swallow the lines they count (so calls are left
open and returns come back unmatched), and calls still open at the end.
"""
import random
import sys


def main():
    total, seed = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    funcs = [f"fn_{i}_{'x' * (i % 13)}" for i in range(300)]
    files = [f"fs/file{i}.c" for i in range(40)]
    where = {f: f"@{files[i % 40]}:{100 + i * 7}" for i, f in enumerate(funcs)}
    comms = ["ls", "cat", "kworker/1:1", "systemd-journal", "bash", "sshd"]
    threads = []
    for i in range(96):
        pid = 1000 + (i // 4) * 10
        threads.append({"comm": comms[i % len(comms)], "pid": pid, "tid": pid + i % 4,
                        "cpu": i % 4, "stack": []})
    out = sys.stdout
    write = out.write
    t_us = 5_000_000
    seq = [0, 0, 0, 0]
    n = 0
    write("-- stap-logd: session from 10.0.2.15 started by ===CLEAR===\n")
    n += 1
    while n < total:
        th = r.choice(threads)
        if r.random() < 0.05:
            th["cpu"] = r.randrange(4)  # migration
        for _ in range(r.randrange(1, 6)):
            if n >= total:
                break
            t_us += r.randrange(0, 4)
            stack = th["stack"]
            head = f"{t_us // 1000000}.{t_us % 1000000:06d} cpu{th['cpu']} {th['comm']}[{th['pid']}/{th['tid']}] "
            indent = "  " * len(stack)
            x = r.random()
            if stack and (len(stack) >= 48 or x < 0.45):
                f = stack.pop()
                indent = "  " * len(stack)
                y = r.random()
                if y < 0.1:
                    line = f"{head}{indent}<- {f}\n"
                elif y < 0.15:
                    line = f"{head}{indent}<- {f} return=-{r.choice((2, 4, 5, 12, 22, 110))}\n"
                elif y < 0.18:
                    line = f"{head}{indent}<- {f} return=0xfffffffffffffff{r.choice('ef4')}\n"
                else:
                    line = f"{head}{indent}<- {f} return=0x{r.randrange(1 << 48):x}\n"
            elif x < 0.9 or not stack:
                f = stack[-1] if stack and r.random() < 0.05 else r.choice(funcs)
                line = f"{head}{indent}-> {f}{where[f]} a=0x{r.randrange(1 << 40):x} b={r.randrange(100)} c={{.x=1, .y=0x0}}\n"
                stack.append(f)
            elif x < 0.99:
                f = stack[-1]
                line = f"{head}{indent}  :: {f}{where[f]} i={r.randrange(1000)} p=0x{r.randrange(1 << 40):x}\n"
            else:
                line = f"{head}{indent}  !! {stack[-1]} skipped 1 call (reentrancy)\n"
            cpu = th["cpu"]
            seq[cpu] += 1
            if r.random() < 0.0005:  # this line and a few after it are lost: say so, as stap-logd does
                lost = r.randrange(1, 8)
                write(f"-- stap-logd: lost {lost} lines (cpu {cpu}, seq {seq[cpu]}..{seq[cpu] + lost - 1})\n")
                seq[cpu] += lost - 1
                n += 1
                continue
            write(line)
            n += 1


main()
