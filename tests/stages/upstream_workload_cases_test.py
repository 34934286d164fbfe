"""Kruise v1.9.0's own tests of the CloneSet, Advanced StatefulSet and Advanced DaemonSet rules the
native mappings reproduce, ported case by case (own data, same expectations).

Sources (openkruise/kruise@v1.9.0): pkg/util/tools_test.go (percent rounding),
pkg/webhook/cloneset/validating/validation_test.go, pkg/webhook/statefulset/validating/
statefulset_validation_test.go, pkg/webhook/daemonset/validating/daemonset_validation_test.go.
Each row names the upstream test and case. Webhook cases run through the whole render: what
Kruise admits renders (non-zero partitions and in-place-only updates need --allow-lossy, as they
have no native form), what it rejects is an error. Cases that need a live cluster (podsToDelete
naming existing pods, updates of an existing object) are not ported.
"""
from __future__ import annotations

from typing import Any

import pytest

from kruise_render.k8s import intstr
from tests.stages.helpers import errors, get, only, render, with_field

LABELS = {"a": "b"}
POD = {"metadata": {"labels": LABELS}, "spec": {"containers": [{"name": "abc", "image": "image"}]}}
CLONESET: dict[str, Any] = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet", "metadata": {"name": "cs"},
                            "spec": {"replicas": 1, "selector": {"matchLabels": LABELS}, "template": POD}}
STATEFULSET: dict[str, Any] = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "StatefulSet", "metadata": {"name": "abc"},
                               "spec": {"podManagementPolicy": "OrderedReady", "selector": {"matchLabels": LABELS},
                                        "serviceName": "abc", "template": POD,
                                        "updateStrategy": {"type": "RollingUpdate"}}}
DAEMONSET: dict[str, Any] = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "DaemonSet", "metadata": {"name": "ds"},
                             "spec": {"selector": {"matchLabels": LABELS}, "template": POD}}


