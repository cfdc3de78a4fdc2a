"""The modules of app/ import one another without circles, and the models import no feature.

Every `import` counts, also those inside functions (a deferred import hides a circle from
Python, not from the reader). `app` itself (create_app, the composition root) is left out:
it wires every package, and entry points such as the mail worker call it.
"""
from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
COMPOSITION_ROOT = "app"
# What the model layer may use besides app.models.*: the database object.
MODEL_LAYER_MAY_IMPORT = {"app.extensions"}


def _module_names() -> dict[str, Path]:
    names = {}
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool,
              names: dict[str, Path]) -> set[str]:
    """The app modules an import statement names (`from app import mail` names app.mail)."""
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[:len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        candidates = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                      for alias in node.names]
    found = set()
    for name in candidates:
        while name not in names and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in names and name != module:
            found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """{module: the app modules it imports anywhere in its source}."""
    names = _module_names()
    graph = {}
    for module, path in names.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= _imported(node, module, path.name == "__init__.py", names)
        graph[module] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
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
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_circles_finds_a_circle_through_a_deferred_import():
    graph = {"app.a": {"app.b"}, "app.b": {"app.c"}, "app.c": {"app.a"}, "app.d": {"app.a"}}
    assert circles(graph) == [["app.a", "app.b", "app.c"]]


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    # The mail worker builds its app inside main(): `from app import create_app`.
    assert COMPOSITION_ROOT in graph["app.mail_queue"]


def test_app_modules_import_one_another_without_circles():
    graph = import_graph()
    without_root = {module: edges - {COMPOSITION_ROOT} for module, edges in graph.items()
                    if module != COMPOSITION_ROOT}
    assert circles(without_root) == []


def test_mail_delivery_does_not_import_the_mail_it_delivers():
    graph = import_graph()
    assert "app.mail" not in graph["app.mail_queue"]
    assert "app.mail" in graph and "app.mail_queue" in graph["app.mail"]


def test_models_import_no_feature_package():
    graph = import_graph()
    outside = {
        module: sorted(edge for edge in edges
                       if not edge.startswith("app.models") and edge not in MODEL_LAYER_MAY_IMPORT)
        for module, edges in graph.items() if module.startswith("app.models")
    }
    assert {module: edges for module, edges in outside.items() if edges} == {}
