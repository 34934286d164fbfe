from __future__ import annotations

import pytest

from kruise_render import optionargs
from kruise_render.diagnostics import RenderError


def test_every_cli_render_option_is_a_camel_case_field() -> None:
    assert {"kubeVersion", "featureGates", "allowLossy", "excludeNamespaces", "nodes", "maxDocumentSize"} <= set(
        optionargs.fields()
    )


def test_kruise_render_config_fields_become_options() -> None:
    config = {
        "apiVersion": "kruise-render.io/v1alpha1",
        "kind": "KruiseRender",
        "metadata": {"name": "r", "annotations": {"config.kubernetes.io/function": "exec: {path: x}"}},
        "kubeVersion": "1.30",
        "featureGates": {"EnableSortSidecarContainerByName": True},
        "allowLossy": True,
        "excludeNamespaces": ["b", "a"],
        "maxDepth": 50,
    }
    options = optionargs.from_function_config(config)
    assert options.kube_version == (1, 30)
    assert options.feature_gates == {"EnableSortSidecarContainerByName": True}
    assert options.allow_lossy is True
    assert options.exclude_namespaces == ("a", "b")
    assert options.limits.max_depth == 50


def test_configmap_data_strings_become_options() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "function-input"},
              "data": {"kubeVersion": "1.29", "allowLossy": "true", "keepUnrenderable": "false"}}
    options = optionargs.from_function_config(config)
    assert options.kube_version == (1, 29)
    assert options.allow_lossy is True
    assert options.keep_unrenderable is False


def test_missing_function_config_means_defaults() -> None:
    assert optionargs.function_config_args(None) == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", "spec": {}}, "unknown field 'spec'"),
        ({"apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", "keepUnrenderable": "maybe"},
         "keepUnrenderable: expected true or false"),
        ({"apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", "argsOneLiner": "--x"},
         "argsOneLiner: not read by kruise-render"),
        ({"apiVersion": "example.com/v1", "kind": "Other"}, "expected kruise-render.io/v1alpha1 KruiseRender"),
    ],
)
def test_bad_function_config_is_reported(config: dict, message: str) -> None:
    with pytest.raises(RenderError, match=message):
        optionargs.function_config_args(config)


def test_invalid_values_are_named_as_the_user_wrote_them() -> None:
    with pytest.raises(RenderError, match="Invalid value for '--kube-version'"):
        optionargs.parse_args(["--kube-version=two"])
    config = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"kubeVersion": "two"}}
    with pytest.raises(RenderError, match=r"^functionConfig: Invalid value for kubeVersion"):
        optionargs.from_function_config(config)
    with pytest.raises(RenderError, match="Invalid value for PARAM_KUBE_VERSION"):
        optionargs.from_env({"ARGOCD_ENV_KUBE_VERSION": "1.30", "PARAM_KUBE_VERSION": "two"})


def test_argo_cd_parameters_win_over_env_entries_and_others_are_ignored() -> None:
    environ = {
        "ARGOCD_ENV_KUBE_VERSION": "1.28",
        "PARAM_KUBE_VERSION": "1.31",
        "ARGOCD_ENV_ALLOW_LOSSY": "true",
        "PARAM_FEATURE_GATES": "",
        "ARGOCD_ENV_SOMETHING_ELSE": "x",
        "KUBE_VERSION": "1.20",
    }
    options = optionargs.from_env(environ)
    assert options.kube_version == (1, 31)
    assert options.allow_lossy is True
    assert options.feature_gates == {}
