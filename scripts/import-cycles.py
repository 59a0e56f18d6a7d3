#!/usr/bin/env python3
"""Fails when modules of the crate in src/ import each other in a circle.

Every file under src/ is a module; a module depends on another when it names it through a
`crate::…`, `super::…` or `self::…` path (in a `use` or inline), test modules and comments
left out. One kind of edge is not counted: a `mod.rs` (or `lib.rs`) naming its own direct
children, which is how Rust assembles a folder (declaring the children and mounting their
routes); a child using something of its parent's, or any longer way round, still counts.

It also checks the layers' direction where a circle check cannot see it: the pages (`web`) and
the API (`api`) are two clients of the services and never name each other, and nothing under
`domain`, `services`, `certificate`, `credential`, `mail` or `webhook` names an HTTP edge (`api`, `web`,
`auth`, `startup`) or imports poem.

Prints the dependency count and every circle found (as a strongly connected component, with
one loop through it), and exits 1 if there is one. Run from the repository root:
`python3 scripts/import-cycles.py`.
"""

import re
import sys
from pathlib import Path

SRC = Path("src")


def module_of(path: Path) -> tuple:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def strip(text: str) -> str:
    text = re.split(r"#\[cfg\(test\)\]\s*mod \w+", text)[0]
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def expand(tree: str) -> list:
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e]."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner, rest = tree[:start], tree[start + 1:i], tree[i + 1:]
                items, d, cur = [], 0, ""
                for c in inner:
                    if c == "," and d == 0:
                        items.append(cur)
                        cur = ""
                        continue
                    d += c == "{"
                    d -= c == "}"
                    cur += c
                items.append(cur)
                out = []
                for item in filter(None, items):
                    for e in expand(prefix + item + rest):
                        out.append(e)
                return out
    return [tree]


def main() -> int:
    files = sorted(p for p in SRC.rglob("*.rs") if p.name != "main.rs")
    modules = {module_of(p): p for p in files}
    deps = {m: set() for m in modules}
    for mod, path in modules.items():
        text = strip(path.read_text(encoding="utf-8"))
        paths = []
        for use in re.findall(r"\buse\s+([^;]+);", text):
            paths.extend(expand(use))
        paths.extend(re.findall(r"\b(?:crate|super|self)(?:::\w+)+", text))
        is_folder = path.name in ("mod.rs", "lib.rs")
        for p in paths:
            segs = [s for s in p.split("::") if s]
            if not segs or segs[0] not in ("crate", "self", "super"):
                continue
            if segs[0] == "crate":
                base, segs = (), segs[1:]
            else:
                base = mod
                while segs and segs[0] in ("self", "super"):
                    base = base[:-1] if segs[0] == "super" else base
                    segs = segs[1:]
            target = tuple(base)
            for s in segs:
                if target + (s,) not in modules:
                    break
                target = target + (s,)
            if target == mod or target not in modules:
                continue
            if is_folder and target[:-1] == mod:
                continue  # a folder naming its own children
            deps[mod].add(target)

    # Tarjan's strongly connected components.
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in deps[v]:
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
            sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in deps:
        if v not in index:
            visit(v)
    name = lambda m: "::".join(m) or "lib"
    edges = sum(len(d) for d in deps.values())
    circles = [c for c in sccs if len(c) > 1]
    print(f"{len(modules)} modules, {edges} dependencies")
    for comp in circles:
        members = set(comp)
        # one loop through the component, for the reader
        start = comp[0]
        path, seen, v = [start], {start}, start
        while True:
            nxt = next(w for w in deps[v] if w in members)
            path.append(nxt)
            if nxt in seen:
                break
            seen.add(nxt)
            v = nxt
        loop = path[path.index(path[-1]):]
        print(f"circle among {len(comp)} modules: {', '.join(sorted(map(name, comp)))}")
        print(f"  for example: {' -> '.join(map(name, loop))}")
    rules = [
        ("web", ("api",)),
        ("api", ("web",)),
    ] + [
        (low, ("api", "web", "auth", "startup"))
        for low in ("domain", "services", "certificate", "credential", "mail", "sms", "webhook")
    ]
    broken = []
    for mod in sorted(deps):
        for top, forbidden in rules:
            if mod[:1] == (top,):
                for target in sorted(deps[mod]):
                    if target[:1] and target[0] in forbidden:
                        broken.append(f"{name(mod)} names {name(target)}")
                if top not in ("web", "api") and re.search(
                    r"\bpoem(_openapi)?::", strip(modules[mod].read_text(encoding="utf-8"))
                ):
                    broken.append(f"{name(mod)} imports poem")
    for line in broken:
        print(f"layer rule broken: {line}")
    if circles or broken:
        return 1
    print("no circle, layers in order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
