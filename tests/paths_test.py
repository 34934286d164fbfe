"""Containment and the roots that configuration from a repository may not leave."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kruise_render import paths
from kruise_render.diagnostics import RenderError


def test_within_follows_symbolic_links(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "out").symlink_to(tmp_path)
    assert paths.within(str(tmp_path / "repo" / "a"), str(tmp_path / "repo"))
    assert not paths.within(str(tmp_path / "repo" / "out" / "secret"), str(tmp_path / "repo"))
    assert not paths.within(str(tmp_path / "repo" / ".." / "x"), str(tmp_path / "repo"))


def test_repository_root_is_the_git_work_tree_else_the_directory(tmp_path: Path) -> None:
    (tmp_path / "repo" / "apps" / "shop").mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert paths.repository_root(str(tmp_path / "repo" / "apps" / "shop")) == str(tmp_path / "repo")
    (tmp_path / "worktree" / "a").mkdir(parents=True)
    (tmp_path / "worktree" / ".git").write_text("gitdir: /elsewhere\n")  # `git worktree add` writes a file
    assert paths.repository_root(str(tmp_path / "worktree" / "a")) == str(tmp_path / "worktree")
    (tmp_path / "plain" / "b").mkdir(parents=True)
    if not any(os.path.exists(os.path.join(p, ".git")) for p in [str(tmp_path), *map(str, tmp_path.parents)]):
        assert paths.repository_root(str(tmp_path / "plain" / "b")) == str(tmp_path / "plain" / "b")


def test_confined_resolves_inside_the_root_and_names_what_set_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "apps" / "shop").mkdir(parents=True)
    (repo / "apps" / "shop" / "out").symlink_to(tmp_path)
    base = str(repo / "apps" / "shop")
    assert paths.confined("../../platform", str(repo), base, "X") == str(repo / "platform")
    assert paths.confined(str(repo / "platform"), str(repo), base, "X") == str(repo / "platform")
    assert paths.confined("/platform", str(repo), base, "X", from_root=True) == str(repo / "platform")
    for name in ("../../..", "out/secret", "/etc", str(tmp_path)):
        with pytest.raises(RenderError, match=rf"^X: '.*' leads outside the repository \({repo}\); "):
            paths.confined(name, str(repo), base, "X")
    for name in ("", "a\x00b", "https://example.com/x.yaml"):
        with pytest.raises(RenderError, match=r"^X: expected a path inside the repository"):
            paths.confined(name, str(repo), base, "X")
    for name, from_root in (("../..", False), ("/", True)):
        with pytest.raises(RenderError, match="is the whole repository"):
            paths.confined(name, str(repo), base, "X", from_root=from_root)


def test_display_is_relative_below_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.display(str(tmp_path / "a" / "b.yaml")) == os.path.join("a", "b.yaml")
    assert paths.display("/elsewhere/x") == "/elsewhere/x"
