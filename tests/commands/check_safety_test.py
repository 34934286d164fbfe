"""`check --fix` writes like `render -o`: only where its config says, never outside the
repository, never through a link, nothing when the input has an error."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.yaml.writer_test import configmap, snapshot

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("kruise_render.commands.check") is None, reason="no `check` command yet"
)


def repo(tmp_path: Path, targets: str) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "a.yaml").write_text(configmap("x"))
    (root / ".kruise-render.yaml").write_text("targets:\n" + targets)
    return root


def test_fix_writes_the_outputs_it_names(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: out/\n- source: src\n  output: all.yaml\n")
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 0, result.err
    assert (root / "out" / "configmap-x.yaml").exists() and (root / "all.yaml").read_text() == configmap("x")


def test_render_error_leaves_outputs_untouched(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: out/\n")
    assert run_cli("check", "--fix", cwd=root).code == 0
    (root / "src" / "a.yaml").write_text(configmap("x") + "metadata: {}\n")
    before = snapshot(root / "out")
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 1 and "Traceback" not in result.err
    assert snapshot(root / "out") == before


def test_file_output_that_is_a_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: all.yaml\n")
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep\n")
    (root / "all.yaml").symlink_to(victim)
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 1 and "is outside" in result.err
    assert victim.read_text() == "keep\n"


def test_source_outside_the_repository_is_refused(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: ../secrets\n  output: out/\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "s.yaml").write_text(configmap("secret"))
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 1 and "leads out of" in result.err
    assert not (root / "out").exists()


@pytest.mark.parametrize("output", ["../escaped.yaml", "../escaped/"])
def test_outputs_outside_the_repository_are_refused(tmp_path: Path, output: str) -> None:
    root = repo(tmp_path, f"- source: src\n  output: {output}\n")
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 1 and "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_symlink_planted_in_an_output_dir_is_a_clean_error(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: out/\n")
    (root / "out").mkdir()
    (root / "out" / "configmap-x.yaml").symlink_to(tmp_path / "nowhere.yaml")
    before = snapshot(tmp_path)
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 1 and "Traceback" not in result.err and "internal error" not in result.err
    assert snapshot(tmp_path) == before


def test_output_that_is_the_source_is_refused(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: src/\n")
    before = snapshot(root / "src")
    result = run_cli("check", "--fix", cwd=root)
    assert result.code == 1 and "Traceback" not in result.err
    assert snapshot(root / "src") == before
