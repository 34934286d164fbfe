"""Kruise v1.9.0's own UnitedDeployment tests, ported case by case (own data, same expectations).

Sources (openkruise/kruise@v1.9.0): pkg/webhook/uniteddeployment/validating/
uniteddeployment_validation_test.go, pkg/controller/uniteddeployment/allocator_test.go and
uniteddeployment_controller_{statefulset,advancedstatefulset,cloneset,deployment}_test.go. Each
table row names the upstream test (and case) it mirrors. Controller tests that step through
updates are ported as one fresh render per step: the render has no existing subsets, and every
step below gives the same result from scratch as after the previous step.
"""
from __future__ import annotations

import copy
from typing import Any

import pytest

from kruise_render.context import Context
from kruise_render.diagnostics import Severity
from kruise_render.stages import uniteddeployment
from kruise_render.uniteddeployment import subset, validation
from kruise_render.uniteddeployment.allocate import AllocationError, allocate_fixed
from tests.stages.helpers import run_stage

LABELS = {"a": "b"}
POD = {"metadata": {"labels": LABELS},
       "spec": {"containers": [{"name": "container-a", "image": "nginx:1.0"}]}}


def _template(key: str = "statefulSetTemplate", labels: dict | None = LABELS) -> dict:
    workload: dict[str, Any] = {"spec": {"template": copy.deepcopy(POD)}}
    if labels is not None:
        workload["metadata"] = {"labels": dict(labels)}
    return {key: workload}


def _spec(replicas: int | None = 10, subsets: list | None = None, template: dict | None = None,
          **extra: Any) -> dict:
    spec: dict[str, Any] = {"selector": {"matchLabels": dict(LABELS)}, "template": _template() if template is None else template}
    if replicas is not None:
        spec["replicas"] = replicas
    if subsets is not None:
        spec["topology"] = {"subsets": subsets}
    spec.update(extra)
    return spec


def _render(spec: dict) -> tuple[list, Context]:
    ud = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "UnitedDeployment",
          "metadata": {"name": "abc", "namespace": "default"}, "spec": spec}
    return run_stage(uniteddeployment.run, ud)


def _replicas(out: list) -> dict[str, int]:
    return {d.data["metadata"]["labels"]["apps.kruise.io/subset-name"]: d.data["spec"]["replicas"] for d in out}


def _errors(ctx: Context) -> list[str | None]:
    return [d.path for d in ctx.problems if d.severity is Severity.ERROR]


# --- TestValidateUnitedDeployment: successCases (index = upstream "success case N") -------------
# (case, spec, allocation the controller then makes, or None when its allocator refuses)
SUCCESS = [
    ("success case 0", _spec(None, [{"name": "subset1", "replicas": 1}, {"name": "subset2", "replicas": 1}]),
     {"subset1": 1, "subset2": 1}),
    ("success case 1", _spec(10), None),
    ("success case 2", _spec(10, [{"name": "subset"}]), {"subset": 10}),
    ("success case 3", _spec(10, [{"name": "subset1", "replicas": 1}, {"name": "subset2"}]),
     {"subset1": 1, "subset2": 9}),
    ("success case 4", _spec(10, [{"name": "subset1", "replicas": 1}, {"name": "subset2", "replicas": "90%"}]),
     {"subset1": 1, "subset2": 9}),
    ("success case 5", _spec(10, [{"name": "subset1", "replicas": "71%"}, {"name": "subset2", "replicas": "29%"}]),
     {"subset1": 7, "subset2": 3}),
    ("success case 6", _spec(10, template=_template("deploymentTemplate")), None),
]


@pytest.mark.parametrize("case,spec,allocation", SUCCESS, ids=[c[0] for c in SUCCESS])
def test_validate_united_deployment_success_cases(case: str, spec: dict, allocation: dict | None) -> None:
    assert validation.validate(spec) == []
    out, ctx = _render(spec)
    if allocation is None:
        # The webhook admits replicas without subsets; the specific allocator then refuses
        # ("specified subsets' replica (0) is less than ...") and creates nothing: an error here.
        assert out == [] and _errors(ctx) == ["spec.topology.subsets"]
    else:
        assert not ctx.failed and _replicas(out) == allocation


