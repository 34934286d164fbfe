"""Advanced StatefulSet → StatefulSet, one row per field of spec/uniteddeployment.md §4.2."""
from __future__ import annotations

from typing import Any

import pytest

from tests.stages.helpers import errors, get, only, render, warnings, with_field

BASE: dict[str, Any] = {
    "apiVersion": "apps.kruise.io/v1beta1",
    "kind": "StatefulSet",
    "metadata": {"name": "db", "labels": {"app": "db"}},
    "spec": {
        "replicas": 3,
        "serviceName": "db",
        "podManagementPolicy": "Parallel",
        "selector": {"matchLabels": {"app": "db"}},
        "template": {
            "metadata": {"labels": {"app": "db"}},
            "spec": {"containers": [{"name": "db", "image": "postgres:16"}]},
        },
    },
}
ROLLING = "spec.updateStrategy.rollingUpdate"

# (case, field path, value, options, expected path, expected value) — mapped exactly.
MAPPED = [
    ("partition exact", f"{ROLLING}.partition", 2, {}, f"{ROLLING}.partition", 2),
    ("maxUnavailable 1 is native", f"{ROLLING}.maxUnavailable", 1, {}, f"{ROLLING}.maxUnavailable", 1),
    ("maxUnavailable kept on 1.35", f"{ROLLING}.maxUnavailable", "50%", {"kube_version": (1, 35)},
     f"{ROLLING}.maxUnavailable", "50%"),
    ("maxUnavailable kept with the gate", f"{ROLLING}.maxUnavailable", 2,
     {"feature_gates": {"MaxUnavailableStatefulSet": True}}, f"{ROLLING}.maxUnavailable", 2),
    # openkruise/kruise@v1.9.0:pkg/webhook/statefulset/validating/statefulset_validation.go validateMaxUnavailableField
    # has no 100 % cap; kubernetes/kubernetes pkg/apis/apps/validation validateRollingUpdateStatefulSet refuses
    # more (IsNotMoreThan100Percent). Both controllers floor it with a minimum of 1: "100%" is the same.
    ("maxUnavailable above 100% on 1.35", f"{ROLLING}.maxUnavailable", "150%", {"kube_version": (1, 35)},
     f"{ROLLING}.maxUnavailable", "100%"),
    ("maxUnavailable 100% kept", f"{ROLLING}.maxUnavailable", "100%", {"kube_version": (1, 35)},
     f"{ROLLING}.maxUnavailable", "100%"),
    # Kruise pkg/controller/statefulset/stateful_set_control.go: floor(40% of 3) = 1, at least 1; one pod at a time
    # is what a StatefulSet does without the field.
    ("maxUnavailable resolving to 1 before 1.35", f"{ROLLING}.maxUnavailable", "40%", {}, f"{ROLLING}.maxUnavailable", None),
    ("maxUnavailable resolving to 1 kept on 1.35", f"{ROLLING}.maxUnavailable", "40%", {"kube_version": (1, 35)},
     f"{ROLLING}.maxUnavailable", "40%"),
    ("ReCreate is native", f"{ROLLING}.podUpdatePolicy", "ReCreate", {}, f"{ROLLING}.podUpdatePolicy", None),
    ("minReadySeconds moves to spec", f"{ROLLING}.minReadySeconds", 10, {}, "spec.minReadySeconds", 10),
    ("OnDelete", "spec.updateStrategy.type", "OnDelete", {}, "spec.updateStrategy.type", "OnDelete"),
    ("reserved prefix is a start ordinal", "spec.reserveOrdinals", [0, "1-2"], {}, "spec.ordinals.start", 3),
    ("reserved prefix after the start", "spec", {**BASE["spec"], "ordinals": {"start": 5}, "reserveOrdinals": [1, 5, 6]},
     {"feature_gates": {"StatefulSetStartOrdinal": True}}, "spec.ordinals.start", 7),
    ("start ordinal kept with Kruise's gate", "spec.ordinals.start", 4, {"feature_gates": {"StatefulSetStartOrdinal": True}},
     "spec.ordinals.start", 4),
    ("retention policy kept", "spec.persistentVolumeClaimRetentionPolicy", {"whenDeleted": "Delete", "whenScaled": "Retain"},
     {}, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Delete"),
    ("claim update OnDelete is native", "spec.volumeClaimUpdateStrategy.type", "OnDelete", {},
     "spec.volumeClaimUpdateStrategy", None),
    ("v1alpha1 too", "apiVersion", "apps.kruise.io/v1alpha1", {}, "kind", "StatefulSet"),
    ("serviceName written for pre-1.33 schemas", "spec.serviceName", None, {}, "spec.serviceName", ""),
    ("serviceName left out from 1.33", "spec.serviceName", None, {"kube_version": (1, 33)}, "spec.serviceName", None),
]


@pytest.mark.parametrize("case,path,value,options,out_path,expected", MAPPED, ids=[row[0] for row in MAPPED])
def test_mapped(case: str, path: str, value: Any, options: dict[str, Any], out_path: str, expected: Any) -> None:
    result = render(with_field(BASE, path, value), **options)
    data = only(result)
    assert (data["apiVersion"], data["kind"]) == ("apps/v1", "StatefulSet")
    assert get(data, out_path) == expected
    assert not any(key in data["spec"] for key in ("reserveOrdinals", "lifecycle", "scaleStrategy"))


def _with(path: str, value: Any) -> dict[str, Any]:
    """BASE with `path` set; in-place policies come with the InPlaceUpdateReady gate Kruise's
    webhook requires of them (statefulset_validation.go validatePodUpdatePolicy)."""
    obj = with_field(BASE, path, value)
    if value in ("InPlaceIfPossible", "InPlaceOnly"):
        obj = with_field(obj, "spec.template.spec.readinessGates", [{"conditionType": "InPlaceUpdateReady"}])
    return obj


NOT_EXPRESSIBLE = [
    ("maxUnavailable before 1.35", f"{ROLLING}.maxUnavailable", "67%", {}, "(2 of 3 pods at once): Kubernetes 1.32 ignores it"),
    ("maxUnavailable over 100% before 1.35", f"{ROLLING}.maxUnavailable", "150%", {}, "Kubernetes 1.32 ignores it"),
    ("InPlaceOnly", f"{ROLLING}.podUpdatePolicy", "InPlaceOnly", {}, "cannot update pods in place"),
    ("paused", f"{ROLLING}.paused", True, {}, "cannot pause"),
    ("unorderedUpdate with partition", ROLLING, {"partition": 1, "unorderedUpdate": {}}, {}, "unorderedUpdate with partition"),
    ("reserved ordinals with gaps", "spec.reserveOrdinals", [1], {}, "leave gaps"),
    ("start ordinal before 1.27", "spec.reserveOrdinals", [0], {"kube_version": (1, 26)}, "has no start ordinal"),
    ("claim resize", "spec.volumeClaimUpdateStrategy.type", "OnPodRollingUpdate",
     {"feature_gates": {"StatefulSetAutoResizePVCGate": True}}, "does not resize"),
    ("claim deletion before 1.27", "spec.persistentVolumeClaimRetentionPolicy", {"whenScaled": "Delete"},
     {"kube_version": (1, 26)}, "does not delete"),
]


@pytest.mark.parametrize("case,path,value,options,fragment", NOT_EXPRESSIBLE, ids=[row[0] for row in NOT_EXPRESSIBLE])
def test_not_expressible(case: str, path: str, value: Any, options: dict[str, Any], fragment: str) -> None:
    obj = _with(path, value)
    strict = render(obj, **options)
    assert any(fragment in line and "not expressible" in line for line in errors(strict)), strict.problems
    lossy = render(obj, allow_lossy=True, **options)
    assert only(lossy)["kind"] == "StatefulSet"
    assert any(fragment in line and "--allow-lossy" in line for line in warnings(lossy))


WARNED = [
    ("InPlaceIfPossible", f"{ROLLING}.podUpdatePolicy", "InPlaceIfPossible", {}, "recreates pods instead"),
    ("inPlaceUpdateStrategy", f"{ROLLING}.inPlaceUpdateStrategy", {"gracePeriodSeconds": 5}, {}, "inPlaceUpdateStrategy"),
    ("unorderedUpdate alone", f"{ROLLING}.unorderedUpdate", {"priorityStrategy": {}}, {}, "unorderedUpdate orders"),
    ("scale rate limit", "spec.scaleStrategy.maxUnavailable", 2, {}, "rate-limits pod creation"),
    ("lifecycle", "spec.lifecycle", {"preDelete": {"labelsHandler": {"a": "b"}}}, {}, "lifecycle hooks"),
    ("start ordinal without Kruise's gate", "spec.ordinals.start", 4, {}, "StatefulSetStartOrdinal"),
    ("claim resize without Kruise's gate", "spec.volumeClaimUpdateStrategy.type", "OnPodRollingUpdate", {},
     "StatefulSetAutoResizePVCGate"),
    ("retention without Kruise's gate", "spec.persistentVolumeClaimRetentionPolicy", {"whenDeleted": "Delete"},
     {"feature_gates": {"StatefulSetAutoDeletePVC": False}}, "StatefulSetAutoDeletePVC"),
]


@pytest.mark.parametrize("case,path,value,options,fragment", WARNED, ids=[row[0] for row in WARNED])
def test_dropped_with_a_warning(case: str, path: str, value: Any, options: dict[str, Any], fragment: str) -> None:
    result = render(_with(path, value), **options)
    data = only(result)
    assert any(fragment in line for line in warnings(result)), warnings(result)
    assert get(data, path) is None


BAD = [
    ("OnDelete with rollingUpdate", "spec.updateStrategy", {"type": "OnDelete", "rollingUpdate": {"partition": 1}},
     "only allowed for updateStrategy RollingUpdate"),
    ("negative partition", f"{ROLLING}.partition", -1, "must be at least 0"),
    ("zero maxUnavailable", f"{ROLLING}.maxUnavailable", 0, "positive integer or percentage"),
    ("bad podUpdatePolicy", f"{ROLLING}.podUpdatePolicy", "InPlace", 'must be one of "ReCreate"'),
    ("bad reserved range", "spec.reserveOrdinals", ["5-3"], "range like"),
    # openkruise/kruise@v1.9.0:pkg/webhook/statefulset/validating/statefulset_validation.go
    # validateRollingUpdateStatefulSetStrategyTypeUnorderedUpdate → apis/apps/pub/update_priority.go FieldsValidation
    ("both priorities", f"{ROLLING}.unorderedUpdate.priorityStrategy",
     {"weightPriority": [{"weight": 50, "matchSelector": {"matchLabels": {"a": "b"}}}], "orderPriority": [{"orderedKey": "x"}]},
     "unorderedUpdate.priorityStrategy: only one of weightPriority and orderPriority can be used"),
    ("empty order key", f"{ROLLING}.unorderedUpdate.priorityStrategy", {"orderPriority": [{"orderedKey": ""}]},
     "orderPriority[0].orderedKey: order key can not be empty"),
    # statefulset_validation.go validateScaleStrategy → validateMaxUnavailableField
    ("scale maxUnavailable without Parallel", "spec", {**BASE["spec"], "podManagementPolicy": "OrderedReady",
                                                       "scaleStrategy": {"maxUnavailable": 2}},
     "spec.scaleStrategy.maxUnavailable: can only work with podManagementPolicy Parallel"),
    ("scale maxUnavailable default policy", "spec", {k: v for k, v in {**BASE["spec"], "scaleStrategy": {
        "maxUnavailable": "50%"}}.items() if k != "podManagementPolicy"}, "can only work with podManagementPolicy Parallel"),
    ("scale maxUnavailable 0%", "spec.scaleStrategy.maxUnavailable", "0%", "positive integer or percentage"),
]


@pytest.mark.parametrize("case,path,value,fragment", BAD, ids=[row[0] for row in BAD])
def test_invalid_input_is_an_error(case: str, path: str, value: Any, fragment: str) -> None:
    for lossy in (False, True):
        result = render(with_field(BASE, path, value), allow_lossy=lossy)
        assert any(fragment in line for line in errors(result)), errors(result)
        assert result.documents == []


def test_scale_max_unavailable_one_needs_no_parallel() -> None:
    obj = with_field(with_field(BASE, "spec.podManagementPolicy", "OrderedReady"), "spec.scaleStrategy.maxUnavailable", 1)
    assert only(render(obj))["kind"] == "StatefulSet"


def test_v1alpha1_has_no_reserved_ordinals() -> None:
    obj = with_field(with_field(BASE, "apiVersion", "apps.kruise.io/v1alpha1"), "spec.reserveOrdinals", [1])
    # An unknown field is an error (input validation, docs/validation.md), as every typo is.
    assert any('spec.reserveOrdinals: unknown field "reserveOrdinals"' in line for line in errors(render(obj)))


@pytest.mark.parametrize("rolling", [{"maxUnavailable": 2}, {"unorderedUpdate": {}}])
def test_parallel_only_fields_need_parallel(rolling: dict[str, Any]) -> None:
    obj = with_field(with_field(BASE, "spec.podManagementPolicy", "OrderedReady"), ROLLING, rolling)
    assert any("only work with podManagementPolicy Parallel" in line for line in errors(render(obj, kube_version=(1, 35))))


def test_in_place_readiness_gates_are_removed() -> None:
    obj = with_field(BASE, f"{ROLLING}.podUpdatePolicy", "InPlaceIfPossible")
    obj = with_field(obj, "spec.template.spec.readinessGates",
                     [{"conditionType": "InPlaceUpdateReady"}, {"conditionType": "KruisePodReady"}])
    data = only(render(obj))
    assert "readinessGates" not in data["spec"]["template"]["spec"]


def test_lossy_paused_becomes_on_delete() -> None:
    data = only(render(with_field(BASE, f"{ROLLING}.paused", True), allow_lossy=True))
    assert data["spec"]["updateStrategy"] == {"type": "OnDelete"}


def test_reserved_ordinals_keep_their_place() -> None:
    obj = {**BASE, "spec": {"replicas": 2, "reserveOrdinals": [0], **{k: v for k, v in BASE["spec"].items() if k != "replicas"}}}
    assert list(only(render(obj))["spec"])[:2] == ["replicas", "ordinals"]


def test_nothing_is_added_to_a_plain_object() -> None:
    data = only(render(BASE))
    assert data["spec"] == BASE["spec"] and data["metadata"] == BASE["metadata"]


def test_rendering_twice_changes_nothing() -> None:
    once = only(render(with_field(BASE, f"{ROLLING}.partition", 1)))
    assert only(render(once)) == once


@pytest.mark.parametrize("reserve,start", [
    (["0-2000000000"], 2000000001),   # one span, never two billion ints (was a MemoryError)
    ([2, "0-1", "1-2"], 3),           # overlapping and adjacent spans merge
])
def test_reserved_ordinal_ranges_are_spans(reserve: list[Any], start: int) -> None:
    obj = with_field(BASE, "spec.reserveOrdinals", reserve)
    assert only(render(obj))["spec"]["ordinals"] == {"start": start}


@pytest.mark.parametrize("bad", ["++1-2", "1-2-3", "٣-5", "1-" + "9" * 19, "0-" + "9" * 5000])
def test_reserved_ordinal_ranges_strconv_refuses_are_refused(bad: str) -> None:
    # The schema's pattern, then strconv.Atoi's int64 range (no int() of 5,000 digits).
    found = errors(render(with_field(BASE, "spec.reserveOrdinals", [bad])))
    assert any("range such as" in line or "range like" in line for line in found), found


def test_large_gapped_reservations_are_shown_as_ranges() -> None:
    result = render(with_field(BASE, "spec.reserveOrdinals", ["1-1000000", 1000002, 2000000]), allow_lossy=True)
    # Pods 0, 1000001, 1000003: 2000000 lies beyond them and does not count.
    assert any("reserveOrdinals [1-1000000, 1000002] leave gaps" in line for line in warnings(result)), warnings(result)


# openkruise/kruise@v1.9.0:pkg/controller/statefulset/stateful_set_utils.go getStatefulSetReplicasRange: pods take
# the first `replicas` unreserved ordinals from the start; reserved ordinals at or past the last pod do nothing.
@pytest.mark.parametrize("reserve, note", [
    ([10], "reserveOrdinals [10] are none of the ordinals of the 3 pods (0-2): no effect, dropped"),
    (["3-9"], "reserveOrdinals [3, 4, 5, 6, 7, 8, 9] are none of the ordinals of the 3 pods (0-2): no effect, dropped"),
    ([3], "no effect, dropped"),
])
def test_reserved_ordinals_beyond_every_pod_have_no_effect(reserve: list[Any], note: str) -> None:
    result = render(with_field(BASE, "spec.reserveOrdinals", reserve))
    assert errors(result) == [] and "ordinals" not in only(result)["spec"]
    assert note in (result.documents[0].note or "")


@pytest.mark.parametrize("reserve, start", [([0, 4], 1), ([0, 1, 5], 2), ([0, "2-3"], None)])
def test_only_reserved_ordinals_among_the_pods_count(reserve: list[Any], start: int | None) -> None:
    result = render(with_field(BASE, "spec.reserveOrdinals", reserve))
    if start is None:  # pods 1, 4, 5: a gap
        assert any("reserveOrdinals [0, 2, 3] leave gaps" in line for line in errors(result)), errors(result)
    else:
        assert only(result)["spec"]["ordinals"] == {"start": start}
