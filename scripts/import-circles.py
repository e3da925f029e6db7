#!/usr/bin/env python3
"""Import circles between the module files of each Rust crate.

For every crate under src-tauri/crates/*/src and the shell's src-tauri/src, builds a graph of
module files: an edge A -> B when file A names module B through `crate::...` or `super::...`
(in `use` lists or inline paths) or `self::...`. A path is resolved to the deepest module that
is a file of its own; a name re-exported with `pub use` is followed to the module that defines
it, so `use crate::Error` points at error.rs rather than at lib.rs. Declaring a child (`mod x;`)
and bare relative paths are not edges. Comments and string literals are ignored.

Prints the strongly connected components with more than 2 files, per crate, then a summary
line. With --check, exits 1 when there is any. Python 3, standard library only.

Usage: scripts/import-circles.py [--check] [--all] [REPO_ROOT]
  --all   also list the pairs (components of 2 files)
"""

import re
import sys
from pathlib import Path

LIMIT = 2  # components with more files than this are circles to break

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
# `r#"..."#` raw strings, normal strings, char literals (not lifetimes).
STRING_RE = re.compile(
    r'r(#*)"(?:.|\n)*?"\1|b?"(?:\\.|[^"\\])*"|b?\'(?:\\.|[^\'\\])\'', re.S
)
USE_RE = re.compile(r"\buse\s+([^;]+);")
PATH_RE = re.compile(r"(?<![A-Za-z0-9_])(crate|super|self)((?:\s*::\s*(?:" + IDENT + r"|\*))+)")
INLINE_MOD_RE = re.compile(r"\bmod\s+(" + IDENT + r")\s*\{")
PUB_USE_RE = re.compile(r"\bpub(?:\s*\([^)]*\))?\s+use\s+([^;]+);")


def strip(code):
    """Code without comments and string contents, same length so positions stay put."""
    out = []
    i, n = 0, len(code)
    while i < n:
        if code.startswith("//", i):
            j = code.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif code.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if code.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif code.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", code[i:j]))
            i = j
        else:
            m = STRING_RE.match(code, i)
            if m and (i == 0 or not (code[i - 1].isalnum() or code[i - 1] == "_")):
                out.append('""' + re.sub(r"[^\n]", " ", m.group(0))[2:])
                i = m.end()
            else:
                out.append(code[i])
                i += 1
    return "".join(out)


def expand(tree):
    """`a::{b, c::{d, e as f}}` -> [[a, b], [a, c, d], [a, c, e]] (aliases dropped)."""
    tree = re.sub(r"\s+", " ", tree).strip()
    results = []

    def walk(text, prefix):
        text = text.strip()
        if not text:
            return
        brace = text.find("{")
        if brace < 0:
            name = re.split(r"\s+as\s+", text)[0].strip()
            parts = [p.strip() for p in name.split("::") if p.strip()]
            results.append(prefix + parts)
            return
        head = [p.strip() for p in text[:brace].split("::") if p.strip()]
        inner = text[brace + 1 : text.rfind("}")]
        depth, start = 0, 0
        for k, ch in enumerate(inner):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                walk(inner[start:k], prefix + head)
                start = k + 1
        walk(inner[start:], prefix + head)

    walk(tree, [])
    return results


def module_of(src, path):
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts = parts[:-1]
    if parts in (["lib"], ["main"]):
        parts = []
    return tuple(parts)


