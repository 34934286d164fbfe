from __future__ import annotations

import hashlib

import pytest

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
    # The bytes the API server serves for spec.resource: a zero creationTimestamp removed
    # (kubernetes/apiextensions-apiserver@v0.32.10:pkg/apiserver/schema/objectmeta/algorithm.go Coerce),
    # sorted keys, <>& escaped (json.Encoder); openkruise/kruise@v1.9.0:pkg/controller/resourcedistribution/
    # utils.go hashResource is the sha256 of those bytes.
    stored = '{"apiVersion":"v1","data":{"a":"\\u003cb\\u003e"},"kind":"ConfigMap","metadata":{"name":"cfg"}}'

    annotations = out.objects[0]["metadata"]["annotations"]
    assert annotations == {
        "kruise.io/resourcedistribution.resource.hashcode": hashlib.sha256(stored.encode()).hexdigest(),
        "kruise.io/resourcedistribution.resource.from": "dist",
    }
    assert out.objects[0]["metadata"]["namespace"] == "x"
    assert out.objects[0]["data"] == {"a": "<b>"}


def test_a_written_zero_creation_timestamp_is_not_hashed() -> None:
    text = rd("    includedNamespaces: {list: [{name: x}]}")
    plain, written = render(text), render(text.replace("{name: cfg}", "{name: cfg, creationTimestamp: null}"))
    key = "kruise.io/resourcedistribution.resource.hashcode"
    assert written.objects[0]["metadata"]["annotations"][key] == plain.objects[0]["metadata"]["annotations"][key]


# What the API server refuses when Kruise's webhook dry-run creates spec.resource
# (openkruise/kruise@v1.9.0:pkg/webhook/resourcedistribution/validating/resourcedistribution_create_update_handler.go).
DRY_RUN = [
    ("ConfigMap", "data: {key: 1}", "spec.resource.data.key", "ConfigMap data values must be strings, got number 1"),
    ("ConfigMap", "data: {debug: on}", "spec.resource.data.debug", "got boolean true (quote it)"),
    ("ConfigMap", "binaryData: {b: '!!'}", "spec.resource.binaryData.b", "ConfigMap binaryData values must be base64"),
    ("ConfigMap", "data: {a: x}\n    binaryData: {a: eA==}", "spec.resource.binaryData.a", "duplicate of key 'a' in data"),
    ("ConfigMap", "data: {'a b': x}", "spec.resource.data['a b']", "a valid config key must consist of"),
    ("ConfigMap", "data: {..a: x}", "spec.resource.data['..a']", "must not start with '..'"),
    ("Secret", "data: {k: not base64}", "spec.resource.data.k", "Secret data values must be base64"),
    # Not ASCII: Go's decoder refuses the byte; Python's raises ValueError, not binascii.Error.
    ("Secret", "data: {k: \"\u00e4\u00fc\"}", "spec.resource.data.k", 'Secret data values must be base64, got "\\u00e4\\u00fc"'),
    ("Secret", "stringData: {k: 5}", "spec.resource.stringData.k", "Secret stringData values must be strings"),
]


@pytest.mark.parametrize("kind, body, path, fragment", DRY_RUN)
def test_what_the_dry_run_create_refuses_is_an_error(kind: str, body: str, path: str, fragment: str) -> None:
    text = rd("    includedNamespaces: {list: [{name: x}]}").replace("kind: ConfigMap", f"kind: {kind}")
    text = text.replace("data: {a: '<b>'}", body)
    out = render(text, allow_lossy=True)
    assert out.objects == []
    assert any(f"ResourceDistribution/dist: {path}: Kruise's webhook rejects" in e and fragment in e for e in out.errors), \
        out.errors


def test_valid_base64_with_line_breaks_is_accepted() -> None:
    text = rd("    includedNamespaces: {list: [{name: x}]}").replace("kind: ConfigMap", "kind: Secret")
    out = render(text.replace("data: {a: '<b>'}", 'data: {k: "YWJj\\nZGVm"}'))
    assert out.errors == [] and out.objects[0]["data"] == {"k": "YWJj\nZGVm"}


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
