"""The Argo CD plugin's options: Application env/parameters (confined to the checkout), Argo CD's
build environment as defaults, and the operator's own context."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render import argocdenv
from kruise_render.diagnostics import RenderError


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Argo CD's fresh copy of the repository, the Application's path as working directory."""
    app = tmp_path / "src" / "apps" / "shop"
    app.mkdir(parents=True)
    (tmp_path / "src" / "platform").mkdir()
    monkeypatch.chdir(app)
    return app


def test_destination_namespace_and_cluster_version_are_the_defaults(checkout: Path) -> None:
    options = argocdenv.options({"ARGOCD_APP_NAMESPACE": "shop", "KUBE_VERSION": "1.29"}, str(checkout))
    assert options.namespace == "shop" and options.kube_version == (1, 29)
    overridden = argocdenv.options({"ARGOCD_APP_NAMESPACE": "shop", "KUBE_VERSION": "1.29", "ARGOCD_ENV_NAMESPACE": "ops",
                                    "PARAM_KUBE_VERSION": "1.31"}, str(checkout))
    assert overridden.namespace == "ops" and overridden.kube_version == (1, 31)
    assert argocdenv.options({}, str(checkout)).namespace == "default"


@pytest.mark.parametrize(("value", "version"), [("1.30", (1, 30)), ("v1.30.4", (1, 30)), ("1.30.4-gke.100", (1, 30)),
                                                ("", (1, 32)), ("unknown", (1, 32)), ("2.0", (1, 32))])
def test_kube_version_as_argo_cd_sends_it(checkout: Path, value: str, version: tuple[int, int]) -> None:
    """reposerver/repository/repository.go (argoproj/argo-cd) sends text.SemVer of the cluster's
    version ("+" removed); anything not 1.N is left to the default, not an error of the sync."""
    assert argocdenv.options({"KUBE_VERSION": value}, str(checkout)).kube_version == version


def test_application_paths_stay_in_the_checkout(checkout: Path) -> None:
    environ = {"ARGOCD_APP_SOURCE_PATH": "apps/shop", "ARGOCD_ENV_CONTEXT": "../../platform"}
    assert argocdenv.options(environ, str(checkout)).context_paths == ("../../platform",)
    for name, value in (("ARGOCD_ENV_CONTEXT", "../../../x"), ("PARAM_CONTEXT_0", "/etc"), ("ARGOCD_ENV_NODES", "/etc/hosts")):
        with pytest.raises(RenderError, match=f"{name}: .* leads outside the repository"):
            argocdenv.options({"ARGOCD_APP_SOURCE_PATH": "apps/shop", name: value}, str(checkout))
    with pytest.raises(RenderError, match="leads outside"):  # without the source path: only the app directory
        argocdenv.options({"ARGOCD_ENV_CONTEXT": "../../platform"}, str(checkout))


def test_the_operator_context_comes_first_and_may_be_anywhere(checkout: Path) -> None:
    environ = {"KRUISE_RENDER_CONTEXT": "/etc/kruise-render/context:/srv/cluster", "ARGOCD_APP_SOURCE_PATH": "apps/shop",
               "PARAM_CONTEXT": "../../platform"}
    assert argocdenv.options(environ, str(checkout)).context_paths == (
        "/etc/kruise-render/context", "/srv/cluster", "../../platform")
    assert argocdenv.options({"ARGOCD_ENV_KRUISE_RENDER_CONTEXT": "/etc"}, str(checkout)).context_paths == (), \
        "an Application cannot set the operator's variable"