class Crate:
    def __init__(self, name, src):
        self.name = name
        self.src = src
        self.files = {}  # module path -> file label
        self.code = {}  # label -> stripped code
        self.module = {}  # label -> module path
        for path in sorted(src.rglob("*.rs")):
            if "bin" in path.relative_to(src).parts[:1]:
                continue  # separate binaries, their own crate roots
            mod = module_of(src, path)
            label = str(path.relative_to(src))
            if mod in self.files and label == "main.rs":
                continue  # lib.rs and main.rs both: the library is the module tree
            self.files[mod] = label
            self.module[label] = mod
            self.code[label] = strip(path.read_text(encoding="utf-8", errors="replace"))
        self.reexports = {label: self._reexports(label) for label in self.code}

    def _reexports(self, label):
        """name -> absolute path it comes from, for each `pub use` of the file (not globs)."""
        table = {}
        for m in PUB_USE_RE.finditer(self.code[label]):
            for parts in expand(m.group(1)):
                if not parts or parts[-1] in ("*", "self"):
                    continue
                alias = re.search(r"\bas\s+(" + IDENT + r")", m.group(1))
                absolute = self.absolute(self.module[label], parts)
                if absolute is not None:
                    table[parts[-1]] = absolute
                    if alias and len(expand(m.group(1))) == 1:
                        table[alias.group(1)] = absolute
        return table

    def absolute(self, here, parts):
        """Module path named by `parts` from module `here`, or None when not in this crate."""
        if not parts:
            return None
        head, rest = parts[0], parts[1:]
        if head == "crate":
            base = ()
        elif head == "self":
            base = tuple(here)
        elif head == "super":
            base = tuple(here)
            while parts and parts[0] == "super":
                base = base[:-1]
                parts = parts[1:]
            rest = parts
        elif head in ("std", "core", "alloc") or head[0].isupper():
            return None
        else:
            # A bare path in a `pub use` of a 2018 crate: a child module of `here` if one exists.
            if tuple(here) + (head,) in self.files:
                base = tuple(here)
                rest = parts
            else:
                return None
        return base + tuple(p for p in rest if p not in ("*", "self"))

    def resolve(self, path, seen=0):
        """The file defining module path `path` (deepest file prefix, re-exports followed)."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.files:
                label = self.files[path[:cut]]
                rest = path[cut:]
                if rest and seen < 8 and rest[0] in self.reexports[label]:
                    target = self.reexports[label][rest[0]] + rest[1:]
                    # The re-export's target names the item: resolve its module.
                    return self.resolve(target[:-1] if len(target) > len(path[:cut]) else target, seen + 1) or label
                return label
        return None

    def inline_modules(self, code):
        """[(start, end, name)] of `mod name { ... }` blocks."""
        blocks = []
        for m in INLINE_MOD_RE.finditer(code):
            depth, k = 0, m.end() - 1
            while k < len(code):
                if code[k] == "{":
                    depth += 1
                elif code[k] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            blocks.append((m.end(), k, m.group(1)))
        return blocks

    def edges(self):
        graph = {label: set() for label in self.code}
        for label, code in self.code.items():
            blocks = self.inline_modules(code)

            def here(pos):
                inner = [name for (a, b, name) in blocks if a <= pos <= b]
                return self.module[label] + tuple(inner)

            refs = []
            for m in USE_RE.finditer(code):
                for parts in expand(m.group(1)):
                    refs.append((m.start(), parts))
            masked = USE_RE.sub(lambda m: " " * len(m.group(0)), code)
            for m in PATH_RE.finditer(masked):
                parts = [m.group(1)] + [p.strip() for p in m.group(2).split("::") if p.strip()]
                # The last segment of an inline path is usually an item or a function.
                refs.append((m.start(), parts))
            for pos, parts in refs:
                if not parts or parts[0] not in ("crate", "super", "self"):
                    continue
                path = self.absolute(here(pos), parts)
                if path is None:
                    continue
                target = self.resolve(path)
                if target and target != label:
                    graph[label].add(target)
        return graph


def components(graph):
    """Strongly connected components (Tarjan, iterative)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                result.append(sorted(comp))
    return result


def main(argv):
    check = "--check" in argv
    show_pairs = "--all" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    crates = [(p.parent.name, p) for p in sorted((root / "src-tauri/crates").glob("*/src"))]
    crates.append(("app (src-tauri/src)", root / "src-tauri/src"))

    circles, largest, pairs = 0, 0, 0
    for name, src in crates:
        if not src.is_dir():
            continue
        crate = Crate(name, src)
        comps = [c for c in components(crate.edges()) if len(c) > 1]
        big = sorted((c for c in comps if len(c) > LIMIT), key=lambda c: (-len(c), c))
        small = [c for c in comps if len(c) <= LIMIT]
        pairs += len(small)
        shown = big + (small if show_pairs else [])
        if shown:
            print(f"{name}:")
            for comp in shown:
                files = ", ".join(f.removesuffix(".rs") for f in comp)
                print(f"  {len(comp)} files: {files}")
        circles += len(big)
        largest = max([largest] + [len(c) for c in big])
    print(
        f"summary: {circles} circle(s) of more than {LIMIT} files"
        + (f", the largest {largest} files" if circles else "")
        + f"; {pairs} pair(s)"
    )
    return 1 if check and circles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
