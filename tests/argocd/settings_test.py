from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render.argocd import settings
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError
from kruise_render.options import Options


def test_a_parameter_wins_over_an_env_entry_and_empty_means_unset() -> None:
    assert settings.value({"ARGOCD_ENV_X": "env", "PARAM_X": "param"}, "X") == ("param", "PARAM_X")
    assert settings.value({"ARGOCD_ENV_X": "env", "PARAM_X": ""}, "X") == ("env", "ARGOCD_ENV_X")
    assert settings.value({"X": "not the Application's"}, "X") is None


def test_array_parameters_are_read_in_order_else_a_string_is_split_when_asked() -> None:
    environ = {"PARAM_V_0": "a.yaml", "PARAM_V_1": "b.yaml", "PARAM_V_3": "skipped: not contiguous",
               "ARGOCD_ENV_V": "c.yaml"}
    assert settings.items(environ, "V", split=True) == [("a.yaml", "PARAM_V_0"), ("b.yaml", "PARAM_V_1")]
    assert settings.items({"ARGOCD_ENV_V": "c.yaml, d.yaml"}, "V", split=True) == [
        ("c.yaml", "ARGOCD_ENV_V"), ("d.yaml", "ARGOCD_ENV_V")]
    assert settings.items({"ARGOCD_ENV_S": "a=1,b=2"}, "S", split=False) == [("a=1,b=2", "ARGOCD_ENV_S")]
    with pytest.raises(RenderError, match="more than 1000 items"):
        settings.items({f"PARAM_V_{i}": "x" for i in range(1001)}, "V", split=True)


def test_flags_are_true_or_false() -> None:
    assert settings.flag({"PARAM_F": "True"}, "F") is True
    assert settings.flag({}, "F") is False
    with pytest.raises(RenderError, match="PARAM_F: expected true or false, got 'yes'"):
        settings.flag({"PARAM_F": "yes"}, "F")


@pytest.mark.parametrize(("text", "version"), [
    ("1.32", (1, 32, 0)), ("v1.32.3", (1, 32, 3)), ("v1.32.3+k3s1", (1, 32, 3)), ("1.30.2-eks-7f9249a", (1, 30, 2)),
    ("", None), ("latest", None), ("v1", None), ("1.32; rm -rf /", None), ("1.32\nx", None),
])
def test_kube_version_from_argo_cd(text: str, version: tuple[int, int, int] | None) -> None:
    assert settings.kube_version({"KUBE_VERSION": text}) == version


def test_render_options_default_kube_version_to_the_clusters_minor() -> None:
    notes: list[str] = []
    assert settings.render_options({"KUBE_VERSION": "v1.30.4+k3s1"}, notes.append).kube_version == (1, 30)
    assert settings.render_options({"KUBE_VERSION": "1.30.4", "PARAM_KUBE_VERSION": "1.28"},
                                   notes.append).kube_version == (1, 28)
    assert settings.render_options({"KUBE_VERSION": "1.30.4", "ARGOCD_ENV_KUBE_VERSION": "1.29"},
                                   notes.append).kube_version == (1, 29)
    assert notes == []
    assert settings.render_options({"KUBE_VERSION": "2.0.1"}, notes.append).kube_version == (1, 32)
    assert notes == ["KUBE_VERSION='2.0.1' is not a Kubernetes 1.x version; rendering for the default --kube-version"]


def test_api_versions_keep_well_formed_entries() -> None:
    good, bad = settings.api_versions({"KUBE_API_VERSIONS": "v1,apps/v1,apps/v1/Deployment,apps.kruise.io/v1alpha1,"
                                                            "--set=x,a b/v1"})
    assert good == ["v1", "apps/v1", "apps/v1/Deployment", "apps.kruise.io/v1alpha1"]
    assert bad == ["--set=x", "a b/v1"]


def test_release_name_is_the_application_name_part_or_the_parameter() -> None:
    assert settings.release_name({"ARGOCD_APP_NAME": "shop"}) == "shop"
    assert settings.release_name({"ARGOCD_APP_NAME": "team-a_shop"}) == "shop"  # apps in any namespace
    assert settings.release_name({"ARGOCD_APP_NAME": "shop", "PARAM_HELM_RELEASE_NAME": "web"}) == "web"
    for bad in ("-shop", "Shop", "a" * 54, "--post-renderer=x", "shop\n", "sh op"):
        with pytest.raises(RenderError, match="is not a Helm release name"):
            settings.release_name({"ARGOCD_APP_NAME": "shop", "PARAM_HELM_RELEASE_NAME": bad})


def test_namespace_must_be_a_namespace_name() -> None:
    assert settings.namespace({"ARGOCD_APP_NAMESPACE": "shop"}) == "shop"
    assert settings.namespace({}) is None
    for bad in ("--kubeconfig=/x", "shop\n", "a" * 64):
        with pytest.raises(RenderError, match="not a namespace name"):
            settings.namespace({"ARGOCD_APP_NAMESPACE": bad})


def test_path_options_must_be_regular_files_of_the_checkout(tmp_path: Path) -> None:
    app = tmp_path / "repo" / "app"
    app.mkdir(parents=True)
    (app / "nodes.yaml").write_text("apiVersion: v1\nkind: Node\nmetadata: {name: n}\n")
    where = Checkout(str(tmp_path / "repo"), str(app))
    environ = {"PARAM_NODES": "nodes.yaml"}
    options = settings.confine_paths(settings.render_options(environ, print), environ, where)
    assert options.nodes_file == str(app / "nodes.yaml")
    for name in ("/etc/hostname", "../../outside.yaml", "/dev/zero"):
        environ = {"ARGOCD_ENV_NODES": name}
        with pytest.raises(RenderError, match=r"^ARGOCD_ENV_NODES: "):
            settings.confine_paths(settings.render_options(environ, print), environ, where)
    assert settings.confine_paths(Options(), {}, where) == Options()


