"""The import structure: no cycles between the project's modules (a submodule importing
its own package's blueprint aside), so each layer can be read and tested on its own."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("registry", "search_index", "importers")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _imports(path: Path, known: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name in known)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        # A submodule importing its own package (a blueprint it adds routes to) is the
        # usual Flask pattern, not a cycle between layers.
        graph[name] = {t for t in _imports(path, known)
                       if t != name and not name.startswith(t + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_search_engine_knows_nothing_of_the_registry():
    # search_index/ receives documents and callables; the registry's side of search is
    # registry/search/. Imports inside functions count too.
    reaching_up = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "search_index").rglob("*.py")
        if "registry" in _imported_roots(path)
    )
    assert reaching_up == []


def test_the_engine_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from registry.models import Intervention\n")
    assert "registry" in _imported_roots(module)


def test_models_and_services_do_not_reach_up_into_imports_views_or_the_api():
    # importers/ holds parsing and the import pipeline, built on the registry's models and
    # services; pages and the API sit on top of both.
    upper = ("importers", "registry.views", "registry.api", "registry.search")
    reaching_up = sorted(
        f"{name} -> {target}"
        for name, targets in _graph().items()
        if name.startswith(("registry.models", "registry.services"))
        for target in targets
        if target.startswith(upper)
    )
    assert reaching_up == []
