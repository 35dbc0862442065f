"""The import structure of `src/townhall`: packages in layers that only point down.

The graph is read from the source with `ast` (no import runs). Three rules hold it:
- a package imports only packages of its own layer or below (`LAYERS`, bottom first);
- no two packages import each other, directly or round a circle;
- an import of a Townhall module inside a function is allowed only where `LAZY` says why.
Imports under `if TYPE_CHECKING:` count: a type named from above is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"

# Bottom first; `townhall` is the root package (its version) and `cli` the entry point.
LAYERS: list[set[str]] = [
    {"townhall", "core"},
    {"stories"},
    {"accounts"},
    {"comments"},
    {"moderation"},
    {"pagecache", "live", "notify", "porting", "transparency"},  # beside each other, no cycle
    {"api", "dashboard", "embed", "ops", "demo"},
    {"config", "cli"},
]

# (importing module, imported module): why the import waits for the call. Besides these, an
# app's `apps.py` imports its receivers inside `ready()`: Django's place for connecting them,
# once every model is loaded.
LAZY: dict[tuple[str, str], str] = {
    ("townhall.config.asgi", "townhall.core.handler"):
        "Django must be set up (get_asgi_application) before the handler is built",
    ("townhall.config.asgi", "townhall.core.threads"):
        "as the handler: imported once Django is set up",
    ("townhall.config.asgi", "townhall.pagecache.hotpath"):
        "the hot path reads models, which exist only once Django is set up",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _target(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


class _Imports(ast.NodeVisitor):
    """Collect (imported module, inside a function?) for every import in one file."""

    def __init__(self, module: str, path: Path) -> None:
        self.module, self.path = module, path
        self.found: list[tuple[str, bool, int]] = []
        self._depth = 0

    def _function(self, node: ast.AST) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, self._depth > 0, node.lineno))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        target = _target(self.module, self.path, node)
        names = [f"{target}.{alias.name}" for alias in node.names]
        # `from townhall.x import y` may name a module y or a name in x: keep the module.
        for name in names:
            self.found.append((name, self._depth > 0, node.lineno))


def _package(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "townhall"
    return "cli" if parts[1] == "cli" else parts[1]


def _modules() -> set[str]:
    return {_module_name(p) for p in (SOURCE / "townhall").rglob("*.py")}


def _resolve(name: str, modules: set[str]) -> str | None:
    """Return the Townhall module an imported name lives in (None: outside Townhall)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports() -> list[tuple[str, str, bool, int]]:
    modules = _modules()
    rows = []
    for path in sorted((SOURCE / "townhall").rglob("*.py")):
        visitor = _Imports(_module_name(path), path)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for name, lazy, line in visitor.found:
            target = _resolve(name, modules) if name.startswith("townhall") else None
            if target is not None and target != visitor.module:
                rows.append((visitor.module, target, lazy, line))
    return rows


def _layer(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"package {package!r} is in no layer of LAYERS")


def test_packages_only_import_their_layer_or_below() -> None:
    upward = sorted(
        f"{source}:{line} imports {target} ({_package(source)} → {_package(target)})"
        for source, target, _lazy, line in _imports()
        if _layer(_package(target)) > _layer(_package(source))
    )
    assert upward == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target, _lazy, _line in _imports():
        if _package(source) != _package(target):
            graph[_package(source)].add(_package(target))
    assert _circles(graph) == []


def test_function_level_imports_are_few_and_explained() -> None:
    lazy = {(source, target) for source, target, is_lazy, _line in _imports()
            if is_lazy and not source.endswith(".apps")}
    assert sorted(lazy - LAZY.keys()) == []
    assert sorted(LAZY.keys() - lazy) == [], "an allowed lazy import no longer exists"


def test_the_graph_reader_sees_imports() -> None:
    """The rules above are only as good as the reader: it finds known edges, lazy ones too."""
    rows = _imports()
    assert ("townhall.api.comments", "townhall.comments.access") in {(s, t) for s, t, *_ in rows}
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert any(lazy for *_rest, lazy, _line in rows)
    assert _package("townhall.cli") == "cli" and _package("townhall") == "townhall"


LAB_ONLY = ("sklearn", "scipy", "townhall_lab")


def test_the_runtime_needs_no_training_library() -> None:
    """Training and evaluation live in `model/` (the lab): an install scores without them.

    The model commands reach the lab through `moderation.lab.lab_module`, by name."""
    found = []
    for path in sorted((SOURCE / "townhall").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{_module_name(path)} imports {n}" for n in names
                      if n.split(".")[0] in LAB_ONLY]
    assert found == []
