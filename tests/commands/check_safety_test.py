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


def _check(root: Path, *args: str):
    return run_cli("check", *args, cwd=root)


def assert_fix_refused(root: Path, message: str) -> None:
    """`check --fix` fails with `message` on one line and changes nothing in the repository."""
    before = snapshot(root)
    result = _check(root, "--fix")
    assert result.code == 1 and message in result.err and len(result.err.splitlines()) == 1, result.err
    assert snapshot(root) == before


def test_a_file_output_that_is_its_own_source_is_refused(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src/a.yaml\n  output: src/a.yaml\n")
    assert_fix_refused(root, "is or holds its source")


def test_an_output_that_is_another_target_s_source_is_refused(tmp_path: Path) -> None:
    # The second target renders `out`, which the first target's --fix would replace (delete).
    root = repo(tmp_path, "- source: src\n  output: out/\n- source: out\n  output: all.yaml\n")
    (root / "out").mkdir()
    (root / "out" / "mine.yaml").write_text(configmap("hand-written"))
    assert_fix_refused(root, "targets[0]: output 'out/' is or holds the source of targets[1]")


def test_an_output_inside_a_source_directory_is_refused(tmp_path: Path) -> None:
    assert_fix_refused(repo(tmp_path, "- source: src\n  output: src/all.yaml\n"), "lies inside its source")


@pytest.mark.parametrize("output", [".git/hooks/", ".git/x.yaml", "sub/.GIT/x.yaml", "./.git"])
def test_outputs_under_git_are_refused(tmp_path: Path, output: str) -> None:
    assert_fix_refused(repo(tmp_path, f"- source: src\n  output: {output}\n"), "is under .git")


def test_overlapping_outputs_are_refused(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: out/\n- source: src\n  output: out/all.yaml\n")
    assert_fix_refused(root, "overlaps the output of targets[0]")


def test_nul_in_config_paths_is_a_one_line_error(tmp_path: Path) -> None:
    root = repo(tmp_path, '- source: "src\\0x"\n  output: out/\n')
    result = _check(root, "--fix")
    assert result.code == 1 and result.err.endswith("source and output must be paths without NUL characters\n")
    assert "internal error" not in result.err


def test_a_directory_swapped_for_a_link_after_the_check_is_not_written_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race: paths are checked when the config is loaded, written after rendering. The write
    goes relative to the opened repository, refusing a link at any component, so a directory
    replaced by a link to elsewhere in between is refused, not followed."""
    from kruise_render import api, targets
    from kruise_render.diagnostics import RenderError

    root = repo(tmp_path, "- source: src\n  output: out/all.yaml\n")
    (root / "out").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    real = targets.current_files

    def read_then_swap(target):
        files = real(target)
        (root / "out").rename(root / "out.moved")
        (root / "out").symlink_to(outside)
        return files

    monkeypatch.setattr(targets, "current_files", read_then_swap)
    monkeypatch.chdir(root)
    with pytest.raises(RenderError, match="out: a symbolic link; kruise-render never writes through one"):
        list(api.check(None, fix=True))
    assert list(outside.iterdir()) == []


def test_an_output_directory_that_is_a_link_is_not_read_into_the_diff(tmp_path: Path) -> None:
    root = repo(tmp_path, "- source: src\n  output: rendered/\n")
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "token.yaml").write_text("token: s3cr3t-value\n")
    (root / "rendered").symlink_to(secrets)
    result = _check(root)
    assert result.code == 1 and "s3cr3t-value" not in result.out + result.err and "is outside" in result.err
    # A link to a directory inside the repository: read as stale, never followed, never replaced.
    (root / "rendered").unlink()
    (root / "docs").mkdir()
    (root / "docs" / "notes.yaml").write_text("internal: do-not-print\n")
    (root / "rendered").symlink_to(root / "docs")
    stale = _check(root)
    assert stale.code == 1 and "do-not-print" not in stale.out + stale.err
    fix = _check(root, "--fix")
    assert fix.code == 1 and "rendered/: is a symbolic link" in fix.err
    assert (secrets / "token.yaml").read_text() == "token: s3cr3t-value\n"
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["notes.yaml"]


def test_outside_a_repository_only_the_current_directory_is_searched(tmp_path: Path) -> None:
    # A .kruise-render.yaml planted in a shared parent (/tmp) must not drive a check --fix below it.
    shared = tmp_path / "shared"
    (shared / "work").mkdir(parents=True)
    (shared / "src").mkdir()
    (shared / "src" / "a.yaml").write_text(configmap("planted"))
    (shared / ".kruise-render.yaml").write_text("targets:\n- source: src\n  output: work/planted.yaml\n")
    result = _check(shared / "work", "--fix")
    assert result.code == 1 and "outside a git repository only the current directory is searched" in result.err
    assert list((shared / "work").iterdir()) == []


def test_inside_a_repository_the_search_stops_at_its_root(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.yaml").write_text(configmap("planted"))
    (tmp_path / ".kruise-render.yaml").write_text("targets:\n- source: src\n  output: checkout/planted.yaml\n")
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "sub").mkdir()
    result = _check(checkout / "sub", "--fix")
    assert result.code == 1 and f"up to the repository root {checkout}" in result.err
    assert not (checkout / "planted.yaml").exists()


def test_refusals_hold_when_check_runs_from_a_subdirectory(tmp_path: Path) -> None:
    # The paths of .kruise-render.yaml are relative to it, not to where `check` runs.
    root = repo(tmp_path, "- source: src\n  output: src/all.yaml\n")
    before = snapshot(root)
    result = run_cli("check", "--fix", cwd=root / "src")
    assert result.code == 1 and "lies inside its source" in result.err
    assert snapshot(root) == before
