from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from kruise_render.argocd.checkout import Checkout
from kruise_render.argocd.discover import Budget, claim
from tests.conftest import run_cli

KRUISE = "apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata: {name: web}\n"
NATIVE = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"


def tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def found(root: Path, app: str, files: dict[str, str], budget: Budget | None = None) -> str | None:
    tree(root, files)
    return claim(Checkout(str(root), str(root / app)), budget)


def test_an_overlay_is_claimed_for_the_kruise_objects_of_its_base(tmp_path: Path) -> None:
    files = {
        "base/kustomization.yaml": "resources: [web.yaml, svc.yaml]\n",
        "base/web.yaml": KRUISE, "base/svc.yaml": NATIVE,
        "overlays/dev/kustomization.yaml": "resources: [../../base]\ncommonLabels: {env: dev}\n",
    }
    assert found(tmp_path, "overlays/dev", files) == "../../base/web.yaml"


def test_components_patches_and_json_patches_are_followed(tmp_path: Path) -> None:
    assert found(tmp_path / "a", "app", {
        "app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../spread]\n", "app/cm.yaml": NATIVE,
        "spread/kustomization.yaml": "kind: Component\nresources: [ws.yaml]\n",
        "spread/ws.yaml": "apiVersion: apps.kruise.io/v1alpha1\nkind: WorkloadSpread\n"}) == "../spread/ws.yaml"
    assert found(tmp_path / "b", "app", {
        "app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: p.yaml\n", "app/cm.yaml": NATIVE,
        "app/p.yaml": "apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\n"}) == "p.yaml"
    assert found(tmp_path / "c", "app", {
        "app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- target: {group: apps.kruise.io, kind: CloneSet}\n"
                                  "  patch: '[{op: add, path: /spec/replicas, value: 2}]'\n",
        "app/cm.yaml": NATIVE}) == "kustomization.yaml"
    assert found(tmp_path / "d", "app", {
        "app/kustomization.yaml": "resources: [cm.yaml]\npatchesStrategicMerge:\n- |\n  apiVersion: apps.kruise.io/v1alpha1\n"
                                  "  kind: CloneSet\n", "app/cm.yaml": NATIVE}) == "kustomization.yaml"


def test_plain_native_apps_and_unreferenced_files_are_not_claimed(tmp_path: Path) -> None:
    assert found(tmp_path / "a", "app", {"app/kustomization.yaml": "resources: [web.yaml]\n", "app/web.yaml": NATIVE,
                                         "app/unused.yaml": KRUISE}) is None
    assert found(tmp_path / "b", "app", {"app/web.yaml": NATIVE, "app/.hidden/k.yaml": KRUISE,
                                         "app/notes.txt": KRUISE}) is None
    assert found(tmp_path / "c", "app", {"app/sub/web.json": '{"apiVersion": "apps.kruise.io/v1beta1"}'}) == "sub/web.json"


def test_discovery_never_leaves_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    tree(tmp_path, {"outside/kustomization.yaml": "resources: [k.yaml]\n", "outside/k.yaml": KRUISE,
                    "outside.yaml": KRUISE})
    files = {"app/kustomization.yaml": "resources: [../../outside, ../../outside.yaml, /etc/hostname, link.yaml,"
                                       " https://github.com/x/y//z, github.com/x/y]\n"}
    tree(repo, files)
    os.symlink(tmp_path / "outside.yaml", repo / "app" / "link.yaml")
    os.symlink(tmp_path / "outside.yaml", repo / "app" / "plain-link.yaml")
    assert claim(Checkout(str(repo), str(repo / "app"))) is None
    (repo / "app" / "kustomization.yaml").unlink()
    assert claim(Checkout(str(repo), str(repo / "app"))) is None  # the plain-directory walk skips the link too


def test_a_cycle_of_kustomizations_ends(tmp_path: Path) -> None:
    assert found(tmp_path, "a", {"a/kustomization.yaml": "resources: [../b]\n",
                                 "b/kustomization.yaml": "resources: [../a]\n"}) is None