# --- TestValidateUnitedDeployment: errorCases (upstream key = case id) -------------------------
ERROR_CASES = [
    ("no pod template label", _spec(10, template={"statefulSetTemplate": {"spec": {"template": {
        "metadata": {}, "spec": POD["spec"]}}}}),
     ["spec.template.statefulSetTemplate.metadata.labels",
      "spec.template.statefulSetTemplate.spec.template.metadata.labels"]),
    ("deployment no pod template label", _spec(10, template={"deploymentTemplate": {"spec": {"template": {
        "metadata": {}, "spec": POD["spec"]}}}}),
     ["spec.template.deploymentTemplate.metadata.labels",
      "spec.template.deploymentTemplate.spec.template.metadata.labels"]),
    ("no subset template", _spec(10, template={}), ["spec.template"]),
    ("no subset name", _spec(10, [{}]), ["spec.topology.subsets[0].name"]),
    ("invalid subset nodeSelectorTerm", _spec(10, [{"name": "subset", "nodeSelectorTerm": {"matchExpressions": [
        {"key": "key", "operator": "Exists", "values": ["unexpected"]}]}}]),
     ["spec.topology.subsets[0].nodeSelectorTerm.matchExpressions[0].values"]),
    ("subset replicas is not enough", _spec(10, [{"name": "subset1", "replicas": 1}]), ["spec.topology.subsets"]),
    ("subset replicas is too small", _spec(10, [{"name": "subset1", "replicas": 1}, {"name": "subset2", "replicas": "71%"}]),
     ["spec.topology.subsets"]),
    ("subset replicas is too much", _spec(10, [{"name": "subset1", "replicas": "71%"}, {"name": "subset2", "replicas": "90%"}]),
     ["spec.topology.subsets"]),
    ("deployment subset replicas is too much", _spec(
        10, [{"name": "subset1", "replicas": "71%"}, {"name": "subset2", "replicas": "90%"}],
        template=_template("deploymentTemplate")), ["spec.topology.subsets"]),
    ("subset replicas type is percent when spec replicas not set", _spec(
        None, [{"name": "subset1", "replicas": "90%"}, {"name": "subset2", "replicas": 1}]),
     ["spec.topology.subsets[0].replicas"]),
    ("partition not exist", _spec(
        10, [{"name": "subset1", "replicas": "71%"}, {"name": "subset2", "replicas": "90%"}],
        updateStrategy={"manualUpdate": {"partitions": {"notExist": 1}}}),
     ["spec.topology.subsets", "spec.updateStrategy.manualUpdate.partitions.notExist"]),
    ("duplicated templates", _spec(10, template={**_template(), **_template("advancedStatefulSetTemplate")}),
     ["spec.template"]),
    ("triple duplicated templates", _spec(10, template={
        **_template(), **_template("advancedStatefulSetTemplate"), **_template("deploymentTemplate")}),
     ["spec.template"]),
    ("deployment duplicated templates", _spec(10, template={**_template(), **_template("deploymentTemplate")}),
     ["spec.template"]),
    # Upstream's template has no metadata labels: rejected for them, whatever the name says.
    ("deployment no pod template termination policy", _spec(10, template=_template("deploymentTemplate", None)),
     ["spec.template.deploymentTemplate.metadata.labels"]),
    ("use specific allocator in adaptive mode", _spec(
        10, template=_template("deploymentTemplate", None),
        topology={"subsets": [{"name": "subset-1", "replicas": 1}], "scheduleStrategy": {"type": "Adaptive"}}),
     ["spec.template.deploymentTemplate.metadata.labels", "spec.topology.subsets[0].replicas",
      "spec.topology.subsets"]),
    ("use stateful workloads with reserved rescheduling enabled", _spec(
        10, template=_template("statefulSetTemplate", None),
        topology={"subsets": [{"name": "subset-1", "replicas": 1}], "scheduleStrategy": {
            "type": "Adaptive", "adaptive": {"reserveUnschedulablePods": True}}}),
     ["spec.template.statefulSetTemplate.metadata.labels", "spec.topology.scheduleStrategy",
      "spec.topology.subsets[0].replicas", "spec.topology.subsets"]),
]