def _with(base: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """`base` with dotted fields set (`__` stands for the dots of a path)."""
    obj = base
    for path, value in fields.items():
        obj = with_field(obj, path.replace("__", "."), value)
    return obj


# --- TestCalculatePartitionReplicas (CloneSet partition: pods kept on the old revision) ---------
PARTITIONS = [
    ("replicas=0, partition=99%", 0, "99%", 0),
    ("replicas=10, partition=nil", 10, None, 0),
    ("replicas=9, partition=99%", 9, "99%", 8),
    ("replicas=10, partition=90%", 10, "90%", 9),
    ("replicas=10, partition=1%", 10, "1%", 1),
    ("replicas=99, partition=99%", 99, "99%", 98),
    ("replicas=99, partition=100%", 99, "100%", 99),
    ("replicas=99, partition=0%", 99, "0%", 0),
    ("replicas=nil, partition=100%", None, "100%", 1),
    ("replicas=nil, partition=nil", None, None, 0),
    ("replicas=nil, partition=1%", None, "1%", 1),
    ("replicas=10, partition=5", 10, 5, 5),
    ("replicas=10, partition=1", 10, 1, 1),
    ("replicas=10, partition=0", 10, 0, 0),
    ("replicas=10, partition=10", 10, 10, 10),
    ("replicas=9, partition=0.01%", 9, "0.01%", 1),
    ("replicas=999, partition=99.99%", 999, "99.99%", 998),
]


@pytest.mark.parametrize("case,replicas,partition,expected", PARTITIONS, ids=[c[0] for c in PARTITIONS])
def test_calculate_partition_replicas(case: str, replicas: int | None, partition: Any, expected: int) -> None:
    assert intstr.cloneset_partition(partition, replicas) == expected


def test_calculate_partition_replicas_illegal() -> None:
    """TestCalculatePartitionReplicas "replicas=9, partition is illegal": "99" without %."""
    with pytest.raises(intstr.IntStrError):
        intstr.cloneset_partition("99", 9)
    assert any("spec.updateStrategy.partition" in line for line in errors(render(_with(
        CLONESET, spec__replicas=9, spec__updateStrategy={"partition": "99"}))))


@pytest.mark.parametrize("replicas,partition,kept", [(p[1], p[2], p[3]) for p in PARTITIONS if p[1] is not None],
                         ids=[p[0] for p in PARTITIONS if p[1] is not None])
def test_calculate_partition_replicas_in_the_mapping(replicas: int, partition: Any, kept: int) -> None:
    """The same cases through the CloneSet mapping: only a partition keeping no pod is native."""
    result = render(_with(CLONESET, spec__replicas=replicas, spec__updateStrategy={"partition": partition}))
    lossy = [line for line in errors(result) if "spec.updateStrategy.partition" in line and "not expressible" in line]
    assert (not lossy) is (kept == 0), errors(result)
    if kept:
        assert f"keeps {kept} of {replicas} pods" in lossy[0]


# --- TestGetScaledValueFromIntOrPercent (Kruise's fractional-percent parser) -------------------
SCALED = [
    (123, 0, False, 123),
    ("90%", 100, True, 90),
    ("90%", 95, True, 86),
    ("90%", 95, False, 85),
    ("99.99%", 999, False, 998),
    ("99.99%", 999, True, 999),
    ("0.01%", 95, False, 0),
    ("0.01%", 95, True, 1),
]


@pytest.mark.parametrize("value,total,round_up,expected", SCALED)
def test_get_scaled_value_from_int_or_percent(value: Any, total: int, round_up: bool, expected: int) -> None:
    assert intstr.kruise_scaled(value, total, round_up) == expected


@pytest.mark.parametrize("value", ["%", "90#", "#%", "90"])
def test_get_scaled_value_from_int_or_percent_errors(value: str) -> None:
    with pytest.raises(intstr.IntStrError):
        intstr.kruise_scaled(value, 10, True)


# --- CloneSet TestValidate: successCases (create-time ones; upstream index) -------------------
# (case, spec fields, expected Deployment strategy.rollingUpdate)
CLONESET_SUCCESS = [
    ("success case 0", {"updateStrategy": {"type": "InPlaceIfPossible", "partition": 2, "maxUnavailable": 1}},
     {"maxUnavailable": 1, "maxSurge": 0}),
    ("success case 1", {"updateStrategy": {"type": "InPlaceIfPossible", "partition": 2, "maxUnavailable": 1,
                                           "maxSurge": 1}}, {"maxUnavailable": 1, "maxSurge": 1}),
    ("success case 2", {"updateStrategy": {"type": "InPlaceIfPossible", "partition": 2, "maxUnavailable": 0,
                                           "maxSurge": 1}}, {"maxUnavailable": 0, "maxSurge": 1}),
    # 120% of 1 rounds up to 2 while maxSurge is 0; a Deployment refuses percents over 100%.
    ("success case 3", {"updateStrategy": {"type": "InPlaceIfPossible", "partition": 2, "maxUnavailable": "120%"}},
     {"maxUnavailable": 2, "maxSurge": 0}),
    ("success case 4", {"updateStrategy": {"type": "InPlaceIfPossible", "partition": 2, "maxUnavailable": "120%",
                                           "priorityStrategy": {"weightPriority": [
                                               {"weight": 20, "matchSelector": {"matchLabels": {"key": "foo"}}}]}}},
     {"maxUnavailable": 2, "maxSurge": 0}),
    ("success case 5", {"revisionHistoryLimit": 1, "updateStrategy": {"type": "InPlaceOnly", "partition": 2,
                                                                      "maxUnavailable": 1}},
     {"maxUnavailable": 1, "maxSurge": 0}),
    # "invalid-update-type" upstream bypasses the mutating webhook, which defaults "" to ReCreate.
    ("invalid-update-type (defaulted)", {"updateStrategy": {"type": "", "maxUnavailable": 1}},
     {"maxUnavailable": 1, "maxSurge": 0}),
]


@pytest.mark.parametrize("case,fields,rolling", CLONESET_SUCCESS, ids=[c[0] for c in CLONESET_SUCCESS])
def test_cloneset_validate_success_cases(case: str, fields: dict, rolling: dict) -> None:
    obj = _with(CLONESET, **{f"spec__{key}": value for key, value in fields.items()})
    data = only(render(obj, allow_lossy=True))
    assert data["kind"] == "Deployment"
    assert data["spec"]["strategy"] == {"type": "RollingUpdate", "rollingUpdate": rolling}


# --- CloneSet TestValidate: errorCases (create-time ones; upstream key) ------------------------
CLONESET_ERRORS = [
    ("invalid-replicas", {"replicas": -1}, "spec.replicas"),
    # Upstream's invalid template also fails the selector; the label-key syntax itself is not checked here.
    ("invalid-template", {"template": {"metadata": {"labels": {"NoUppercaseOrSpecialCharsLike=Equals": "b"}},
                                       "spec": POD["spec"]}}, "spec.template.metadata.labels"),
    ("invalid-selector", {"selector": {"matchLabels": {"a": "b", "c": "d"}}}, "spec.template.metadata.labels"),
    ("invalid-partition", {"updateStrategy": {"partition": -1, "maxUnavailable": 1}}, "spec.updateStrategy.partition"),
    ("invalid-maxUnavailable", {"updateStrategy": {"maxUnavailable": 0}}, "spec.updateStrategy.maxUnavailable"),
    ("invalid-maxSurge", {"updateStrategy": {"maxUnavailable": 0, "maxSurge": 0}}, "spec.updateStrategy.maxUnavailable"),
    ("invalid-podsToDelete-1", {"scaleStrategy": {"podsToDelete": ["p0", "p0"]}}, "spec.scaleStrategy.podsToDelete"),
    ("invalid-cloneset-maxSurge-create", {"updateStrategy": {"maxSurge": "5", "maxUnavailable": 2}},
     "spec.updateStrategy.maxSurge"),
    ("invalid-cloneset-maxUnavailable-create", {"updateStrategy": {"maxSurge": 2, "maxUnavailable": "5"}},
     "spec.updateStrategy.maxUnavailable"),
    ("invalid-negative-progressDeadlineSeconds", {"progressDeadlineSeconds": -1}, "spec.progressDeadlineSeconds"),
    ("invalid-progressDeadlineSeconds-equals-to-minReadySeconds", {"progressDeadlineSeconds": 5, "minReadySeconds": 5},
     "spec.progressDeadlineSeconds"),
    ("invalid-progressDeadlineSeconds-less-than-minReadySeconds", {"progressDeadlineSeconds": 4, "minReadySeconds": 5},
     "spec.progressDeadlineSeconds"),
    ("restartPolicy (validation.go)", {"template": {"metadata": POD["metadata"], "spec": {
        **POD["spec"], "restartPolicy": "OnFailure"}}}, "spec.template.spec.restartPolicy"),
    ("activeDeadlineSeconds (validation.go)", {"template": {"metadata": POD["metadata"], "spec": {
        **POD["spec"], "activeDeadlineSeconds": 60}}}, "spec.template.spec.activeDeadlineSeconds"),
]


@pytest.mark.parametrize("case,fields,path", CLONESET_ERRORS, ids=[c[0] for c in CLONESET_ERRORS])
def test_cloneset_validate_error_cases(case: str, fields: dict, path: str) -> None:
    result = render(_with(CLONESET, **{f"spec__{key}": value for key, value in fields.items()}), allow_lossy=True)
    assert not result.ok
    assert any(f": {path}:" in line for line in errors(result)), errors(result)


def test_cloneset_progress_deadline_max_int32_needs_no_margin() -> None:
    """success case 7: progressDeadlineSeconds MaxInt32 ("no deadline") may equal minReadySeconds
    for Kruise's webhook (the native Deployment validation has no such exception: see docs)."""
    deadline = 2**31 - 1
    result = render(_with(CLONESET, spec__progressDeadlineSeconds=deadline, spec__minReadySeconds=5))
    assert only(result)["spec"]["progressDeadlineSeconds"] == deadline


# --- Advanced StatefulSet TestValidateStatefulSet (create-time cases; upstream key) -------------
STS_SUCCESS = [
    ("success OrderedReady RollingUpdate", {}),
    ("success Parallel RollingUpdate", {"podManagementPolicy": "Parallel"}),
    ("success OnDelete", {"updateStrategy": {"type": "OnDelete"}}),
]


@pytest.mark.parametrize("case,fields", STS_SUCCESS, ids=[c[0] for c in STS_SUCCESS])
def test_statefulset_validate_success_cases(case: str, fields: dict) -> None:
    data = only(render(_with(STATEFULSET, **{f"spec__{key}": value for key, value in fields.items()})))
    assert (data["apiVersion"], data["kind"]) == ("apps/v1", "StatefulSet")


STS_ERRORS = [
    ("empty selector", {"selector": {}}, "spec.selector"),
    ("selector_doesnt_match", {"selector": {"matchLabels": {"foo": "bar"}}}, "spec.template.metadata.labels"),
    ("negative_replicas", {"replicas": -1}, "spec.replicas"),
    ("invalid_label", {"template": {"metadata": {"labels": {"NoUppercaseOrSpecialCharsLike=Equals": "b"}},
                                    "spec": POD["spec"]}}, "spec.template.metadata.labels"),
    ("invalid restart policy 1", {"template": {"metadata": POD["metadata"], "spec": {
        **POD["spec"], "restartPolicy": "OnFailure"}}}, "spec.template.spec.restartPolicy"),
    ("invalid restart policy 2", {"template": {"metadata": POD["metadata"], "spec": {
        **POD["spec"], "restartPolicy": "Never"}}}, "spec.template.spec.restartPolicy"),
    ("invalid update strategy", {"updateStrategy": {"type": "foo"}}, "spec.updateStrategy.type"),
    ("invalid rolling update", {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}},
     "spec.updateStrategy.rollingUpdate"),
    ("invalid rolling update 1", {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"maxUnavailable": "120%"}}},
     "spec.updateStrategy.rollingUpdate"),
    ("invalid rolling update 2", {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {
        "podUpdatePolicy": "Unknown"}}}, "spec.updateStrategy.rollingUpdate.podUpdatePolicy"),
    ("invalid rolling update 3 (InPlaceIfPossible without its readiness gate)", {"updateStrategy": {
        "type": "RollingUpdate", "rollingUpdate": {"podUpdatePolicy": "InPlaceIfPossible"}}},
     "spec.template.spec.readinessGates"),
    ("negative partition", {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
     "spec.updateStrategy.rollingUpdate.partition"),
    ("negative minReadySeconds", {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"minReadySeconds": -1}}},
     "spec.updateStrategy.rollingUpdate.minReadySeconds"),
    ("too large minReadySeconds", {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"minReadySeconds": 301}}},
     "spec.updateStrategy.rollingUpdate.minReadySeconds"),
    ("invalid pod management policy", {"podManagementPolicy": "foo"}, "spec.podManagementPolicy"),
    ("set active deadline seconds", {"template": {"metadata": POD["metadata"], "spec": {
        **POD["spec"], "activeDeadlineSeconds": 60}}}, "spec.template.spec.activeDeadlineSeconds"),
    ("maxUnavailable 0% (validateMaxUnavailableField)", {"podManagementPolicy": "Parallel", "updateStrategy": {
        "type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "0%"}}},
     "spec.updateStrategy.rollingUpdate.maxUnavailable"),
    ("maxUnavailable other than 1 without Parallel (validateMaxUnavailableField)", {"updateStrategy": {
        "type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}}}, "spec.updateStrategy.rollingUpdate.maxUnavailable"),
]


@pytest.mark.parametrize("case,fields,path", STS_ERRORS, ids=[c[0] for c in STS_ERRORS])
def test_statefulset_validate_error_cases(case: str, fields: dict, path: str) -> None:
    result = render(_with(STATEFULSET, **{f"spec__{key}": value for key, value in fields.items()}), allow_lossy=True)
    assert not result.ok
    assert any(f": {path}" in line for line in errors(result)), errors(result)


def test_statefulset_in_place_with_its_readiness_gate_renders() -> None:
    """validatePodUpdatePolicy admits InPlaceIfPossible with the gate; natively the gate goes."""
    obj = _with(STATEFULSET, spec__updateStrategy={"type": "RollingUpdate", "rollingUpdate": {
        "podUpdatePolicy": "InPlaceIfPossible"}}, spec__template__spec__readinessGates=[
        {"conditionType": "InPlaceUpdateReady"}])
    assert get(only(render(obj)), "spec.template.spec.readinessGates") is None


RESERVE_ORDINALS = [
    ("EmptyReserveOrdinals", [], True),
    ("ValidStringRange", ["1-3"], True),
    ("InvalidStringRange", ["3-1"], False),
    ("ValidIntRange", [0, 1], True),
    ("NegativeIntRange", [-1], False),
]


@pytest.mark.parametrize("case,ordinals,valid", RESERVE_ORDINALS, ids=[c[0] for c in RESERVE_ORDINALS])
def test_validate_reserve_ordinals(case: str, ordinals: list, valid: bool) -> None:
    result = render(_with(STATEFULSET, spec__reserveOrdinals=ordinals), allow_lossy=True)
    assert result.ok is valid, errors(result)


# --- Advanced DaemonSet TestValidateRollingUpdateDaemonSet / TestValidateDaemonSetUpdateStrategy ---
DS_ROLLING = [
    ("Valid maxUnavailable", {"maxUnavailable": 1}, {"maxUnavailable": 1, "maxSurge": 0}),
    ("Valid maxSurge", {"maxSurge": 1}, {"maxUnavailable": 0, "maxSurge": 1}),
    ("Both maxUnavailable and maxSurge", {"maxUnavailable": 1, "maxSurge": 1}, None),
    ("Both zero", {"maxUnavailable": 0, "maxSurge": 0}, None),
    ("Standard rolling update type", {"rollingUpdateType": "Standard", "maxUnavailable": 1},
     {"maxUnavailable": 1, "maxSurge": 0}),
    ("InplaceRollingUpdate with maxSurge", {"rollingUpdateType": "InPlaceIfPossible", "maxSurge": 1}, None),
    ("InplaceRollingUpdate with maxUnavailable", {"rollingUpdateType": "InPlaceIfPossible", "maxUnavailable": 1},
     {"maxUnavailable": 1, "maxSurge": 0}),
    # After the mutating webhook: Surging defaults maxSurge to 1, so a non-zero maxUnavailable is refused.
    ("DeprecatedSurgingRollingUpdate with maxUnavailable", {"rollingUpdateType": "Surging", "maxUnavailable": 1}, None),
    ("DeprecatedSurgingRollingUpdate with maxSurge", {"rollingUpdateType": "Surging", "maxSurge": 1},
     {"maxUnavailable": 0, "maxSurge": 1}),
    ("Percent value", {"maxUnavailable": "50%"}, {"maxUnavailable": "50%", "maxSurge": 0}),
    ("Invalid percent value", {"maxUnavailable": "150%"}, None),
    ("With partition", {"maxUnavailable": 1, "partition": 5}, {"maxUnavailable": 1, "maxSurge": 0}),
]


@pytest.mark.parametrize("case,rolling,expected", DS_ROLLING, ids=[c[0] for c in DS_ROLLING])
def test_validate_rolling_update_daemonset(case: str, rolling: dict, expected: dict | None) -> None:
    result = render(_with(DAEMONSET, spec__updateStrategy={"type": "RollingUpdate", "rollingUpdate": rolling}),
                    allow_lossy=True)
    if expected is None:
        assert not result.ok and any("spec.updateStrategy.rollingUpdate" in line for line in errors(result))
    else:
        assert only(result)["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": expected}


@pytest.mark.parametrize("case,strategy,valid", [
    ("OnDelete strategy", {"type": "OnDelete"}, True),
    ("RollingUpdate with maxUnavailable", {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}, True),
    ("RollingUpdate with maxSurge", {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}, True),
    ("Invalid strategy type", {"type": "InvalidType"}, False),
], ids=lambda v: v if isinstance(v, str) else None)
def test_validate_daemonset_update_strategy(case: str, strategy: dict, valid: bool) -> None:
    assert render(_with(DAEMONSET, spec__updateStrategy=strategy)).ok is valid


@pytest.mark.parametrize("case,fields", [
    ("selector does not match", {"selector": {"matchLabels": {"foo": "bar"}}}),
    ("restartPolicy", {"template": {"metadata": POD["metadata"], "spec": {**POD["spec"], "restartPolicy": "Never"}}}),
    ("activeDeadlineSeconds", {"template": {"metadata": POD["metadata"], "spec": {
        **POD["spec"], "activeDeadlineSeconds": 5}}}),
], ids=lambda v: v if isinstance(v, str) else None)
def test_validate_daemonset_spec(case: str, fields: dict) -> None:
    """TestValidateDaemonSet / daemonset_validation.go validateDaemonSetSpec."""
    result = render(_with(DAEMONSET, **{f"spec__{key}": value for key, value in fields.items()}))
    assert not result.ok
