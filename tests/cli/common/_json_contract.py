#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks JSON Lines against share/json-format.md, whose tables are read here (so the document and
the check cannot drift apart).

usage: _json_contract.py DOC FILE NAME[,NAME...] [FIRST]
Every line of FILE must be one object that matches one of the named objects exactly: the members of
its table, in that order, each of its type; FIRST, if given, names the object of the first line."""
import json
import re
import sys

NAME = re.compile(r"`([a-z]+(?:-[a-z]+)+)`")


def read_contract(path):
    objects, name = {}, None
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            names = NAME.findall(line)
            name = names[-1] if names else None
            continue
        if name and line.startswith("| ") and not line.startswith("| member"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            objects.setdefault(name, []).append((cells[0], cells[1]))
    return objects


def check_type(value, typ, objects, where):
    for alt in typ.split("|"):
        alt = alt.strip()
        if alt == "null" and value is None:
            return
        if alt == "integer" and type(value) is int:
            return
        if alt == "number" and type(value) in (int, float):
            return
        if alt == "string" and type(value) is str:
            return
        if alt == "boolean" and type(value) is bool:
            return
        if alt.startswith("array of ") and type(value) is list:
            for i, v in enumerate(value):
                check_type(v, alt[len("array of "):], objects, f"{where}[{i}]")
            return
        if alt in objects and type(value) is dict:
            check_object(value, alt, objects, where)
            return
    raise ValueError(f"{where}: {json.dumps(value)} is not {typ}")


def check_object(obj, name, objects, where):
    want = [m for m, _ in objects[name]]
    if list(obj) != want:
        raise ValueError(f"{where}: members {list(obj)} are not {name}'s {want}")
    for member, typ in objects[name]:
        check_type(obj[member], typ, objects, f"{where}.{member}")
    if "format" in obj and obj["format"] != 1:
        raise ValueError(f"{where}: format {obj['format']} is not 1")


def main():
    doc, path, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    first = sys.argv[4] if len(sys.argv) > 4 else None
    objects = read_contract(doc)
    for n in names + ([first] if first else []):
        if n not in objects:
            sys.exit(f"{doc} has no object {n} (it has {sorted(objects)})")
    lines = open(path, encoding="utf-8").read().splitlines()
    if not lines:
        sys.exit(f"{path}: no JSON lines")
    bad = 0
    for i, line in enumerate(lines, 1):
        where = f"{path}:{i}"
        try:
            obj = json.loads(line)
            if type(obj) is not dict:
                raise ValueError(f"{where}: not an object")
            if obj.get("format") is None or next(iter(obj)) != "format":
                raise ValueError(f"{where}: \"format\" is not the first member")
            candidates = [first] if (first and i == 1) else names
            errors = []
            for n in candidates:
                try:
                    check_object(obj, n, objects, where)
                    break
                except ValueError as e:
                    errors.append(str(e))
            else:
                raise ValueError("; ".join(errors))
        except ValueError as e:
            print(f"contract: {e}", file=sys.stderr)
            bad += 1
    sys.exit(1 if bad else 0)


main()
