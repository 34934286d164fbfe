from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render.argocd import build
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError
from kruise_render.options import Limits
from tests.argocd import standin

STREAM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
CHART = "apiVersion: v2\nname: shop\nversion: 0.1.0\n"


@pytest.fixture
def repo(tmp_path: Path) -> Checkout:
    app = tmp_path / "repo" / "apps" / "shop"
    app.mkdir(parents=True)
    return Checkout(str(tmp_path / "repo"), str(app))


def environ(bin_dir: Path, **extra: str) -> dict[str, str]:
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "ARGOCD_APP_NAME": "shop", "ARGOCD_APP_NAMESPACE": "shop-ns",
            "KUBE_VERSION": "v1.31.2+k3s1", "KUBE_API_VERSIONS": "v1,apps/v1,apps.kruise.io/v1alpha1/CloneSet",
            "ARGOCD_APP_PARAMETERS": "[]", **extra}


def test_source_type_follows_argo_cd(tmp_path: Path) -> None:
    assert build.source_type(str(tmp_path)) == "directory"
    (tmp_path / "Chart.yaml").write_text(CHART)
    assert build.source_type(str(tmp_path)) == "helm"
    (tmp_path / "Kustomization").write_text("resources: []\n")
    assert build.source_type(str(tmp_path)) == "kustomize"  # a kustomization wins, as in Argo CD


def test_helm_template_gets_the_build_environment_and_the_settings(repo: Checkout, tmp_path: Path) -> None:
    (Path(repo.app) / "Chart.yaml").write_text(CHART)
    (Path(repo.app) / "values-prod.yaml").write_text("replicas: 3\n")
    helm = standin.helm(tmp_path / "bin", STREAM)
    notes: list[str] = []
    env = environ(helm.bin_dir, PARAM_HELM_VALUES_0="values-prod.yaml", PARAM_HELM_SET_0="image.tag=2")
    source = build.manifests(repo, env, Limits(), notes.append)
    assert source is not None and source.text == STREAM and source.name == "helm template output"
    [call] = helm.calls
    assert call["argv"] == [
        "template", "shop", ".", "--namespace=shop-ns", "--kube-version=1.31.2", "--api-versions=v1",
        "--api-versions=apps/v1", "--api-versions=apps.kruise.io/v1alpha1/CloneSet",
        f"--values={repo.app}/values-prod.yaml", "--set=image.tag=2", "--include-crds",
    ]
    assert call["cwd"] == repo.app
    assert not [name for name in call["env"] if name.startswith(("ARGOCD_", "PARAM_"))]
    assert notes == []


@pytest.mark.parametrize(("files", "builds"), [
    ({"Chart.lock": "dependencies: []\n"}, True),
    ({"Chart.yaml": CHART + "dependencies:\n- {name: redis, version: 1.0.0, repository: https://x}\n"}, True),
    ({"Chart.lock": "dependencies: []\n", "charts/redis/Chart.yaml": CHART}, False),
    ({}, False),
])
def test_dependencies_are_built_when_declared_and_not_vendored(repo: Checkout, tmp_path: Path,
                                                               files: dict[str, str], builds: bool) -> None:
    (Path(repo.app) / "Chart.yaml").write_text(CHART)
    for name, text in files.items():
        (Path(repo.app) / name).parent.mkdir(parents=True, exist_ok=True)
        (Path(repo.app) / name).write_text(text)
    helm = standin.helm(tmp_path / "bin", STREAM)
    build.manifests(repo, environ(helm.bin_dir), Limits(), lambda note: None)
    assert [call["argv"][:2] for call in helm.calls] == [["dependency", "build"]] * builds + [["template", "shop"]]


def test_odd_build_environment_values_are_warned_about_not_passed(repo: Checkout, tmp_path: Path) -> None:
    (Path(repo.app) / "Chart.yaml").write_text(CHART)
    helm = standin.helm(tmp_path / "bin", STREAM)
    notes: list[str] = []
    env = environ(helm.bin_dir, KUBE_VERSION="latest", KUBE_API_VERSIONS="v1,--post-renderer=/x")
    build.manifests(repo, env, Limits(), notes.append)
    assert helm.calls[0]["argv"] == ["template", "shop", ".", "--namespace=shop-ns", "--api-versions=v1", "--include-crds"]
    assert notes == ["KUBE_VERSION='latest' is not a Kubernetes version; helm templates for its default",
                     "KUBE_API_VERSIONS: ignored entries that are not API versions: '--post-renderer=/x'"]


def test_a_chart_with_a_link_leading_out_is_refused_before_helm_runs(repo: Checkout, tmp_path: Path) -> None:
    (Path(repo.app) / "Chart.yaml").write_text(CHART)
    (Path(repo.app) / "files").mkdir()
    (Path(repo.app) / "files" / "inside.yaml").symlink_to(Path(repo.app) / "Chart.yaml")
    (Path(repo.app) / "files" / "secret").symlink_to("/etc/hostname")
    helm = standin.helm(tmp_path / "bin", STREAM)
    with pytest.raises(RenderError, match=r"^files/secret: a symbolic link leading out of the repository checkout"):
        build.manifests(repo, environ(helm.bin_dir), Limits(), lambda note: None)
    assert helm.calls == []


def test_a_chart_without_helm_on_the_path_is_an_error(repo: Checkout, tmp_path: Path) -> None:
    (Path(repo.app) / "Chart.yaml").write_text(CHART)
    with pytest.raises(RenderError, match="helm is not on the sidecar's PATH"):
        build.manifests(repo, {"PATH": str(tmp_path)}, Limits(), lambda note: None)


