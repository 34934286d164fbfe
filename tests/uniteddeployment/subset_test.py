"""Subset workloads as Kruise's adapters build them (adapter_util.go, *_adapter.go@v1.9.0)."""
from __future__ import annotations

import copy

import pytest

from kruise_render.k8s import smp
from kruise_render.uniteddeployment import subset
from kruise_render.uniteddeployment.subset import SubsetPlan

POD = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "container-a", "image": "nginx:1.0"}]}}


def _ud(key: str = "statefulSetTemplate", workload_spec: dict | None = None, **template_meta: dict) -> dict:
    spec = {"template": copy.deepcopy(POD)}
    spec.update(workload_spec or {})
    return {
        "apiVersion": "apps.kruise.io/v1alpha1", "kind": "UnitedDeployment",
        "metadata": {"name": "web", "namespace": "prod", "labels": {"ud-only": "x"}},
        "spec": {
            "replicas": 4,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {key: {"metadata": {"labels": {"app": "web", **template_meta.get("labels", {})},
                                            "annotations": template_meta.get("annotations", {})},
                               "spec": spec}},
        },
    }


def _build(ud: dict, config: dict, key: str = "statefulSetTemplate", replicas: int = 2, partition: int = 0) -> dict:
    return subset.build(ud, key, SubsetPlan(config["name"], config, replicas, partition), "web-abc")


def test_metadata_labels_annotations_and_selector() -> None:
    out = _build(_ud(labels={"tier": "fe"}, annotations={"team": "a"}), {"name": "zone-a"})
    assert out["apiVersion"] == "apps/v1" and out["kind"] == "StatefulSet"
    assert out["metadata"] == {
        "name": "web-zone-a", "namespace": "prod",
        "labels": {"app": "web", "tier": "fe", "apps.kruise.io/controller-revision-hash": "web-abc",
                   "apps.kruise.io/subset-name": "zone-a"},
        "annotations": {"team": "a", "apps.kruise.io/subset-patch": ""},
    }
    assert out["spec"]["replicas"] == 2
    assert out["spec"]["selector"] == {"matchLabels": {"app": "web", "apps.kruise.io/subset-name": "zone-a"}}
    assert out["spec"]["template"]["metadata"]["labels"] == {
        "app": "web", "apps.kruise.io/subset-name": "zone-a", "apps.kruise.io/controller-revision-hash": "web-abc"}
    assert "ownerReferences" not in out["metadata"]


def test_node_affinity_is_anded_into_every_required_term() -> None:
    """TestStsSubsetProvision (uniteddeployment_controller_statefulset_test.go)."""
    ud = _ud()
    ud["spec"]["template"]["statefulSetTemplate"]["spec"]["template"]["spec"]["affinity"] = {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "test", "operator": "Exists"},
                                  {"key": "region", "operator": "In", "values": ["x"]}]},
            {"matchExpressions": [{"key": "test", "operator": "DoesNotExist"}]},
        ]}}}
    node_b = {"key": "node-name", "operator": "In", "values": ["node-b"]}
    out = _build(ud, {"name": "a", "nodeSelectorTerm": {"matchExpressions": [node_b]}})
    terms = out["spec"]["template"]["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [
        {"matchExpressions": [{"key": "test", "operator": "Exists"},
                              {"key": "region", "operator": "In", "values": ["x"]}, node_b]},
        {"matchExpressions": [{"key": "test", "operator": "DoesNotExist"}, node_b]},
    ]
    assert terms[0]["matchExpressions"][2] is not terms[1]["matchExpressions"][1]  # no YAML anchors


def test_node_affinity_creates_a_term_when_there_is_none() -> None:
    expression = {"key": "zone", "operator": "In", "values": ["a"]}
    out = _build(_ud(), {"name": "a", "nodeSelectorTerm": {"matchExpressions": [expression]}})
    assert out["spec"]["template"]["spec"]["affinity"] == {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [expression]}]}}}


def test_match_fields_alone_change_nothing() -> None:
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}
    out = _build(_ud(), {"name": "a", "nodeSelectorTerm": term})
    assert "affinity" not in out["spec"]["template"]["spec"]


def test_tolerations_are_appended() -> None:
    """TestStsSubsetProvisionWithToleration."""
    ud = _ud()
    ud["spec"]["template"]["statefulSetTemplate"]["spec"]["template"]["spec"]["tolerations"] = [{"key": "taint-0"}]
    out = _build(ud, {"name": "a", "tolerations": [{"key": "taint-a"}, {"key": "taint-b"}]})
    assert out["spec"]["template"]["spec"]["tolerations"] == [{"key": "taint-0"}, {"key": "taint-a"}, {"key": "taint-b"}]


