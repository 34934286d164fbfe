"""The public API is `kruise_render.__all__`, and the CLI commands use nothing else (httpx's
rule: the command line is a client of the library like any other). Printing is done in one
place, kruise_render/commands/output.py; a command returns an exit code."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import kruise_render
from kruise_render import api
from tests.conftest import ROOT

COMMANDS = ROOT / "kruise_render" / "commands"
# What a command module may import from kruise-render: the package's public names, the api
# module, and the other command modules (output.py).
ALLOWED_MODULES = {"kruise_render.api"}


def _imports(path: Path) -> list[tuple[str, str | None, int]]:
    """(module, name or None, line) of every import in `path`, at any depth."""
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.extend((node.module, alias.name, node.lineno) for alias in node.names)
    return found


def _command_modules() -> list[Path]:
    return sorted(COMMANDS.glob("*.py"))


def test_every_public_name_exists_and_is_listed_once() -> None:
    names = kruise_render.__all__
    assert len(names) == len(set(names))
    assert [name for name in names if not hasattr(kruise_render, name)] == []


def test_every_call_of_the_api_module_is_public() -> None:
    calls = {name for name, value in vars(api).items()
             if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == api.__name__}
    assert calls - set(kruise_render.__all__) == set()


def test_commands_use_only_public_names() -> None:
    public = set(kruise_render.__all__) | {"api"}
    wrong = []
    for path in _command_modules():
        for module, name, line in _imports(path):
            if not module.startswith("kruise_render"):
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            if module == "kruise_render" and name not in public:
                wrong.append(f"{where}: {name} is not in kruise_render.__all__")
            elif module not in ("kruise_render", *ALLOWED_MODULES) and not module.startswith("kruise_render.commands"):
                wrong.append(f"{where}: imports {module}" + (f".{name}" if name else ""))
    assert wrong == []


def test_the_guard_sees_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def run() -> int:\n    from kruise_render.yaml import writer\n    return 0\n")
    assert _imports(module) == [("kruise_render.yaml", "writer", 2)]


def test_only_output_prints() -> None:
    wrong = []
    for path in _command_modules():
        if path.name == "output.py":
            continue
        for module, _, line in _imports(path):
            if module in ("click", "sys"):
                wrong.append(f"{path.name}:{line}: imports {module}")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in ("print", "echo", "write", "flush"):
                    wrong.append(f"{path.name}:{node.lineno}: calls {name}")
    assert wrong == []
