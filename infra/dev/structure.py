"""Measure the structure of the code: arrows against the layer order, import cycles between
files, first-party imports inside functions, and lines per room.

Run: `make structure` (or `.venv/bin/python infra/dev/structure.py`). The layer order is read
from the import-linter contract in `pyproject.toml`, so the figures always match `make lint`.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = [ROOT, ROOT / "platform"]
PACKAGES = [
    path.name
    for base in SOURCE_DIRS
    for path in sorted(base.iterdir())
    if (path / "__init__.py").exists() and path.name not in {"tests", "infra"}
]


def _layer_order() -> list[list[str]]:
    """The layers contract of pyproject.toml, top first; each layer a list of packages."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config.get("tool", {}).get("importlinter", {}).get("contracts", [])
    for contract in contracts:
        if contract.get("type") == "layers":
            return [
                [name.strip() for name in layer.replace("|", ":").split(":")]
                for layer in contract["layers"]
            ]
    return []


def _files(package: str) -> list[Path]:
    for base in SOURCE_DIRS:
        if (base / package / "__init__.py").exists():
            return [p for p in (base / package).rglob("*.py") if "migrations" not in p.parts]
    return []


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    for start in modules:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if ".migrations" in child:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child)
                    work.append((child, iter(sorted(imported))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _explained(lines: list[str], index: int) -> bool:
    """A comment on the import's line, or above its block of imports (blank lines included),
    up to the first other statement."""
    if "#" in lines[index]:
        return True
    index -= 1
    while index >= 0:
        stripped = lines[index].strip()
        if stripped.startswith("#"):
            return True
        if stripped and not stripped.startswith(("from ", "import ", ")")) and not \
                stripped.endswith(","):
            return False
        index -= 1
    return False


def _imports_in_functions() -> list[tuple[str, int, str, bool]]:
    """First-party imports inside functions: (file, line, module, explained). An import is
    explained when a comment on its line or on the line above names the reason."""
    found = []
    for package in PACKAGES:
        for path in _files(package):
            source = path.read_text()
            lines = source.splitlines()
            tree = ast.parse(source, str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.ImportFrom) and node.level:
                        names = ["." * node.level + (node.module or "")]
                    elif isinstance(node, ast.ImportFrom) and node.module:
                        names = [node.module]
                    elif isinstance(node, ast.Import):
                        names = [alias.name for alias in node.names]
                    else:
                        continue
                    for name in names:
                        if name.startswith(".") or name.split(".")[0] in PACKAGES:
                            explained = _explained(lines, node.lineno - 1)
                            found.append((str(path.relative_to(ROOT)), node.lineno, name,
                                          explained))
    return sorted(set(found))


def main() -> int:
    sys.path[:0] = [str(base) for base in SOURCE_DIRS]
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False,
                              exclude_type_checking_imports=True)
    order = _layer_order()
    rank = {package: position for position, layer in enumerate(order) for package in layer}

    arrows: dict[tuple[str, str], int] = defaultdict(int)
    for module in graph.modules:
        if ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = module.split(".")[0], imported.split(".")[0]
            if source != target and ".migrations" not in imported:
                arrows[(source, target)] += 1
    upward = [
        (s, t) for (s, t) in arrows if s in rank and t in rank and rank[t] < rank[s]
    ]
    sideways = [
        (s, t) for (s, t) in arrows if s in rank and t in rank and rank[t] == rank[s]
    ]
    cycles = _cycles(graph)
    inside = _imports_in_functions()
    lines = {
        package: sum(len(p.read_text().splitlines()) for p in _files(package))
        for package in PACKAGES
    }

    print(f"packages: {len(PACKAGES)}; arrows between packages: {len(arrows)}")
    if order:
        print("layer order (top first): " + " > ".join(" | ".join(layer) for layer in order))
        print(f"arrows pointing up: {len(upward)}")
        for source, target in sorted(upward):
            print(f"  {source} -> {target} ({arrows[(source, target)]} imports)")
        print(f"arrows inside one layer: {len(sideways)}")
    else:
        print("layer order: none in pyproject.toml; arrows between packages:")
        for (source, target), count in sorted(arrows.items()):
            print(f"  {source} -> {target} ({count})")
    print(f"import cycles between files: {len(cycles)}")
    for cycle in cycles:
        print(f"  {len(cycle)} files: {', '.join(cycle)}")
    files_with = len({path for path, _, _, _ in inside})
    unexplained = [entry for entry in inside if not entry[3]]
    print(f"first-party imports inside functions: {len(inside)} in {files_with} files, "
          f"{len(unexplained)} without a comment naming the reason")
    for path, lineno, name, explained in inside:
        print(f"  {path}:{lineno} {name}{'' if explained else '  (no reason given)'}")
    folders: dict[str, int] = defaultdict(int)
    for package in PACKAGES:
        for path in _files(package):
            folder = str(path.parent.relative_to(ROOT))
            folders[folder] += len(path.read_text().splitlines())
    largest = sorted(folders.items(), key=lambda kv: -kv[1])[:5]
    print("largest folders (their own .py files): " + ", ".join(
        f"{folder}/ {count}" for folder, count in largest))
    print("lines per room (without migrations): " + ", ".join(
        f"{package} {count}" for package, count in sorted(lines.items(), key=lambda kv: -kv[1])
    ))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
