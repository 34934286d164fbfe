"""Every subpackage ships: pyproject.toml lists packages by name, so a new folder is easy to forget
(the wheel then installs without it, and only an installed run notices)."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "kruise_render").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert folders - listed == set()
