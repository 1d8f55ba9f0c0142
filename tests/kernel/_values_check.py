# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks a session file of the path-walk trace against log-format.md's value spellings.

Usage: _values_check.py SESSION
Prints the figures it measured and one line per failed rule; exits 1 when a rule fails.
"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^(\d+\.\d{6}) cpu(\d+) (\S+)\[(\d+)/(\d+)\] ( *)(->|<-|::|!!) (\S+?)(@\S+)?(?: (.*))?$')


def values(details):
    """Top-level name=value pairs of a details text (values may hold spaces inside {} [] and "")."""
    out, i, n = [], 0, len(details)
    while i < n:
        eq = details.find('=', i)
        if eq < 0:
            break
        name, j, depth, quoted = details[i:eq], eq + 1, 0, False
        while j < n:
            c = details[j]
            if quoted:
                if c == '\\':
                    j += 1
                elif c == '"':
                    quoted = False
            elif c == '"':
                quoted = True
            elif c in '{[':
                depth += 1
            elif c in '}]':
                depth -= 1
            elif c == ' ' and depth == 0:
                break
            j += 1
        out.append((name, details[eq + 1:j]))
        i = j + 1
    return out


def main(path):
    failures, lines = [], []
    for raw in open(path, encoding='utf-8', errors='replace'):
        raw = raw.rstrip('\n')
        if raw.startswith('-- '):
            continue
        m = LINE.match(raw)
        if not m:
            failures.append(f'not a v1 line: {raw[:120]}')
            continue
        lines.append(m.groups())

    n_values = n_error = 0
    spell = defaultdict(int)
    for (_t, _cpu, _comm, _pid, _tid, _ind, mark, func, _where, details) in lines:
        if mark not in ('->', '<-') or not details:
            continue
        for name, v in values(details):
            n_values += 1
            if v == 'ERROR':
                n_error += 1
            if re.fullmatch(r'0x[0-9a-f]*[0-9a-f]', v) and int(v, 16) >= 2**64 - 4095:
                failures.append(f'an error pointer printed as an address: {func} {name}={v}')
            if mark == '<-' and func in ('do_filp_open', 'path_openat', 'lookup_fast', 'walk_component'):
                kind = ('error' if re.fullmatch(r'-\d+', v) else 'null' if v == '0x0' else
                        'struct' if re.fullmatch(r'0x[0-9a-f]+->\{.*', v) else
                        'pointer' if re.fullmatch(r'0x[0-9a-f]+', v) else
                        'string' if v.startswith('"') else 'other:' + v[:40])
                spell[kind] += 1
    share = 100.0 * n_error / n_values if n_values else 100.0
    print(f'values: {n_values} parameters and returns on -> and <- lines, {n_error} bare ERROR ({share:.2f}%)')
    print('pointer returns: ' + ', '.join(f'{k} {v}' for k, v in sorted(spell.items())))
    if not n_values or share > 1.0:
        failures.append(f'{share:.2f}% of the values are a bare ERROR (at most 1%)')
    for k in spell:
        if k.startswith('other:'):
            failures.append(f'a pointer return spelled {k[6:]!r}')
    for k in ('error', 'null', 'struct'):
        if not spell[k]:
            failures.append(f'no pointer return spelled as {k}')

    # Every ENOENT failure of an open: the functions of its chain that returned it show -2. Calls are
    # matched to their returns per thread by the call depth (a stack of the open calls).
    stacks, chains, bad_chains = defaultdict(list), 0, 0
    for (_t, _cpu, comm, _pid, tid, _ind, mark, func, _where, details) in lines:
        st = stacks[tid]
        if mark == '->':
            st.append({'func': func, 'children': [], 'ret': None, 'comm': comm})
        elif mark == '<-' and st and st[-1]['func'] == func:
            node = st.pop()
            node['ret'] = details[len('return='):] if details.startswith('return=') else details
            if st:
                st[-1]['children'].append(node)
            if func == 'do_sys_openat2' and node['ret'] == '-2':
                chains += 1
                filp = [c for c in node['children'] if c['func'] == 'do_filp_open']
                walks = [c for c in filp[-1]['children'] if c['func'] == 'path_openat'] if filp else []
                if not filp or filp[-1]['ret'] != '-2' or not walks or walks[-1]['ret'] != '-2':
                    bad_chains += 1
                    failures.append(f'{comm}[{tid}]: do_sys_openat2 returned -2 but its chain shows '
                                    f'do_filp_open={filp[-1]["ret"] if filp else None} '
                                    f'path_openat={walks[-1]["ret"] if walks else None}')
    print(f'ENOENT opens: {chains}, chains not all -2: {bad_chains}')
    if chains < 1:
        failures.append('no open failed with -2 (the workload opens /nonexistent)')
    walk_enoent = sum(1 for l in lines if l[6] == '<-' and l[7] == 'walk_component' and l[9] == 'return=-2')
    print(f'walk_component returning -2: {walk_enoent}')
    if walk_enoent < 1:
        failures.append('no walk_component returned -2 (ls /nope and ls /tmp/x/y look up missing names)')

    # Time stamps: consecutive lines of a CPU with the same stamp (local_clock() stalled between ticks).
    run, longest, prev = 0, 0, {}
    for (t, cpu, *_rest) in lines:
        run = run + 1 if prev.get(cpu) == t else 1
        prev[cpu] = t
        longest = max(longest, run)
    print(f'longest run of one CPU\'s consecutive lines with the same time stamp: {longest}')
    if longest > 3:
        failures.append(f'{longest} consecutive lines carry the same time stamp')

    for f in failures[:20]:
        print('FAIL: ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
