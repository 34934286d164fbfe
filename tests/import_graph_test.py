"""The modules of kruise_render import each other without a circle, stages never import each
other, and commands never import the CLI: each layer only calls the ones below it.

The graph is read from the source with ast: every `import` and `from … import …` of a
kruise_render module, at module level or inside a function (a lazy import is still a
dependency), one node per module. A package's own `__init__` is a node like any other; the
implicit import of parent packages is left out (every module would otherwise depend on
`kruise_render/__init__`, which re-exports the API), and so are imports under
`if TYPE_CHECKING:`, which only the type checker runs.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "kruise_render"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(target: str, modules: dict[str, Path]) -> str | None:
    """The module an import names: itself, or the package it takes a name from."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:`."""
    blocks = [b for b in ast.walk(tree) if isinstance(b, ast.If) and ast.unparse(b.test).endswith("TYPE_CHECKING")]
    return {id(node) for block in blocks for statement in block.body for node in ast.walk(statement)}


def _edges(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(), str(path))
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "kruise_render":
                module = _resolve(target, modules)
                if module is not None and module != name:
                    found.add(module)
    return found


def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _edges(name, path, modules) for name, path in modules.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle as [a, b, …, a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_circle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def test_stages_never_import_each_other() -> None:
    wrong = [f"{name} imports {target}" for name, targets in graph().items() if name.startswith("kruise_render.stages.")
             for target in targets if target.startswith("kruise_render.stages.")]
    assert wrong == []


def test_commands_never_import_the_cli() -> None:
    wrong = [f"{name} imports {target}" for name, targets in graph().items()
             if name.startswith("kruise_render.commands") for target in targets if target == "kruise_render.cli"]
    assert wrong == []


def test_the_graph_sees_lazy_imports_and_the_api_door() -> None:
    edges = graph()
    assert "kruise_render.commands.render" in edges["kruise_render.cli"]  # imported inside the command function
    assert "kruise_render.validation.outputs" in edges["kruise_render.rendering"]
    assert {"kruise_render", "kruise_render.api"} <= edges["kruise_render.commands.render"]


@pytest.mark.parametrize(("edges", "cycle"), [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ({"a": {"a"}}, ["a", "a"]),
])
def test_find_cycle(edges: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert find_cycle(edges) == cycle


def test_a_circle_in_real_source_is_found(tmp_path: Path) -> None:
    modules = {"kruise_render.a": tmp_path / "a.py", "kruise_render.b": tmp_path / "b.py"}
    modules["kruise_render.a"].write_text("from kruise_render import b\n")
    modules["kruise_render.b"].write_text("def f() -> None:\n    from kruise_render.a import x\n")
    modules["kruise_render.c"] = tmp_path / "c.py"
    modules["kruise_render.c"].write_text("import typing\nif typing.TYPE_CHECKING:\n    from kruise_render import a\n")
    edges = {name: _edges(name, path, modules) for name, path in modules.items()}
    assert find_cycle(edges) == ["kruise_render.a", "kruise_render.b", "kruise_render.a"]
    assert edges["kruise_render.c"] == set()  # for the type checker only
