"""Advanced DaemonSet → DaemonSet, one row per field of spec/uniteddeployment.md §4.3."""
from __future__ import annotations

from typing import Any

import pytest

from tests.stages.helpers import errors, get, only, render, warnings, with_field

BASE: dict[str, Any] = {
    "apiVersion": "apps.kruise.io/v1beta1",
    "kind": "DaemonSet",
    "metadata": {"name": "agent", "namespace": "infra"},
    "spec": {
        "selector": {"matchLabels": {"app": "agent"}},
        "template": {
            "metadata": {"labels": {"app": "agent"}},
            "spec": {"containers": [{"name": "agent", "image": "agent:1"}]},
        },
    },
}
V1ALPHA1 = with_field(BASE, "apiVersion", "apps.kruise.io/v1alpha1")
ROLLING = "spec.updateStrategy.rollingUpdate"


def rolling(max_unavailable: Any, max_surge: Any) -> dict[str, Any]:
    return {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": max_unavailable, "maxSurge": max_surge}}


# (case, base, field path, value, expected spec.updateStrategy)
MAPPED = [
    ("defaults 1/0", BASE, "spec.updateStrategy", None, rolling(1, 0)),
    ("Standard", BASE, f"{ROLLING}.rollingUpdateType", "Standard", rolling(1, 0)),
    ("Surging alias defaults surge 1", V1ALPHA1, f"{ROLLING}.rollingUpdateType", "Surging", rolling(0, 1)),
    ("Surging keeps a given surge", V1ALPHA1, ROLLING, {"rollingUpdateType": "Surging", "maxSurge": "20%"},
     rolling(0, "20%")),
    ("maxSurge alone means maxUnavailable 0", BASE, ROLLING, {"maxSurge": 2}, rolling(0, 2)),
    ("maxUnavailable alone means maxSurge 0", BASE, ROLLING, {"maxUnavailable": "10%"}, rolling("10%", 0)),
    ("partition 0", BASE, ROLLING, {"partition": 0, "maxUnavailable": 2}, rolling(2, 0)),
    ("partition 0%", BASE, ROLLING, {"partition": "0%"}, rolling(1, 0)),
    ("empty node selector", BASE, ROLLING, {"selector": {}}, rolling(1, 0)),
    ("OnDelete", BASE, "spec.updateStrategy", {"type": "OnDelete", "rollingUpdate": {"partition": 3}}, {"type": "OnDelete"}),
    ("paused is OnDelete", BASE, f"{ROLLING}.paused", True, {"type": "OnDelete"}),
    ("not paused", BASE, f"{ROLLING}.paused", False, rolling(1, 0)),
]


@pytest.mark.parametrize("case,base,path,value,expected", MAPPED, ids=[row[0] for row in MAPPED])
def test_update_strategy(case: str, base: dict[str, Any], path: str, value: Any, expected: dict[str, Any]) -> None:
    data = only(render(with_field(base, path, value)))
    assert (data["apiVersion"], data["kind"]) == ("apps/v1", "DaemonSet")
    assert data["spec"]["updateStrategy"] == expected


NOT_EXPRESSIBLE = [
    ("partition", f"{ROLLING}.partition", 2, {}, "partition 2 keeps 2 nodes"),
    ("partition percent", f"{ROLLING}.partition", "10%", {}, 'partition "10%" keeps 10% of the nodes'),
    ("node selector", f"{ROLLING}.selector", {"matchLabels": {"canary": "true"}}, {}, "rolling-update node selector"),
    ("maxSurge before 1.22", ROLLING, {"maxSurge": 1}, {"kube_version": (1, 21)}, "have no maxSurge"),
]


@pytest.mark.parametrize("case,path,value,options,fragment", NOT_EXPRESSIBLE, ids=[row[0] for row in NOT_EXPRESSIBLE])
def test_not_expressible(case: str, path: str, value: Any, options: dict[str, Any], fragment: str) -> None:
    obj = with_field(BASE, path, value)
    assert any(fragment in line and "not expressible" in line for line in errors(render(obj, **options)))
    lossy = render(obj, allow_lossy=True, **options)
    assert only(lossy)["spec"]["updateStrategy"]["rollingUpdate"] in ({"maxUnavailable": 1, "maxSurge": 0},)
    assert any(fragment in line for line in warnings(lossy))


WARNED = [
    ("InPlaceIfPossible", f"{ROLLING}.rollingUpdateType", "InPlaceIfPossible", "recreates pods instead"),
    ("paused", f"{ROLLING}.paused", True, "paused rendered as updateStrategy OnDelete"),
    ("burstReplicas", "spec.burstReplicas", 20, "burstReplicas 20"),
    ("lifecycle", "spec.lifecycle", {"preDelete": {"labelsHandler": {"hold": "true"}}}, "lifecycle hooks (preDelete)"),
    ("partitionedScaling", "spec.scaleStrategy.partitionedScaling", True, "partitionedScaling"),
]


@pytest.mark.parametrize("case,path,value,fragment", WARNED, ids=[row[0] for row in WARNED])
def test_dropped_with_a_warning(case: str, path: str, value: Any, fragment: str) -> None:
    result = render(with_field(BASE, path, value))
    data = only(result)
    assert any(fragment in line for line in warnings(result)), warnings(result)
    assert not any(key in data["spec"] for key in ("burstReplicas", "lifecycle", "scaleStrategy"))


@pytest.mark.parametrize("path,value", [("spec.minReadySeconds", 5), ("spec.revisionHistoryLimit", 4)])
def test_same_fields_are_kept(path: str, value: int) -> None:
    assert get(only(render(with_field(BASE, path, value))), path) == value


def test_default_burst_is_the_native_one() -> None:
    result = render(with_field(BASE, "spec.burstReplicas", 250))
    assert "burstReplicas" not in only(result)["spec"] and not warnings(result)


BAD = [
    ("both limits", ROLLING, {"maxUnavailable": 1, "maxSurge": 1}, "may not be set when maxUnavailable is non-zero"),
    ("no limit", ROLLING, {"maxUnavailable": 0, "maxSurge": "0%"}, "cannot be 0 when maxSurge is 0"),
    ("Surging with unavailable", ROLLING, {"rollingUpdateType": "Surging", "maxUnavailable": 1},
     'must be one of "Standard", "InPlaceIfPossible"; got string "Surging"'),
    ("over 100%", ROLLING, {"maxUnavailable": "120%"}, "more than 100%"),
    ("not a percent", ROLLING, {"maxUnavailable": "5"}, 'integer or a percentage such as "25%", got string "5"'),
    ("bad type", "spec.updateStrategy.type", "Rolling", 'must be one of "RollingUpdate", "OnDelete"'),
]


@pytest.mark.parametrize("case,path,value,fragment", BAD, ids=[row[0] for row in BAD])
def test_invalid_input_is_an_error(case: str, path: str, value: Any, fragment: str) -> None:
    assert any(fragment in line for line in errors(render(with_field(BASE, path, value), allow_lossy=True)))


def test_v1alpha1_surging_with_unavailable_is_rejected() -> None:
    obj = with_field(V1ALPHA1, ROLLING, {"rollingUpdateType": "Surging", "maxUnavailable": 1})
    assert any("may not be set" in line for line in errors(render(obj)))


def test_in_place_readiness_gate_is_removed() -> None:
    obj = with_field(BASE, "spec.template.spec.readinessGates", [{"conditionType": "InPlaceUpdateReady"}])
    assert "readinessGates" not in only(render(obj))["spec"]["template"]["spec"]