def test_patch_is_applied_last_and_recorded() -> None:
    """TestStsSubsetPatch: image by container name, a new pod label, env merged."""
    patch = {"metadata": {"labels": {"zone": "a"}},
             "spec": {"containers": [{"name": "container-a", "image": "nginx:2.0", "env": [{"name": "K", "value": "v"}]}]}}
    out = _build(_ud(), {"name": "a", "patch": patch})
    pod = out["spec"]["template"]
    assert pod["metadata"]["labels"]["zone"] == "a"
    assert pod["spec"]["containers"] == [{"name": "container-a", "image": "nginx:2.0", "env": [{"name": "K", "value": "v"}]}]
    assert out["metadata"]["annotations"]["apps.kruise.io/subset-patch"] == (
        '{"metadata":{"labels":{"zone":"a"}},"spec":{"containers":[{"env":[{"name":"K","value":"v"}],'
        '"image":"nginx:2.0","name":"container-a"}]}}')


def test_patch_replaces_atomic_tolerations_including_the_subsets() -> None:
    out = _build(_ud(), {"name": "a", "tolerations": [{"key": "t"}], "patch": {"spec": {"tolerations": [{"key": "p"}]}}})
    assert out["spec"]["template"]["spec"]["tolerations"] == [{"key": "p"}]


def test_empty_patch_is_recorded_as_empty_object() -> None:
    out = _build(_ud(), {"name": "a", "patch": {}})
    assert out["metadata"]["annotations"]["apps.kruise.io/subset-patch"] == "{}"


def test_invalid_patch_raises() -> None:
    with pytest.raises(smp.StrategicMergeError):
        _build(_ud(), {"name": "a", "patch": {"spec": {"containers": [{"image": "x"}]}}})


@pytest.mark.parametrize("strategy,expected", [
    (None, {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}),
    ({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}},
     {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2, "partition": 2}}),
    ({"type": "OnDelete"}, {"type": "OnDelete"}),
])
def test_statefulset_partition(strategy: dict | None, expected: dict) -> None:
    spec = {} if strategy is None else {"updateStrategy": strategy}
    out = _build(_ud(workload_spec=spec), {"name": "a"}, partition=2)
    assert out["spec"]["updateStrategy"] == expected


@pytest.mark.parametrize("strategy,expected", [
    (None, {"rollingUpdate": {"partition": 1}}),
    ({"type": "RollingUpdate", "rollingUpdate": {"podUpdatePolicy": "InPlaceIfPossible"}},
     {"type": "RollingUpdate", "rollingUpdate": {"podUpdatePolicy": "InPlaceIfPossible", "partition": 1}}),
    ({"type": "OnDelete"}, {"type": "OnDelete"}),
])
def test_advanced_statefulset_partition_keeps_the_type(strategy: dict | None, expected: dict) -> None:
    key = "advancedStatefulSetTemplate"
    spec = {} if strategy is None else {"updateStrategy": strategy}
    out = _build(_ud(key, spec), {"name": "a"}, key=key, partition=1)
    assert (out["apiVersion"], out["kind"]) == ("apps.kruise.io/v1beta1", "StatefulSet")
    assert out["spec"]["updateStrategy"] == expected


def test_cloneset_partition_is_always_written_as_an_integer() -> None:
    key = "cloneSetTemplate"
    out = _build(_ud(key, {"updateStrategy": {"type": "InPlaceIfPossible", "partition": "50%"}}), {"name": "a"}, key=key)
    assert (out["apiVersion"], out["kind"]) == ("apps.kruise.io/v1alpha1", "CloneSet")
    assert out["spec"]["updateStrategy"] == {"type": "InPlaceIfPossible", "partition": 0}


def test_deployment_gets_no_partition() -> None:
    key = "deploymentTemplate"
    out = _build(_ud(key, {"strategy": {"type": "Recreate"}}), {"name": "a"}, key=key, partition=3)
    assert "updateStrategy" not in out["spec"] and out["spec"]["strategy"] == {"type": "Recreate"}


def test_the_ud_is_not_modified() -> None:
    ud = _ud()
    before = copy.deepcopy(ud)
    _build(ud, {"name": "a", "tolerations": [{"key": "t"}], "nodeSelectorTerm": {
        "matchExpressions": [{"key": "z", "operator": "Exists"}]}, "patch": {"metadata": {"labels": {"z": "1"}}}})
    assert ud == before


def test_revision_is_stable_and_shaped_like_kruises() -> None:
    template = {"statefulSetTemplate": {"spec": {"template": POD}}}
    value = subset.revision("web", template)
    assert value == subset.revision("web", copy.deepcopy(template))
    assert value.startswith("web-") and set(value[4:]) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert value == "web-" + subset.revision("x", template)[2:]
    changed = copy.deepcopy(template)
    changed["statefulSetTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    assert subset.revision("web", changed) != value


def test_revision_value_is_pinned() -> None:
    """Changing the hash changes every rendered pod template: it must not change by accident."""
    assert subset.revision("web", {"deploymentTemplate": {"spec": {}}}) == "web-7864846fbb"
