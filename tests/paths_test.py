"""Containment and the roots that configuration from a repository may not leave."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kruise_render import paths


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


@pytest.mark.parametrize(
    ("cwd", "source_path", "root"),
    [
        ("/tmp/_cmp_server/abc/apps/shop", "apps/shop", "/tmp/_cmp_server/abc"),
        ("/tmp/_cmp_server/abc/apps/shop", "./apps/shop/", "/tmp/_cmp_server/abc"),
        ("/tmp/_cmp_server/abc", ".", "/tmp/_cmp_server/abc"),
        ("/tmp/_cmp_server/abc", "", "/tmp/_cmp_server/abc"),
        ("/tmp/_cmp_server/abc/apps/shop", None, "/tmp/_cmp_server/abc/apps/shop"),
        ("/tmp/_cmp_server/abc/apps/shop", "other/shop", "/tmp/_cmp_server/abc/apps/shop"),
        ("/tmp/_cmp_server/abc/apps/shop", "../../abc/apps/shop", "/tmp/_cmp_server/abc/apps/shop"),
        ("/tmp/_cmp_server/abc/apps/shop", "/apps/shop", "/tmp/_cmp_server/abc/apps/shop"),
    ],
)
def test_checkout_root_is_never_wider_than_certain(cwd: str, source_path: str | None, root: str) -> None:
    assert paths.checkout_root(cwd, source_path) == root


def test_display_is_relative_below_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.display(str(tmp_path / "a" / "b.yaml")) == os.path.join("a", "b.yaml")
    assert paths.display("/elsewhere/x") == "/elsewhere/x"