@pytest.mark.parametrize("case,spec,paths", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_validate_united_deployment_error_cases(case: str, spec: dict, paths: list) -> None:
    out, ctx = _render(spec)
    assert out == []
    assert sorted(_errors(ctx)) == sorted(paths)


# --- validating `Test` (validateSubsetReplicas with min/max) -----------------------------------
MIN_MAX_VALIDATION = [
    ("sum_all_min_replicas == replicas", 10, [2, 2, 2, 2, 2], [5, 5, 5, 5, None], False),
    ("sum_all_min_replicas < replicas", 14, [2, 2, 2, 2, 2], [5, 5, 5, 5, None], False),
    ("sum_all_min_replicas > replicas", 5, [2, 2, 2, 2, 2], [5, 5, 5, 5, None], False),
    ("min_replicas > max_replicas", 5, [2, 2, 2, 6, 2], [5, 5, 5, 5, None], True),
    ("all_max_replicas != nil", 5, [2, 2, 2, 2, 2], [5, 5, 5, 5, 5], True),
]


def _min_max(lows: list, highs: list) -> list[dict]:
    subsets = []
    for index, (low, high) in enumerate(zip(lows, highs, strict=True)):
        subset: dict[str, Any] = {"name": f"subset-{index}", "minReplicas": low}
        if high is not None:
            subset["maxReplicas"] = high
        subsets.append(subset)
    return subsets


@pytest.mark.parametrize("case,total,lows,highs,fails", MIN_MAX_VALIDATION, ids=[c[0] for c in MIN_MAX_VALIDATION])
def test_validate_subset_replicas_min_max(case: str, total: int, lows: list, highs: list, fails: bool) -> None:
    assert bool(validation.validate(_spec(total, _min_max(lows, highs)))) is fails


# --- TestCapacityAllocator, rendered whole -----------------------------------------------------
CAPACITY = [
    ("sum_all_min_replicas == replicas", 10, [2, 2, 2, 2, 2]),
    ("sum_all_min_replicas < replicas", 14, [5, 3, 2, 2, 2]),
    ("sum_all_min_replicas > replicas", 5, [2, 2, 1, 0, 0]),
]


@pytest.mark.parametrize("case,total,expected", CAPACITY, ids=[c[0] for c in CAPACITY])
def test_capacity_allocator(case: str, total: int, expected: list) -> None:
    out, ctx = _render(_spec(total, _min_max([2] * 5, [5, 5, 5, 5, None])))
    assert not ctx.failed
    assert list(_replicas(out).values()) == expected


# --- TestDefaultAdaptiveAllocation / TestReservedAdaptiveAllocation: the cases that start from no
# subsets (the others need pod status a render does not have) ----------------------------------
ADAPTIVE_STARTS = [
    ("TestDefaultAdaptiveAllocation complex: start", False, 4, [0, 0, 0, 0], [2, None, None, None], [2, 2, 0, 0]),
    ("TestReservedAdaptiveAllocation 4 subsets, 2 each, start", True, 8, [1, 1, 1, 1], [2, 2, 2, None], [2, 2, 2, 2]),
    ("TestReservedAdaptiveAllocation 3 infinity subsets, start", True, 2, [None] * 3, [None] * 3, [2, 0, 0]),
    ("TestReservedAdaptiveAllocation 3 subsets, 2 with minReplicas, start", True, 2, [1, 1, 0], [None] * 3, [1, 1, 0]),
]


@pytest.mark.parametrize("case,reserve,total,lows,highs,expected", ADAPTIVE_STARTS, ids=[c[0] for c in ADAPTIVE_STARTS])
def test_adaptive_allocation_from_a_fresh_start(case: str, reserve: bool, total: int, lows: list, highs: list,
                                                expected: list) -> None:
    subsets = []
    for index, (low, high) in enumerate(zip(lows, highs, strict=True)):
        subset: dict[str, Any] = {"name": f"subset-{index}"}
        subset.update({k: v for k, v in (("minReplicas", low), ("maxReplicas", high)) if v is not None})
        subsets.append(subset)
    strategy: dict[str, Any] = {"type": "Adaptive"}
    if reserve:
        strategy["adaptive"] = {"reserveUnschedulablePods": True}
    out, ctx = _render(_spec(total, template=_template("deploymentTemplate"),
                             topology={"subsets": subsets, "scheduleStrategy": strategy}))
    assert not ctx.failed
    assert list(_replicas(out).values()) == expected


# --- TestScaleReplicas, TestSpecifyValidReplicas, TestSpecifyInvalidReplicas (with the existing
# subset sizes the upstream cases start from) ---------------------------------------------------
T_SIZES = {"A": {"t1": 1, "t2": 4, "t3": 2, "t4": 2}, "B": {"t1": 2, "t2": 4, "t3": 2, "t4": 2},
           "C": {"t1": 4, "t2": 2, "t3": 2, "t4": 2}}
SPECIFIC = [
    ("TestScaleReplicas 1", T_SIZES["A"], 5, {}, {"t1": 1, "t2": 2, "t3": 1, "t4": 1}),
    ("TestScaleReplicas 2", {"t1": 2}, 0, {}, {"t1": 0}),
    ("TestScaleReplicas 3", T_SIZES["A"], 17, {}, {"t1": 4, "t2": 5, "t3": 4, "t4": 4}),
    ("TestScaleReplicas 4", T_SIZES["B"], 9, {}, {"t1": 2, "t2": 3, "t3": 2, "t4": 2}),
    ("TestScaleReplicas 5", {"t1": 0, "t2": 10}, 19, {}, {"t1": 9, "t2": 10}),
    ("TestScaleReplicas 6", {"t1": 0, "t2": 10}, 21, {}, {"t1": 10, "t2": 11}),
    ("TestSpecifyValidReplicas 1", T_SIZES["A"], 27, {"t1": 4, "t3": 4}, {"t1": 4, "t2": 10, "t3": 4, "t4": 9}),
    ("TestSpecifyValidReplicas 2", T_SIZES["B"], 8, {"t1": 4, "t3": 4}, {"t1": 4, "t2": 0, "t3": 4, "t4": 0}),
    ("TestSpecifyValidReplicas 3", T_SIZES["B"], 16, {"t1": 4, "t2": 4, "t3": 4, "t4": 4},
     {"t1": 4, "t2": 4, "t3": 4, "t4": 4}),
    ("TestSpecifyValidReplicas 4", T_SIZES["C"], 10, {"t1": 1, "t2": 2, "t3": 3}, {"t1": 1, "t2": 2, "t3": 3, "t4": 4}),
    ("TestSpecifyValidReplicas 5", T_SIZES["C"], 10, {"t1": 1, "t2": 2, "t3": 3, "t4": 4},
     {"t1": 1, "t2": 2, "t3": 3, "t4": 4}),
    ("TestSpecifyValidReplicas 6", T_SIZES["C"], None, {"t1": 1, "t2": 2, "t3": 3, "t4": 4},
     {"t1": 1, "t2": 2, "t3": 3, "t4": 4}),
]


@pytest.mark.parametrize("case,current,total,specified,expected", SPECIFIC, ids=[c[0] for c in SPECIFIC])
def test_specific_allocator(case: str, current: dict, total: int | None, specified: dict, expected: dict) -> None:
    subsets = [(name, specified.get(name)) for name in current]
    assert allocate_fixed(total, subsets, current) == expected


@pytest.mark.parametrize("specified", [{"t1": 6, "t2": 6}, {"t1": 10, "t2": 11}], ids=["1", "2"])
def test_specify_invalid_replicas(specified: dict) -> None:
    """TestSpecifyInvalidReplicas: the allocator refuses (upstream's subsets keep their sizes)."""
    with pytest.raises(AllocationError):
        allocate_fixed(14, list(specified.items()), {"t1": 10, "t2": 4})


# --- controller tests: TestStsSubsetCount (each step rendered fresh; partitions clamp) ----------
SUBSET_COUNT = [
    ("two unspecified", [{"name": "subset-a"}, {"name": "subset-b"}], {}, {"subset-a": (5, 0), "subset-b": (5, 0)}),
    ("subset-a 9", [{"name": "subset-a", "replicas": 9}, {"name": "subset-b"}], {},
     {"subset-a": (9, 0), "subset-b": (1, 0)}),
    ("subset-a 40%", [{"name": "subset-a", "replicas": "40%"}, {"name": "subset-b"}], {},
     {"subset-a": (4, 0), "subset-b": (6, 0)}),
    ("subset-a 30%, partition 1", [{"name": "subset-a", "replicas": "30%"}, {"name": "subset-b"}], {"subset-a": 1},
     {"subset-a": (3, 1), "subset-b": (7, 0)}),
    ("subset-a 20%, partition 2, subset-c added",
     [{"name": "subset-a", "replicas": "20%"}, {"name": "subset-b"}, {"name": "subset-c"}], {"subset-a": 2},
     {"subset-a": (2, 2), "subset-b": (4, 0), "subset-c": (4, 0)}),
    ("subset-a 10%, partition 2 clamped", [{"name": "subset-a", "replicas": "10%"}, {"name": "subset-b"}],
     {"subset-a": 2}, {"subset-a": (1, 1), "subset-b": (9, 0)}),
    ("subset-a back to 40%", [{"name": "subset-a", "replicas": "40%"}, {"name": "subset-b"}], {"subset-a": 2},
     {"subset-a": (4, 2), "subset-b": (6, 0)}),
]


@pytest.mark.parametrize("step,subsets,partitions,expected", SUBSET_COUNT, ids=[c[0] for c in SUBSET_COUNT])
def test_sts_subset_count(step: str, subsets: list, partitions: dict, expected: dict) -> None:
    out, ctx = _render(_spec(10, subsets, updateStrategy={"type": "Manual", "manualUpdate": {"partitions": partitions}}))
    assert not ctx.failed
    assert {name: (d.data["spec"]["replicas"], d.data["spec"]["updateStrategy"]["rollingUpdate"]["partition"])
            for name, d in zip(_replicas(out), out, strict=True)} == expected


@pytest.mark.parametrize("key,partition", [
    ("statefulSetTemplate", lambda s: s["updateStrategy"]["rollingUpdate"]["partition"]),
    ("advancedStatefulSetTemplate", lambda s: s["updateStrategy"]["rollingUpdate"]["partition"]),
    ("cloneSetTemplate", lambda s: s["updateStrategy"]["partition"]),
], ids=["TestStsRollingUpdatePartition", "TestAstsRollingUpdatePartition", "TestCsRollingUpdatePartition"])
def test_rolling_update_partition(key: str, partition: Any) -> None:
    subsets = [{"name": "subset-a"}, {"name": "subset-b"}]
    for partitions, expected in (({"subset-a": 4, "subset-b": 3}, [4, 3]), ({"subset-b": 3}, [0, 3]), ({}, [0, 0])):
        out, ctx = _render(_spec(10, subsets, template=_template(key),
                                 updateStrategy={"type": "Manual", "manualUpdate": {"partitions": partitions}}))
        assert not ctx.failed
        assert [d.data["spec"]["replicas"] for d in out] == [5, 5]
        assert [partition(d.data["spec"]) for d in out] == expected


@pytest.mark.parametrize("key", ["statefulSetTemplate", "advancedStatefulSetTemplate"],
                         ids=["TestStsOnDelete", "TestAstsOnDelete"])
def test_on_delete_subsets_get_no_partition(key: str) -> None:
    template = _template(key)
    template[key]["spec"]["updateStrategy"] = {"type": "OnDelete"}
    out, ctx = _render(_spec(10, [{"name": "subset-a"}, {"name": "subset-b"}], template=template,
                             updateStrategy={"type": "Manual", "manualUpdate": {"partitions": {"subset-a": 2}}}))
    assert not ctx.failed
    assert [d.data["spec"]["updateStrategy"] for d in out] == [{"type": "OnDelete"}] * 2


@pytest.mark.parametrize("key", ["statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate",
                                 "deploymentTemplate"],
                         ids=["TestStsScale", "TestAstsScale", "TestCsScale", "TestDeploymentScale"])
def test_scale(key: str) -> None:
    subsets = [{"name": "subset-a"}, {"name": "subset-b"}]
    for total, expected in ((1, [0, 1]), (2, [1, 1]), (5, [2, 3]), (4, [2, 2])):
        out, ctx = _render(_spec(total, subsets, template=_template(key)))
        assert not ctx.failed
        assert [d.data["spec"]["replicas"] for d in out] == expected


def _required_terms(doc: Any) -> list:
    return doc.data["spec"]["template"]["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]


def _zone(value: str) -> dict:
    return {"key": "node-name", "operator": "In", "values": [value]}


@pytest.mark.parametrize("key", ["statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate",
                                 "deploymentTemplate"],
                         ids=["TestStsSubsetProvision", "TestAstsSubsetProvision", "TestCsSubsetProvision",
                              "TestDeploymentSubsetProvision"])
def test_subset_provision(key: str) -> None:
    subsets = [{"name": "subset-a", "nodeSelectorTerm": {"matchExpressions": [_zone("node-a")]}},
               {"name": "subset-b", "nodeSelectorTerm": {"matchExpressions": [_zone("node-b")]}}]
    out, ctx = _render(_spec(1, subsets, template=_template(key)))
    assert not ctx.failed
    assert [_required_terms(d) for d in out] == [[{"matchExpressions": [_zone("node-a")]}],
                                                 [{"matchExpressions": [_zone("node-b")]}]]
    # The template's own two required terms each get the subset's expression appended.
    template = _template(key)
    template[key]["spec"]["template"]["spec"]["affinity"] = {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "test", "operator": "Exists"},
                                  {"key": "region", "operator": "In", "values": ["abc"]}]},
            {"matchExpressions": [{"key": "test", "operator": "DoesNotExist"}]}]}}}
    out, ctx = _render(_spec(1, subsets[1:], template=template))
    assert not ctx.failed
    assert _required_terms(out[0]) == [
        {"matchExpressions": [{"key": "test", "operator": "Exists"},
                              {"key": "region", "operator": "In", "values": ["abc"]}, _zone("node-b")]},
        {"matchExpressions": [{"key": "test", "operator": "DoesNotExist"}, _zone("node-b")]}]


