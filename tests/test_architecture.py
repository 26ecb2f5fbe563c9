"""The package layout is a contract: rooms import only downwards, and no module cycles.

The graph is read from the source (``ast``), every import counted, also those inside
functions and under ``TYPE_CHECKING``: a lazy import still couples two modules, and a cycle
hidden in a function is the one that bites when someone moves it to the top.
docs/architecture.md explains the rooms.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "codeer"

# Each room with the rooms it may import (besides itself). Lower rooms come first.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "store": {"errors"},
    "ingest": {"errors", "store"},
    "coding": {"errors", "store", "ingest"},
    "review": {"errors", "store", "ingest", "coding"},
    "synthesis": {"errors", "store", "coding"},
    "exchange": {"errors", "store", "ingest", "coding", "synthesis"},
    "report": {"errors", "store", "coding", "synthesis"},
    "pipeline": {"errors", "store", "ingest", "coding", "synthesis", "report"},
    "cli": {
        "errors",
        "store",
        "ingest",
        "coding",
        "review",
        "synthesis",
        "exchange",
        "report",
        "pipeline",
        "version",
    },
    "main": {"cli"},
    "version": set(),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every codeer module the file imports, resolved to a module name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("codeer"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("codeer"):
                continue
            for alias in node.names:
                # "from codeer.review import decisions" imports a module, not a name.
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {m for m in found if m != name}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "version"  # codeer/__init__.py: the version string only
    if parts[1] == "__main__":
        return "main"
    return parts[1]


def graph() -> dict[str, set[str]]:
    return {name: imports_of(path, name) for name, path in MODULES.items()}


def test_every_room_is_known():
    assert {room(m) for m in MODULES} <= set(ALLOWED)


def test_imports_point_down():
    upward = []
    for module, targets in graph().items():
        for target in targets:
            source_room, target_room = room(module), room(target)
            if target_room == "version":
                continue  # codeer/__init__.py holds only __version__: anyone may read it
            if source_room != target_room and target_room not in ALLOWED[source_room]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_import_cycles():
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_cli_imports_cleanly_and_lightly():
    """``import codeer.cli.main`` works in a fresh interpreter and pulls no heavy library."""
    code = (
        "import sys, codeer.cli.main; "
        "heavy = {'spacy', 'pandas', 'sklearn', 'textual', 'matplotlib', 'numpy', 'scipy', "
        "'lxml', 'regex'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_modules_stay_readable():
    """Modules of at most 400 lines (docs/architecture.md); a longer one is split by topic."""
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
