#!/usr/bin/env python3
"""layers_check.py REPO: the include graph keeps the floors of docs/design.md.

Fails (exit 1), listing each offence, when
  - a file includes a header of a higher floor, or of a sibling it does not
    stand on (floors, ground first: core, engine, protocols, synth, results,
    results/store, results/report, harness);
  - an adapter includes anything but include/, its own adapters/ files,
    adapters/common/ (what the built-in adapters share) and core/ (the
    ground floor, whose files a plugin compiles in; nothing with state
    above it);
  - modules include each other in a cycle, a module being a name's .c, .cpp
    and .h together (score_hist.c and threshold.c calling each other is one
    such cycle; one of them belongs below the other);
  - code below include/ names something shades_ or SHADES_ that the public
    header include/shades/adapter.h does not declare: those prefixes are the
    ABI's, internal names are sh_ and SH_ (as libuv keeps uv_ for its API).
The build enforces the floors too (each folder's target sees only the
include directories of the targets it links); this check also names the
line, and catches the cycles that a build cannot."""
import os
import re
import sys

FLOORS = ['core', 'engine', 'protocols', 'synth', 'results', 'results/store',
          'results/report', 'harness']
root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
SRC = ('.c', '.h', '.cpp', '.hpp')
INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]')


def floor_of(rel):
    parts = rel.split(os.sep)
    if parts[0] == 'results' and len(parts) > 2 and parts[1] in ('store', 'report'):
        return 'results/' + parts[1]
    if parts[0] in FLOORS:
        return parts[0]
    if parts[0] in ('include', 'adapters'):
        return parts[0]
    return None


files = {}
for top in FLOORS[:1] + ['engine', 'protocols', 'synth', 'results', 'harness', 'include',
                         'adapters']:
    for dirpath, _, names in os.walk(os.path.join(root, top)):
        for n in names:
            if n.endswith(SRC):
                rel = os.path.relpath(os.path.join(dirpath, n), root)
                files.setdefault(n, []).append(rel)


def resolve(rel, target):
    here = os.path.normpath(os.path.join(os.path.dirname(rel), target))
    if os.path.exists(os.path.join(root, here)):
        return [here]
    if os.path.exists(os.path.join(root, 'include', target)):
        return [os.path.join('include', target)]
    return files.get(os.path.basename(target), [])


def rank(f):
    return FLOORS.index(f) if f in FLOORS else -1


bad = []
edges = {}
for rels in files.values():
    for rel in rels:
        f = floor_of(rel)
        with open(os.path.join(root, rel), errors='replace') as fh:
            for ln, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                for c in resolve(rel, m.group(1)):
                    if c == rel:
                        continue
                    g = floor_of(c)
                    if f == 'adapters':
                        family = c.split(os.sep)[1] if g == 'adapters' else None
                        if g not in ('include', 'core') and family not in (
                                rel.split(os.sep)[1], 'common'):
                            bad.append(f'{rel}:{ln}: an adapter includes {c}')
                        continue
                    if f == 'include' and g != 'include':
                        bad.append(f'{rel}:{ln}: a public header includes {c}')
                    elif g == 'adapters':
                        bad.append(f'{rel}:{ln}: {f}/ includes an adapter\'s {c}')
                    elif f in FLOORS and g in FLOORS and rank(g) > rank(f):
                        bad.append(f'{rel}:{ln}: {f}/ includes {c}, a higher floor')
                    elif (f in ('results/store', 'results/report') and g == 'results/report'
                          and f != g):
                        bad.append(f'{rel}:{ln}: {f}/ includes {c}, which stands on it')
                    mod_a = os.path.splitext(rel)[0]
                    mod_b = os.path.splitext(c)[0]
                    if mod_a != mod_b:
                        edges.setdefault(mod_a, set()).add((mod_b, f'{rel}:{ln}'))

# Cycles between modules: Tarjan's strongly connected components.
index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w, _ in edges.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in index:
        visit(v)
for comp in sccs:
    where = sorted(at for a in comp for b, at in edges.get(a, ()) if b in comp)
    bad.append('modules include each other: ' + ', '.join(comp) + ' (' + '; '.join(where) + ')')

# Internal names: code (not strings or comments) outside include/ and adapters/.
abi = set(re.findall(r'\b(?:shades|SHADES)_\w+',
                     open(os.path.join(root, 'include/shades/adapter.h')).read()))
LEXEME = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
for rels in files.values():
    for rel in rels:
        if floor_of(rel) not in FLOORS:
            continue
        text = open(os.path.join(root, rel), errors='replace').read()
        code = LEXEME.sub(lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text)
        for m in re.finditer(r'\b(?:shades|SHADES)_\w+', code):
            if m.group(0) not in abi:
                ln = code.count('\n', 0, m.start()) + 1
                bad.append(f'{rel}:{ln}: internal name {m.group(0)} (shades_ and SHADES_ are the ABI\'s; use sh_)')

for b in sorted(set(bad)):
    print(b)
if bad:
    print(f'{len(set(bad))} offence(s) against the layers (docs/design.md, "The floors")')
    sys.exit(1)
print('every include stays on its floor or below, and no modules include each other')
