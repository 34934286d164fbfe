"""A release is what a user installs: build the sdist and the wheel from a clean clone of this
commit with `python -m build`, install each into a new virtual environment, and run it there.

Needs the build backend from the package index (setuptools, setuptools-scm), as any build does.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # two builds and two installs with dependencies: ~1 minute


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("builds from a clean git clone of this checkout; this copy is not a git checkout")
    work = tmp_path_factory.mktemp("release")
    clone = _run(["git", "clone", "--quiet", str(ROOT), str(work / "src")])
    assert clone.returncode == 0, clone.stderr
    built = _run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(work / "src")])
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return work / "dist"


def _install(artifact: Path, where: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(artifact)])
    assert installed.returncode == 0, installed.stderr[-3000:]
    return where / "bin" / "kruise-render"


@pytest.mark.parametrize("pattern", ["*.whl", "*.tar.gz"])
def test_built_artifact_installs_and_renders_the_quickstart(dist: Path, pattern: str, tmp_path: Path) -> None:
    (artifact,) = dist.glob(pattern)
    command = _install(artifact, tmp_path / "venv")
    version = _run([str(command), "version"])
    assert version.returncode == 0 and version.stdout.startswith("kruise-render "), version.stderr
    assert "0.0.0+unknown" not in version.stdout  # the version came from git, not the fallback
    rendered = _run([str(command), "render", str(ROOT / "fixtures" / "quickstart" / "input")], cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == (ROOT / "fixtures" / "quickstart" / "expected.yaml").read_text()


def test_the_wheel_carries_the_schemas_and_the_license(dist: Path) -> None:
    import zipfile

    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(name.startswith("kruise_render/schemas/") and name.endswith(".json") for name in names)
    assert "kruise_render/_version.py" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