def plugin_home(directory: Path) -> Path:
    plugin = directory / "kruise-render.io" / "v1alpha1" / "kruiserender" / "KruiseRender"
    plugin.parent.mkdir(parents=True)
    plugin.write_text("#!/bin/sh\ncat\n")
    plugin.chmod(0o755)
    return directory


def test_kustomize_gets_alpha_plugins_only_for_checked_plugins_of_a_home_outside_the_checkout(
    repo: Checkout, tmp_path: Path
) -> None:
    app = Path(repo.app)
    (app / "kustomization.yaml").write_text("resources: []\ntransformers: [render.yaml]\n")
    (app / "render.yaml").write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata: {name: r}\n")
    kustomize = standin.tool(tmp_path / "bin", "kustomize", STREAM)
    home, inside = plugin_home(tmp_path / "plugins"), plugin_home(Path(repo.root) / "plugins")
    runs = [
        ({}, ["build", "."]),
        ({"KUSTOMIZE_PLUGIN_HOME": str(home)}, ["build", "--enable-alpha-plugins", "."]),
        ({"KUSTOMIZE_PLUGIN_HOME": str(inside)}, ["build", "."]),  # the repository's own: never
        ({"KUSTOMIZE_PLUGIN_HOME": str(tmp_path / "missing")}, ["build", "."]),
        ({"KUSTOMIZE_PLUGIN_HOME": str(home), "PARAM_KUSTOMIZE_BUILD_OPTIONS": "--reorder none --enable-managedby-label"},
         ["build", "--enable-alpha-plugins", "--reorder=none", "--enable-managedby-label", "."]),
    ]
    for extra, _ in runs:
        build.manifests(repo, environ(kustomize.bin_dir, **extra), Limits(), lambda note: None)
    (app / "kustomization.yaml").write_text("resources: []\n")  # no external plugin: no flag
    build.manifests(repo, environ(kustomize.bin_dir, KUSTOMIZE_PLUGIN_HOME=str(home)), Limits(), lambda note: None)
    assert [call["argv"] for call in kustomize.calls] == [argv for _, argv in runs] + [["build", "."]]
    with pytest.raises(RenderError, match="--enable-alpha-plugins is not allowed"):
        env = environ(kustomize.bin_dir, KUSTOMIZE_PLUGIN_HOME=str(inside),
                      ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS="--enable-alpha-plugins")
        build.manifests(repo, env, Limits(), lambda note: None)
    assert len(kustomize.calls) == len(runs) + 1  # refused before anything ran


def test_kubectl_kustomize_when_there_is_no_kustomize(repo: Checkout, tmp_path: Path) -> None:
    (Path(repo.app) / "kustomization.yaml").write_text("resources: []\n")
    kubectl = standin.tool(tmp_path / "bin", "kubectl", STREAM)
    env = environ(kubectl.bin_dir)
    env["PATH"] = str(kubectl.bin_dir)
    build.manifests(repo, env, Limits(), lambda note: None)
    assert kubectl.calls[0]["argv"] == ["kustomize", "."]
    with pytest.raises(RenderError, match="neither kustomize nor kubectl"):
        build.manifests(repo, {"PATH": str(tmp_path)}, Limits(), lambda note: None)


def test_a_plain_directory_is_left_to_the_caller(repo: Checkout) -> None:
    assert build.manifests(repo, {}, Limits(), lambda note: None) is None


@pytest.mark.parametrize("name,text", [
    ("Chart.yaml", CHART + "dependencies:\n- {name: other, version: 1.0.0, repository: 'file://../../../elsewhere'}\n"),
    ("Chart.yaml", CHART + "dependencies:\n- {name: other, version: 1.0.0, repository: 'FILE:///etc'}\n"),
    ("Chart.lock", "dependencies:\n- {name: other, version: 1.0.0, repository: 'file:///tmp/other-app'}\n"),
    ("requirements.yaml", "dependencies:\n- {name: other, version: 1.0.0, repository: 'file://../../../../x'}\n"),
])
def test_a_local_dependency_outside_the_checkout_is_refused_before_helm_runs(
        repo: Checkout, tmp_path: Path, name: str, text: str) -> None:
    """`helm dependency build` copies a `file://` dependency into charts/ and `helm template`
    renders it: a pull request could pull another checkout's chart into its own output."""
    (Path(repo.app) / "Chart.yaml").write_text(CHART)
    (Path(repo.app) / name).write_text(text)
    helm = standin.helm(tmp_path / "bin", STREAM)
    with pytest.raises(RenderError, match=rf"^{name}: dependencies\[0\]\.repository .* leads out of the repository"):
        build.manifests(repo, environ(helm.bin_dir), Limits(), lambda note: None)
    assert helm.calls == []


def test_a_local_dependency_inside_the_checkout_is_built(repo: Checkout, tmp_path: Path) -> None:
    (Path(repo.app) / "Chart.yaml").write_text(
        CHART + "dependencies:\n- {name: common, version: 1.0.0, repository: 'file://../common'}\n")
    (Path(repo.root) / "apps" / "common").mkdir()
    helm = standin.helm(tmp_path / "bin", STREAM)
    build.manifests(repo, environ(helm.bin_dir), Limits(), lambda note: None)
    assert [call["argv"][:2] for call in helm.calls] == [["dependency", "build"], ["template", "shop"]]
