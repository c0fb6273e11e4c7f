#!/usr/bin/env python3
"""annotations_scope.py BEFORE AFTER KEY...: exit 1 (listing them) when AFTER
differs from BEFORE anywhere but in the header and the policy keys KEY...;
notes may change only on symbols whose KEY... policy changed."""
import ast
import re
import sys


def load(path):
    header, policies, notes = [], {}, {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#") and not policies:
            header.append(line)
            continue
        m = re.match(r"^(CONFIG_\w+)\s+(.*)$", line)
        if not m:
            continue
        name, rest = m.groups()
        p = re.search(r"policy<(\{.*?\})>", rest)
        if p:
            policies.setdefault(name, {}).update(ast.literal_eval(p.group(1)))
        n = re.search(r"note<(.*)>", rest)
        if n:
            notes[name] = n.group(1)
    return header, policies, notes


before_h, before_p, before_n = load(sys.argv[1])
after_h, after_p, after_n = load(sys.argv[2])
keys = set(sys.argv[3:])
bad = []
touched = set()
for name in sorted(set(before_p) | set(after_p)):
    b = {k: v for k, v in before_p.get(name, {}).items() if k not in keys}
    a = {k: v for k, v in after_p.get(name, {}).items() if k not in keys}
    if a != b:
        bad.append(f"{name}: {before_p.get(name)} -> {after_p.get(name)}")
    if before_p.get(name) != after_p.get(name):
        touched.add(name)
for name in sorted(set(before_n) | set(after_n)):
    if before_n.get(name) != after_n.get(name) and name not in touched:
        bad.append(f"{name}: note {before_n.get(name)} -> {after_n.get(name)} without a {' '.join(keys)} change")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"{len(touched)} symbols changed, only in {' '.join(sorted(keys))}")
