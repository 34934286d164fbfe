from __future__ import annotations

import os
from pathlib import Path

import pytest

from kruise_render.argocd.checkout import Checkout, locate
from kruise_render.diagnostics import RenderError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "repo" / "apps" / "shop").mkdir(parents=True)
    (tmp_path / "repo" / "apps" / "shop" / "values.yaml").write_text("a: 1\n")
    (tmp_path / "repo" / "shared.yaml").write_text("b: 2\n")
    (tmp_path / "outside.yaml").write_text("secret: 3\n")
    return tmp_path / "repo"


def test_root_is_the_working_directory_minus_the_source_path(repo: Path) -> None:
    app = repo / "apps" / "shop"
    for source in ("apps/shop", "apps/shop/", "./apps/shop", "apps//shop"):
        assert locate({"ARGOCD_APP_SOURCE_PATH": source}, str(app)) == Checkout(str(repo), str(app))
    assert locate({"ARGOCD_APP_SOURCE_PATH": "."}, str(repo)) == Checkout(str(repo), str(repo))
    assert locate({}, str(app)) == Checkout(str(app), str(app))  # a local run outside git trusts nothing above
    (repo / ".git").mkdir()
    assert locate({}, str(app)) == Checkout(str(repo), str(app))  # … inside one, the work tree


@pytest.mark.parametrize("source", ["apps/other", "/apps/shop", "../shop", "apps/../../x", "x/apps/shop"])
def test_a_source_path_that_does_not_end_the_working_directory_is_refused(repo: Path, source: str) -> None:
    with pytest.raises(RenderError, match="ARGOCD_APP_SOURCE_PATH"):
        locate({"ARGOCD_APP_SOURCE_PATH": source}, str(repo / "apps" / "shop"))


def test_names_resolve_like_argo_cd_value_files(repo: Path) -> None:
    where = Checkout(str(repo), str(repo / "apps" / "shop"))
    assert where.resolve("values.yaml", "X") == str(repo / "apps" / "shop" / "values.yaml")
    assert where.resolve("../../shared.yaml", "X") == str(repo / "shared.yaml")
    assert where.resolve("/shared.yaml", "X") == str(repo / "shared.yaml")  # absolute: from the repository root


@pytest.mark.parametrize("name", ["../../../outside.yaml", "/../outside.yaml", "", "a\x00b", "https://evil/values.yaml",
                                  "../..", "/"])
def test_names_outside_the_checkout_are_refused_naming_the_setting(repo: Path, name: str) -> None:
    where = Checkout(str(repo), str(repo / "apps" / "shop"))
    with pytest.raises(RenderError, match=r"^PARAM_HELM_VALUES_0: ") as caught:
        where.resolve(name, "PARAM_HELM_VALUES_0")
    assert "secret" not in str(caught.value)


def test_a_symbolic_link_leading_out_is_refused(repo: Path) -> None:
    os.symlink(repo.parent / "outside.yaml", repo / "apps" / "shop" / "link.yaml")
    os.symlink("/etc", repo / "apps" / "shop" / "etc")
    where = Checkout(str(repo), str(repo / "apps" / "shop"))
    for name in ("link.yaml", "etc/hostname"):
        with pytest.raises(RenderError, match="leads outside the repository"):
            where.resolve(name, "X")


def test_regular_file_checks_kind_and_size_without_reading_it(repo: Path) -> None:
    where = Checkout(str(repo), str(repo / "apps" / "shop"))
    assert where.regular_file("values.yaml", "X", 5) == str(repo / "apps" / "shop" / "values.yaml")
    with pytest.raises(RenderError, match="larger than 4 bytes"):
        where.regular_file("values.yaml", "X", 4)
    with pytest.raises(RenderError, match="not a regular file"):
        where.regular_file("..", "X", 5)
    with pytest.raises(RenderError, match="no such file"):
        where.regular_file("missing.yaml", "X", 5)
    os.mkfifo(repo / "apps" / "shop" / "fifo.yaml")
    with pytest.raises(RenderError, match="not a regular file"):
        where.regular_file("fifo.yaml", "X", 5)
