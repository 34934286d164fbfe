from __future__ import annotations

import os
import re
from pathlib import Path

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


@pytest.mark.parametrize("config,message", [
    ({"kubeVersion": 1.30}, "kubeVersion: expected a string, got the number 1.3 (quote it)"),
    ({"kubeVersion": 130}, "kubeVersion: expected a string, got the number 130 (quote it)"),
    ({"timestamp": True}, "timestamp: expected a string, got the boolean true (quote it)"),
    ({"maxDepth": 1.5}, "maxDepth: expected a whole number, got the number 1.5"),
    ({"maxDepth": True}, "maxDepth: expected a whole number, got the boolean true"),
    ({"excludeNamespaces": ["a", 5]}, "excludeNamespaces: expected a list of strings"),
    ({"featureGates": {"X": 1}}, "featureGates: expected a mapping of names to true or false"),
])
def test_function_config_values_are_typed_strictly(config: dict, message: str) -> None:
    # Unquoted `kubeVersion: 1.30` is the YAML number 1.3: it used to render for Kubernetes 1.3.
    with pytest.raises(RenderError, match=re.escape(message)):
        optionargs.from_function_config({"apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", **config})


def test_function_config_accepts_the_typed_forms() -> None:
    options = optionargs.from_function_config({
        "apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", "kubeVersion": "1.30", "maxDepth": 300,
        "featureGates": {"StatefulSetStartOrdinal": True}, "excludeNamespaces": ["a", "b"]})
    assert options.kube_version == (1, 30) and options.limits.max_depth == 300
    assert options.exclude_namespaces == ("a", "b") and options.feature_gates == {"StatefulSetStartOrdinal": True}


# --context and -n/--namespace in every spelling


def test_cli_context_repeats_and_namespace_has_a_short_flag() -> None:
    options = optionargs.parse_args(["--context", "a", "--context=b:c", "-n", "shop"])
    assert options.context_paths == ("a", "b:c"), "the CLI never splits a path"
    assert options.namespace == "shop"
    assert optionargs.parse_args([]).namespace == "default"
    assert optionargs.parse_args([]).context_paths == ()


@pytest.mark.parametrize("bad", ["Shop", "shop_1", "-shop", "a" * 64, ""])
def test_namespace_must_be_a_dns_label(bad: str) -> None:
    with pytest.raises(RenderError, match="expected a namespace name"):
        optionargs.parse_args(["--namespace", bad])


def test_function_config_context_as_a_list_or_one_separated_string() -> None:
    config = {"apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", "context": ["platform", "cluster/ns.yaml"],
              "namespace": "shop"}
    options = optionargs.from_function_config(config)
    assert options.context_paths == ("platform", "cluster/ns.yaml")
    assert options.namespace == "shop"
    kpt = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"context": "platform:cluster/ns.yaml", "namespace": "shop"}}
    assert optionargs.from_function_config(kpt).context_paths == ("platform", "cluster/ns.yaml")


@pytest.mark.parametrize("value", [[1], [""], {"a": "b"}, True])
def test_function_config_context_must_be_paths(value: object) -> None:
    with pytest.raises(RenderError, match="context: expected a list of paths"):
        optionargs.function_config_args({"apiVersion": "kruise-render.io/v1alpha1", "kind": "KruiseRender", "context": value})


def test_argo_cd_context_env_is_split_and_array_parameters_are_read_in_index_order() -> None:
    assert optionargs.from_env({"ARGOCD_ENV_CONTEXT": "a::b"}).context_paths == ("a", "b")
    params = {"ARGOCD_ENV_CONTEXT": "ignored", "PARAM_CONTEXT": "ignored too", "PARAM_CONTEXT_2": "c",
              "PARAM_CONTEXT_0": "a", "PARAM_CONTEXT_1": "b", "PARAM_CONTEXT_4": "after a gap: not Argo CD's",
              "PARAM_CONTEXT_X": "not an index", "PARAM_NAMESPACE": "shop"}
    options = optionargs.from_env(params)
    assert options.context_paths == ("a", "b", "c"), "an array parameter wins over a string and env entries"
    assert options.namespace == "shop"
    assert optionargs.from_env({"PARAM_NODES_0": "n.yaml"}).nodes_file is None, "only repeatable options take arrays"


def test_argo_cd_build_defaults_yield_to_env_and_parameters() -> None:
    defaults = {"namespace": ("shop", "ARGOCD_APP_NAMESPACE")}
    assert optionargs.from_env({}, defaults).namespace == "shop"
    assert optionargs.from_env({"ARGOCD_ENV_NAMESPACE": "ops"}, defaults).namespace == "ops"
    with pytest.raises(RenderError, match="Invalid value for ARGOCD_APP_NAMESPACE"):
        optionargs.from_env({}, {"namespace": ("Bad", "ARGOCD_APP_NAMESPACE")})
    with pytest.raises(RenderError, match="Invalid value for ARGOCD_ENV_NAMESPACE"):
        optionargs.from_env({"ARGOCD_ENV_NAMESPACE": "Bad"})


def test_confine_refuses_paths_out_of_the_root_and_rebases_relative_ones(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "apps").mkdir(parents=True)
    (repo / "apps" / "escape").symlink_to(tmp_path)
    options = optionargs.parse_args(["--context=../platform", "--nodes=nodes.yaml"])
    confined = optionargs.confine(options, str(repo), str(repo / "apps"), "cfg")
    assert [os.path.normpath(p) for p in confined.context_paths] == [str(repo / "platform")]
    assert confined.nodes_file == str(repo / "apps" / "nodes.yaml")
    for bad in (["--context=../../x"], ["--context=escape/secret"], ["--nodes=/etc/passwd"], ["--context=ok", "--context=/"]):
        with pytest.raises(RenderError, match=r"^cfg: --(context|nodes): .* leads outside the repository"):
            optionargs.confine(optionargs.parse_args(bad), str(repo), str(repo / "apps"), "cfg")
