#!/usr/bin/env python3
"""tests/layers.py - check the call structure of the built objects.

usage: python3 tests/layers.py BUILD [PREFIX...]

BUILD is the build folder (the objects of every source, build/<dir>/<f>.o).
Only sources whose path starts with one of the PREFIXes (default: all of
lib/, etl/, join/, train/, report/) are judged; the others still count as
callees.  Two rules (docs/ARCHITECTURE.md, "Dependencies"):

  cycle    files that call each other, directly or through others: every
           dependency points one way, main -> driver -> parts -> lib.  Also
           a lib/ file calling a stage file, or anything calling a main.
  header   a function (or variable) a header declares is defined in the .c
           of the same name: X.h's prototypes live in X.c.  A declaration
           that nothing defines is reported too.

The graph comes from nm (a file calls another when it uses a symbol the
other defines); the declarations from ctags (prototypes and extern
variables).  Prints one "FILE: rule: what" line per finding and exits 1 if
there was any, 0 if none, 77 if nm or ctags is missing.
"""
import os
import shutil
import subprocess
import sys

STAGES = ["lib", "etl", "join", "train", "report"]


def objects(build, root):
    """{source path: object path} for every source that has an object."""
    out = {}
    for stage in STAGES:
        for name in sorted(os.listdir(os.path.join(root, stage))):
            if name.endswith(".c"):
                o = os.path.join(build, stage, name[:-2] + ".o")
                if os.path.exists(o):
                    out[stage + "/" + name] = o
    return out


def symbols(objs):
    """({source: set of defined}, {source: set of used}) global symbols."""
    defs, uses = {}, {}
    res = subprocess.run(["nm", "-A", "-g"] + list(objs.values()),
                         capture_output=True, text=True, check=True)
    by_obj = {o: s for s, o in objs.items()}
    for s in objs:
        defs[s], uses[s] = set(), set()
    for line in res.stdout.splitlines():
        path, _, rest = line.partition(": ") if ": " in line else line.partition(":")
        parts = rest.split()
        if path not in by_obj or not parts:
            continue
        src = by_obj[path]
        if len(parts) == 2 and parts[0] == "U":
            uses[src].add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDRBCVWi":
            defs[src].add(parts[2])
    return defs, uses


def layer(src):
    if src.startswith("lib/"):
        return 0
    return 2 if src.endswith("_main.c") else 1


def sccs(nodes, edges):
    """Strongly connected components (Tarjan, iterative), as lists."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def declarations(header):
    """Names of the prototypes and extern variables header declares."""
    res = subprocess.run(["ctags", "-x", "--language-force=C", "--c-kinds=px",
                          "--_xformat=%N", header],
                         capture_output=True, text=True, check=True)
    return sorted(set(res.stdout.split()))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: python3 tests/layers.py BUILD [PREFIX...]\n")
        return 2
    for tool in ("nm", "ctags"):
        if not shutil.which(tool):
            print("SKIP: %s missing" % tool)
            return 77
    build = argv[1]
    prefixes = argv[2:] or [s + "/" for s in STAGES]
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    objs = objects(build, root)
    defs, uses = symbols(objs)
    owner = {}
    for s in sorted(defs):
        for name in defs[s]:
            owner.setdefault(name, s)
    edges = {s: set() for s in objs}
    for s in objs:
        for name in uses[s]:
            t = owner.get(name)
            if t and t != s:
                edges[s].add(t)

    def judged(src):
        return any(src.startswith(p) for p in prefixes)

    findings = []
    for s in sorted(objs):
        for t in sorted(edges[s]):
            if judged(s) and layer(t) > layer(s):
                findings.append("%s: cycle: calls %s, a layer above it" % (s, t))
    for comp in sccs(sorted(objs), edges):
        if len(comp) > 1 and any(judged(s) for s in comp):
            calls = ["%s -> %s" % (s, t) for s in comp for t in sorted(edges[s]) if t in comp]
            findings.append("%s: cycle: files call each other: %s" % (comp[0], "; ".join(calls)))
    for stage in STAGES:
        for name in sorted(os.listdir(os.path.join(root, stage))):
            h = stage + "/" + name
            if not name.endswith(".h") or not judged(h):
                continue
            c = h[:-2] + ".c"
            for d in declarations(os.path.join(root, h)):
                if c in defs and d in defs[c]:
                    continue
                where = owner.get(d)
                if where:
                    findings.append("%s: header: %s is defined in %s, not %s" % (h, d, where, c))
                else:
                    findings.append("%s: header: %s is defined nowhere" % (h, d))
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