@pytest.mark.parametrize("key", ["statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate",
                                 "deploymentTemplate"],
                         ids=["TestStsSubsetPatch", "TestAstsSubsetPatch", "TestCsSubsetPatch",
                              "TestDeploymentSubsetPatch"])
def test_subset_patch(key: str) -> None:
    patches = {
        "subset-a": {"spec": {"containers": [{"name": "container-a", "image": "nginx:2.0"}]}},
        "subset-b": {"metadata": {"labels": {"zone": "a"}}},
        "subset-c": {"spec": {"containers": [{"name": "container-a", "resources": {
            "limits": {"cpu": "2", "memory": "800Mi"}}}]}},
        "subset-d": {"spec": {"containers": [{"name": "container-a", "env": [
            {"name": "K8S_CONTAINER_NAME", "value": "main"}]}]}},
    }
    out, ctx = _render(_spec(1, [{"name": name, "patch": patch} for name, patch in patches.items()],
                             template=_template(key)))
    assert not ctx.failed
    pods = {d.data["metadata"]["labels"]["apps.kruise.io/subset-name"]: d.data["spec"]["template"] for d in out}
    assert pods["subset-a"]["spec"]["containers"][0]["image"] == "nginx:2.0"
    assert pods["subset-b"]["metadata"]["labels"]["zone"] == "a"
    assert pods["subset-c"]["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "2", "memory": "800Mi"}}
    assert pods["subset-c"]["spec"]["containers"][0]["image"] == "nginx:1.0"
    assert pods["subset-d"]["spec"]["containers"][0]["env"] == [{"name": "K8S_CONTAINER_NAME", "value": "main"}]
    annotations = [d.data["metadata"]["annotations"]["apps.kruise.io/subset-patch"] for d in out]
    assert annotations[1] == '{"metadata":{"labels":{"zone":"a"}}}'
    assert annotations[2] == ('{"spec":{"containers":[{"name":"container-a","resources":'
                              '{"limits":{"cpu":"2","memory":"800Mi"}}}]}}')


@pytest.mark.parametrize("key", ["statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate",
                                 "deploymentTemplate"],
                         ids=["TestStsSubsetProvisionWithToleration", "TestAstsSubsetProvisionWithToleration",
                              "TestCsSubsetProvisionWithToleration", "TestDeploymentSubsetProvisionWithToleration"])
def test_subset_provision_with_toleration(key: str) -> None:
    toleration = {"key": "taint-a", "operator": "Exists"}
    template = _template(key)
    template[key]["spec"]["template"]["spec"]["tolerations"] = [{"key": "own", "operator": "Exists"}]
    out, ctx = _render(_spec(1, [{"name": "subset-a", "tolerations": [toleration]}], template=template))
    assert not ctx.failed
    assert out[0].data["spec"]["template"]["spec"]["tolerations"] == [{"key": "own", "operator": "Exists"}, toleration]


@pytest.mark.parametrize("key", ["statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate",
                                 "deploymentTemplate"],
                         ids=["TestStsDupSubset", "TestAstsDupSubset", "TestCsDupSubset", "TestDeploymentDupSubset"])
def test_dup_subset(key: str) -> None:
    out, ctx = _render(_spec(1, [{"name": "subset-a"}, {"name": "subset-a"}], template=_template(key)))
    assert out == [] and _errors(ctx) == ["spec.topology.subsets[1].name"]


def test_template_type_switch() -> None:
    """TestTemplateTypeSwitch: the subsets are of the kind of the template the UD holds now."""
    for key, kind in (("statefulSetTemplate", ("apps/v1", "StatefulSet")),
                      ("advancedStatefulSetTemplate", ("apps.kruise.io/v1beta1", "StatefulSet"))):
        out, _ = _render(_spec(2, [{"name": "subset-a"}], template=_template(key)))
        assert (out[0].data["apiVersion"], out[0].data["kind"]) == kind


@pytest.mark.parametrize("key", ["advancedStatefulSetTemplate", "cloneSetTemplate", "deploymentTemplate",
                                 "statefulSetTemplate"])
def test_apply_subset_template(key: str) -> None:
    """adapter_test.go TestApplySubsetTemplate: metadata of the subset (replicas 2, partition 4)."""
    ud = {"metadata": {"name": "test"}, "spec": {
        "selector": {"matchLabels": {"selector-key": "selector-value"}},
        "template": {key: {"metadata": {"labels": {"custom-label-1": "custom-value-1"},
                                        "annotations": {"annotation-key": "annotation-value"}},
                           "spec": {"template": {"metadata": {"labels": {"selector-key": "selector-value"}},
                                                 "spec": POD["spec"]}}}}}}
    config = {"name": "subset-a", "patch": {"metadata": {"annotations": {"patched-key": "patched-value"}}}}
    out = subset.build(ud, key, subset.SubsetPlan("subset-a", config, 2, 4), "abcd")
    assert "namespace" not in out["metadata"]
    assert out["metadata"]["labels"] == {"custom-label-1": "custom-value-1", "selector-key": "selector-value",
                                         "apps.kruise.io/controller-revision-hash": "abcd",
                                         "apps.kruise.io/subset-name": "subset-a"}
    assert out["metadata"]["annotations"] == {
        "annotation-key": "annotation-value",
        "apps.kruise.io/subset-patch": '{"metadata":{"annotations":{"patched-key":"patched-value"}}}'}
    assert out["spec"]["template"]["metadata"]["annotations"] == {"patched-key": "patched-value"}
    assert out["spec"]["replicas"] == 2
