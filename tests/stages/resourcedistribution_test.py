from __future__ import annotations

import hashlib

from tests.stages.otherkinds_support import render

NAMESPACES = """
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: c, labels: {env: dev}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-public, labels: {env: prod}}
"""


CONFIG_MAP = "apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: cfg}\n    data: {a: '<b>'}"


def rd(targets: str, resource: str = CONFIG_MAP) -> str:
    return f"""
apiVersion: apps.kruise.io/v1alpha1
kind: ResourceDistribution
metadata: {{name: dist}}
spec:
  resource:
    {resource}
  targets:
{targets}
"""


def copies(rendered) -> list[tuple[str, str]]:
    return [(o["kind"], o["metadata"]["namespace"]) for o in rendered.objects if o["kind"] != "Namespace"]


def test_each_copy_carries_the_source_name_and_the_hash_of_the_stored_resource() -> None:
    out = render(rd("    includedNamespaces: {list: [{name: x}]}"))
    assert out.errors == []
    stored = ('{"apiVersion":"v1","data":{"a":"\\u003cb\\u003e"},"kind":"ConfigMap",'
              '"metadata":{"creationTimestamp":null,"name":"cfg"}}')
    annotations = out.objects[0]["metadata"]["annotations"]
    assert annotations == {
        "kruise.io/resourcedistribution.resource.hashcode": hashlib.sha256(stored.encode()).hexdigest(),
        "kruise.io/resourcedistribution.resource.from": "dist",
    }
    assert out.objects[0]["metadata"]["namespace"] == "x"
    assert out.objects[0]["data"] == {"a": "<b>"}


def test_included_and_selected_namespaces_minus_excluded_in_name_order() -> None:
    targets = (
        "    includedNamespaces: {list: [{name: z}, {name: c}]}\n"
        "    excludedNamespaces: {list: [{name: b}]}\n"
        "    namespaceLabelSelector: {matchLabels: {env: prod}}"
    )
    out = render(NAMESPACES + "---" + rd(targets))
    assert out.errors == []
    assert copies(out) == [("ConfigMap", "a"), ("ConfigMap", "c"), ("ConfigMap", "z")]
    assert any("kube-public skipped" in w for w in out.warnings)


def test_all_namespaces_uses_every_namespace_of_the_input() -> None:
    out = render(NAMESPACES + "---" + rd("    allNamespaces: true\n    excludedNamespaces: {list: [{name: c}]}"))
    assert copies(out) == [("ConfigMap", "a"), ("ConfigMap", "b")]


def test_explicitly_included_system_namespace_is_honoured_with_a_warning() -> None:
    out = render(rd("    includedNamespaces: {list: [{name: kube-system}]}"))
    assert copies(out) == [("ConfigMap", "kube-system")]
    assert any("listed explicitly" in w for w in out.warnings)


def test_selector_without_namespace_objects_is_an_error_naming_the_object() -> None:
    out = render(rd("    namespaceLabelSelector: {matchLabels: {env: prod}}"))
    assert out.objects == []
    assert len(out.errors) == 1
    assert "ResourceDistribution/dist: spec.targets.namespaceLabelSelector: needs the target namespaces" in out.errors[0]


def test_only_secrets_and_configmaps_are_distributed() -> None:
    out = render(rd("    includedNamespaces: {list: [{name: x}]}",
                    "apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: d}"))
    assert out.objects == [] and out.errors[0].startswith("in.yaml:8: ResourceDistribution/dist: spec.resource.kind:")
    out = render(rd("    includedNamespaces: {list: [{name: x}]}",
                    "apiVersion: apps/v1\n    kind: Secret\n    metadata: {name: d}"))
    assert "Kruise distributes only v1 Secret and ConfigMap" in out.errors[0]


def test_a_namespace_both_included_and_excluded_is_rejected_as_kruise_does() -> None:
    out = render(rd("    includedNamespaces: {list: [{name: x}]}\n    excludedNamespaces: {list: [{name: x}]}"))
    assert out.errors and "ambiguous targets" in out.errors[0]


def test_invalid_namespace_name_is_rejected() -> None:
    out = render(rd("    includedNamespaces: {list: [{name: Not_Valid}]}"))
    assert out.errors and "spec.targets.includedNamespaces.list[0].name: invalid namespace name" in out.errors[0]


def test_gate_turned_off_explicitly_is_an_error() -> None:
    out = render(rd("    includedNamespaces: {list: [{name: x}]}"), feature_gates={"ResourceDistributionGate": False})
    assert out.errors and "ResourceDistributionGate is off" in out.errors[0]


def test_output_is_the_same_on_every_run() -> None:
    text = NAMESPACES + "---" + rd("    allNamespaces: true")
    assert render(text).objects == render(text).objects


def test_a_copy_that_collides_with_an_input_object_is_an_error() -> None:
    existing = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: x}\n---"
    out = render(existing + rd("    includedNamespaces: {list: [{name: x}]}"))
    assert "ConfigMap/x/cfg already exists in the input (in.yaml:1)" in out.errors[0]


def test_a_nan_in_the_resource_is_an_error_as_go_json_cannot_encode_it() -> None:
    # The reader refuses NaN and infinity everywhere now (Kubernetes speaks JSON), at its line.
    resource = "apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: cfg}\n    extra: .nan"
    out = render(NAMESPACES + "---" + rd("    includedNamespaces: {list: [{name: a}]}", resource))
    assert out.errors == ["in.yaml:26: '.nan' is not a number Kubernetes accepts (JSON has no NaN or infinity)"]


def test_selector_sees_the_name_label_the_apiserver_adds_to_every_namespace() -> None:
    targets = (
        "    namespaceLabelSelector:\n"
        "      matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [a, c]}]"
    )
    out = render(NAMESPACES + "---" + rd(targets))
    assert out.errors == []
    assert copies(out) == [("ConfigMap", "a"), ("ConfigMap", "c")]
