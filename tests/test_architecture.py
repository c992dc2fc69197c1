"""The package's shape: no import cycle between pipeline modules, and no module over 600 lines.

Every module under pipeline/ is read with ``ast``, whatever branch added it. An edge is an explicit import
statement anywhere in a module (at the top, inside a function, under ``if TYPE_CHECKING``):
``import pipeline.a.b`` and ``from pipeline.a import b`` with ``b`` a submodule are edges to
``pipeline.a.b``; ``from pipeline.a import name`` is an edge to ``pipeline.a``. Importing a submodule
runs its parent package's ``__init__`` too, but that is no statement of the importer's, so it is no edge.
``importlib.import_module`` calls are not import statements and are not followed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "pipeline"
MAX_LINES = 600

# Edges known to close a cycle in files reserved to work in flight on other branches, as (importer, imported).
# Empty: no cycle is left. An entry must still be in the graph (see test_allowed_edges_are_still_there), so the
# lead notices when a merge makes one unnecessary and removes it.
ALLOWED_EDGES: frozenset[tuple[str, str]] = frozenset()

# Modules over MAX_LINES whose split is in flight on another branch, emptied once it lands. Empty: none.
OVERSIZED: frozenset[str] = frozenset()


def module_files(package_dir: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its __init__)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _absolute(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The absolute module name of an import's ``from`` part (relative imports resolved against the importer)."""
    if not level:
        return module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules that `name` imports explicitly, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node.module, node.level, name, is_package)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in modules:
                    found.add(submodule)
                elif source in modules:
                    found.add(source)
    found.discard(name)  # a package importing from its own __init__ is no edge between modules
    return found


def import_graph(package_dir: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Module -> the modules it imports, for every module of the package."""
    modules = module_files(package_dir)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def tangles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or not (strongly connected, more than one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm; the graph is small enough for recursion
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return groups


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a -> b -> ... -> a) through each group of modules that import each other."""
    return [_cycle_in(graph, group) for group in tangles(graph)]


def _cycle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A concrete cycle inside a strongly connected group: walk from its first module back to it."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & group):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError(f"no cycle through {start} in {sorted(group)}")  # cannot happen in a connected group


def test_no_import_cycle_in_the_package() -> None:
    graph = import_graph()
    assert len(graph) > 20 and "pipeline.parse" in graph["pipeline.run"]  # the graph was read at all
    allowed = {v: targets - {w for u, w in ALLOWED_EDGES if u == v} for v, targets in graph.items()}
    found = tangles(allowed)
    assert not found, "import cycles:\n" + "\n".join(
        f"{' -> '.join(_cycle_in(allowed, group))}   (all of {', '.join(sorted(group))})" for group in found)


def test_allowed_edges_are_still_there() -> None:
    graph = import_graph()
    stale = sorted((u, w) for u, w in ALLOWED_EDGES if w not in graph.get(u, set()))
    assert not stale, f"ALLOWED_EDGES no longer needed, remove them: {stale}"


def test_no_module_over_600_lines() -> None:
    long = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR.parent).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and rel not in OVERSIZED:
            long[rel] = lines
    assert not long, f"modules over {MAX_LINES} lines: {long}"
    stale = sorted(rel for rel in OVERSIZED if not (PACKAGE_DIR.parent / rel).is_file()
                   or len((PACKAGE_DIR.parent / rel).read_text(encoding="utf-8").splitlines()) <= MAX_LINES)
    assert not stale, f"OVERSIZED no longer needed, remove: {stale}"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


@pytest.mark.parametrize(("files", "expected"), [
    # A cycle closed by an import inside a function, through a package's __init__.
    ({"pkg/__init__.py": "", "pkg/a.py": "from pkg.sub import thing\n",
      "pkg/sub/__init__.py": "def f():\n    from pkg.a import x\n", "pkg/sub/b.py": ""},
     [["pkg.a", "pkg.sub", "pkg.a"]]),
    # ``from pkg.sub import b`` names the submodule, not the package: no cycle with pkg.sub's __init__.
    ({"pkg/__init__.py": "", "pkg/sub/__init__.py": "import pkg.c\n", "pkg/sub/b.py": "",
      "pkg/c.py": "from pkg.sub import b\n"}, []),
    # Relative imports and imports under TYPE_CHECKING count.
    ({"pkg/__init__.py": "", "pkg/a.py": "from .b import y\n",
      "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"},
     [["pkg.a", "pkg.b", "pkg.a"]]),
])
def test_the_graph_sees_what_the_rules_say(tmp_path: Path, files: dict[str, str], expected: list[list[str]]) -> None:
    assert cycles(import_graph(_write(tmp_path, files))) == expected