KNOWN = ["KUBE_VERSION", "ALLOW_LOSSY", "HELM_VALUES", "KUSTOMIZE_BUILD_OPTIONS"]


@pytest.mark.parametrize("variable,message", [
    ("ARGOCD_ENV_KUBE_VERISON", "ARGOCD_ENV_KUBE_VERISON is not a setting of the kruise-render plugin; "
                                "did you mean ARGOCD_ENV_KUBE_VERSION?"),
    ("PARAM_ALLOW_LOSY", "PARAM_ALLOW_LOSY is not a setting of the kruise-render plugin; did you mean PARAM_ALLOW_LOSSY?"),
    ("ARGOCD_ENV_X\u202e", "ARGOCD_ENV_X\\u202e is not a setting of the kruise-render plugin (the settings are "
                           "ALLOW_LOSSY, HELM_VALUES, KUBE_VERSION, KUSTOMIZE_BUILD_OPTIONS)"),
])
def test_a_misspelled_setting_is_an_error_naming_the_closest(variable: str, message: str) -> None:
    # It used to be ignored: the application rendered with the default, unseen in Argo CD.
    with pytest.raises(RenderError) as caught:
        settings.check_names({variable: "1.25", "ARGOCD_APP_NAME": "shop", "KUBE_VERSION": "v1.31.0"}, KNOWN)
    assert str(caught.value) == message


def test_known_settings_and_array_items_pass() -> None:
    settings.check_names({"ARGOCD_ENV_KUBE_VERSION": "1.30", "PARAM_HELM_VALUES_0": "a.yaml",
                          "PARAM_HELM_VALUES_12": "b.yaml", "ARGOCD_APP_SOURCE_PATH": "apps/shop"}, KNOWN)


def test_argocd_generate_refuses_a_misspelled_option(tmp_path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "in.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    result = run_cli("argocd-generate", "in.yaml", cwd=tmp_path, env={"ARGOCD_ENV_KUBE_VERISON": "1.25"})
    assert result.code == 1 and result.out == ""
    assert result.err == ("kruise-render: ARGOCD_ENV_KUBE_VERISON is not a setting of the kruise-render plugin; "
                          "did you mean ARGOCD_ENV_KUBE_VERSION?\n")


def test_render_options_default_namespace_to_the_destination() -> None:
    """Objects that name no namespace land in the Application's destination namespace, so that is
    what SidecarSet and namespace matching must see (unless the Application says otherwise)."""
    assert settings.render_options({"ARGOCD_APP_NAMESPACE": "shop"}, print).namespace == "shop"
    assert settings.render_options({"ARGOCD_APP_NAMESPACE": "shop", "ARGOCD_ENV_NAMESPACE": "ops"}, print).namespace == "ops"
    assert settings.render_options({"ARGOCD_APP_NAMESPACE": "shop", "PARAM_NAMESPACE": "web"}, print).namespace == "web"
    assert settings.render_options({}, print).namespace == "default"
    with pytest.raises(RenderError, match=r"ARGOCD_APP_NAMESPACE: .* is not a namespace name"):
        settings.render_options({"ARGOCD_APP_NAMESPACE": "--kubeconfig=/x"}, print)
    assert settings.render_options({"ARGOCD_APP_NAMESPACE": "Bad", "PARAM_NAMESPACE": "web"}, print).namespace == "web"


@pytest.fixture
def checkout(tmp_path: Path) -> Checkout:
    """Argo CD's fresh copy of the repository, the Application at apps/shop, the platform beside it."""
    app = tmp_path / "src" / "apps" / "shop"
    app.mkdir(parents=True)
    (tmp_path / "src" / "platform").mkdir()
    return Checkout(str(tmp_path / "src"), str(app))


def test_context_paths_stay_in_the_checkout(checkout: Checkout) -> None:
    platform = str(Path(checkout.root) / "platform")
    environ = {"ARGOCD_ENV_CONTEXT": "../../platform"}
    assert settings.confine_paths(settings.render_options(environ, print), environ, checkout).context_paths == (platform,)
    environ = {"PARAM_CONTEXT_0": "../../platform", "PARAM_CONTEXT_1": "/platform"}  # absolute: from the root
    assert settings.confine_paths(settings.render_options(environ, print), environ, checkout).context_paths == (
        platform, platform)
    for environ in ({"ARGOCD_ENV_CONTEXT": "../../platform:../../../x"}, {"PARAM_CONTEXT_0": "../../platform",
                                                                         "PARAM_CONTEXT_1": "/../x"}):
        variable = next(iter(environ)) if "ARGOCD_ENV_CONTEXT" in environ else "PARAM_CONTEXT_1"
        with pytest.raises(RenderError, match=f"^{variable}: '.*' leads outside the repository"):
            settings.confine_paths(settings.render_options(environ, print), environ, checkout)


def test_the_operator_context_comes_first_and_may_be_anywhere(checkout: Checkout) -> None:
    environ = {"KRUISE_RENDER_CONTEXT": "/etc/kruise-render/context:/srv/cluster", "PARAM_CONTEXT": "../../platform"}
    assert settings.generate_options(environ, checkout, print).context_paths == (
        "/etc/kruise-render/context", "/srv/cluster", str(Path(checkout.root) / "platform"))
    assert settings.generate_options({"ARGOCD_ENV_KRUISE_RENDER_CONTEXT": "/etc"}, checkout, print).context_paths == (), \
        "an Application cannot set the operator's variable"