def test_a_broken_kustomization_falls_back_to_its_files(tmp_path: Path) -> None:
    assert found(tmp_path, "app", {"app/kustomization.yaml": "resources: [\n", "app/k.yaml": KRUISE}) == "k.yaml"


def test_a_chart_is_claimed_for_raw_templates_and_subcharts(tmp_path: Path) -> None:
    template = "apiVersion: apps.kruise.io/v1alpha1\nkind: UnitedDeployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    assert found(tmp_path / "a", "chart", {"chart/Chart.yaml": "name: x\n", "chart/values.yaml": "a: {{\n",
                                           "chart/templates/ud.yaml": template}) == "templates/ud.yaml"
    assert found(tmp_path / "b", "chart", {"chart/Chart.yaml": "name: x\n", "chart/templates/cm.yaml": NATIVE,
                                           "chart/charts/sub/Chart.yaml": "name: sub\n",
                                           "chart/charts/sub/templates/_helpers.tpl": template}) == (
        "charts/sub/templates/_helpers.tpl")
    assert found(tmp_path / "c", "chart", {"chart/Chart.yaml": "name: x\n", "chart/templates/cm.yaml": NATIVE}) is None


def _tgz(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def test_packaged_subcharts_are_read_without_unpacking(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    tree(tmp_path, {"chart/Chart.yaml": "name: x\n", "chart/templates/cm.yaml": NATIVE})
    (chart / "charts").mkdir()
    nested = _tgz({"leaf/Chart.yaml": b"name: leaf\n", "leaf/templates/cs.yaml": KRUISE.encode()})
    (chart / "charts" / "sub-1.0.0.tgz").write_bytes(_tgz({"sub/Chart.yaml": b"name: sub\n",
                                                           "sub/charts/leaf-1.0.0.tgz": nested}))
    assert claim(Checkout(str(tmp_path), str(chart))) == "charts/sub-1.0.0.tgz:sub/charts/leaf-1.0.0.tgz:leaf/templates/cs.yaml"
    assert not (chart / "charts" / "sub").exists()


def test_a_gzip_bomb_or_garbage_archive_claims_nothing(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    tree(tmp_path, {"chart/Chart.yaml": "name: x\n", "chart/charts/garbage.tgz": "not gzip"})
    bomb = _tgz({"big/templates/zero.yaml": b"\0" * (8 << 20) + KRUISE.encode()})
    (chart / "charts" / "bomb.tgz").write_bytes(bomb)
    assert len(bomb) < 100_000
    assert claim(Checkout(str(tmp_path), str(chart)), Budget(file_bytes=1 << 20)) is None


def test_reading_is_bounded(tmp_path: Path) -> None:
    files = {f"app/{i:03}.yaml": NATIVE for i in range(50)} | {"app/zz.yaml": KRUISE}
    assert found(tmp_path, "app", files, Budget(files=10)) is None
    assert claim(Checkout(str(tmp_path), str(tmp_path / "app"))) == "zz.yaml"


@pytest.mark.parametrize("text", ['"apiVersion": "policy.kruise.io/v1alpha1"', "apiVersion: 'apps.kruise.io/v1beta1'"])
def test_quoted_api_versions_count(tmp_path: Path, text: str) -> None:
    assert found(tmp_path, "app", {"app/x.yaml": text + "\n"}) == "x.yaml"


def test_a_tree_1200_levels_deep_is_searched_not_a_crash(tmp_path: Path, deep_tree) -> None:
    # Python 3.11's os.walk recursed once per level (RecursionError, exit 3 from argocd-discover).
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    deep_tree(tmp_path / "repo" / "app", 1200, "a.yaml", "apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\n")
    result = run_cli("argocd-discover", cwd=tmp_path / "repo" / "app")
    assert result.code == 0 and result.out.endswith("d/a.yaml\n"), result.err
