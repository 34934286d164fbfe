"""CloneSet → Deployment, one row per field of spec/uniteddeployment.md §4.1."""
from __future__ import annotations

from typing import Any

import pytest

from tests.stages.helpers import errors, get, only, render, warnings, with_field

BASE: dict[str, Any] = {
    "apiVersion": "apps.kruise.io/v1alpha1",
    "kind": "CloneSet",
    "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}, "annotations": {"team": "a"}},
    "spec": {
        "replicas": 5,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]},
        },
    },
}

def strategy(**rolling: Any) -> dict[str, Any]:
    return {"type": "RollingUpdate", "rollingUpdate": rolling}


# (case, field path, value, expected spec.strategy)
MAPPED = [
    ("defaults 20%/0 of 5 replicas agree", "spec.updateStrategy", None, strategy(maxUnavailable="20%", maxSurge=0)),
    ("default 20% of 6 rounds up to 2", "spec.replicas", 6, strategy(maxUnavailable=2, maxSurge=0)),
    ("ReCreate is RollingUpdate", "spec.updateStrategy", {"type": "ReCreate"}, strategy(maxUnavailable="20%", maxSurge=0)),
    ("int maxUnavailable kept", "spec.updateStrategy", {"maxUnavailable": 2}, strategy(maxUnavailable=2, maxSurge=0)),
    ("percent rounds up without surge", "spec.updateStrategy", {"maxUnavailable": "50%"},
     strategy(maxUnavailable=3, maxSurge=0)),
    ("percent exact without surge stays", "spec.updateStrategy", {"maxUnavailable": "40%"},
     strategy(maxUnavailable="40%", maxSurge=0)),
    ("percent rounds down with surge, as Deployment", "spec.updateStrategy", {"maxUnavailable": "50%", "maxSurge": 1},
     strategy(maxUnavailable="50%", maxSurge=1)),
    ("maxSurge percent kept (both round up)", "spec.updateStrategy", {"maxSurge": "10%", "maxUnavailable": 0},
     strategy(maxSurge="10%", maxUnavailable=0)),
    ("maxUnavailable over 100% resolved", "spec.updateStrategy", {"maxUnavailable": "150%"},
     strategy(maxUnavailable=8, maxSurge=0)),
    ("partition 0 maps cleanly", "spec.updateStrategy", {"partition": 0}, strategy(maxUnavailable="20%", maxSurge=0)),
    ("partition 0% maps cleanly", "spec.updateStrategy", {"partition": "0%"}, strategy(maxUnavailable="20%", maxSurge=0)),
]


@pytest.mark.parametrize("case,path,value,expected", MAPPED, ids=[row[0] for row in MAPPED])
def test_strategy_written_explicitly(case: str, path: str, value: Any, expected: dict[str, Any]) -> None:
    data = only(render(with_field(BASE, path, value)))
    assert (data["apiVersion"], data["kind"]) == ("apps/v1", "Deployment")
    assert data["spec"]["strategy"] == expected
    assert "updateStrategy" not in data["spec"]


# (case, field path, value, message fragment): an error by default, a warning with --allow-lossy.
NOT_EXPRESSIBLE = [
    ("InPlaceOnly", "spec.updateStrategy.type", "InPlaceOnly", "cannot update pods in place"),
    ("partition int", "spec.updateStrategy.partition", 3, "keeps 3 of 5 pods"),
    ("partition percent rounds up", "spec.updateStrategy.partition", "1%", "keeps 1 of 5 pods"),
    ("paused", "spec.updateStrategy.paused", True, "creates no pods on a fresh install"),
    ("volumeClaimTemplates", "spec.volumeClaimTemplates",
     [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                               "resources": {"requests": {"storage": "1Gi"}}}}],
     "no per-pod persistent claims"),
]


@pytest.mark.parametrize("case,path,value,fragment", NOT_EXPRESSIBLE, ids=[row[0] for row in NOT_EXPRESSIBLE])
def test_not_expressible_is_an_error_unless_lossy(case: str, path: str, value: Any, fragment: str) -> None:
    obj = with_field(BASE, path, value)
    strict = render(obj)
    assert not strict.ok
    assert any(fragment in line and "not expressible" in line for line in errors(strict))
    lossy = render(obj, allow_lossy=True)
    data = only(lossy)
    assert any(fragment in line and "--allow-lossy" in line for line in warnings(lossy))
    assert data["kind"] == "Deployment" and "paused" not in data["spec"]


# (case, field path, value, warning fragment): dropped, always with a warning.
CONTROLLER_ONLY = [
    ("InPlaceIfPossible", "spec.updateStrategy.type", "InPlaceIfPossible", "recreates pods instead"),
    ("priorityStrategy", "spec.updateStrategy.priorityStrategy",
     {"weightPriority": [{"weight": 1, "matchSelector": {"matchLabels": {"a": "b"}}}]}, "priorityStrategy"),
    ("scatterStrategy", "spec.updateStrategy.scatterStrategy", [{"key": "zone", "value": "a"}], "scatterStrategy"),
    ("inPlaceUpdateStrategy", "spec.updateStrategy.inPlaceUpdateStrategy", {"gracePeriodSeconds": 10},
     "inPlaceUpdateStrategy"),
    ("podsToDelete", "spec.scaleStrategy.podsToDelete", ["web-abc"], "podsToDelete"),
    ("scale maxUnavailable", "spec.scaleStrategy.maxUnavailable", 1, "rate-limits scale-up"),
    ("disablePVCReuse", "spec.scaleStrategy.disablePVCReuse", True, "disablePVCReuse"),
    ("lifecycle", "spec.lifecycle", {"preDelete": {"finalizersHandler": ["x.io/y"]}}, "lifecycle hooks (preDelete)"),
]


@pytest.mark.parametrize("case,path,value,fragment", CONTROLLER_ONLY, ids=[row[0] for row in CONTROLLER_ONLY])
def test_controller_only_fields_are_dropped_with_a_warning(case: str, path: str, value: Any, fragment: str) -> None:
    result = render(with_field(BASE, path, value))
    data = only(result)
    assert any(fragment in line for line in warnings(result)), warnings(result)
    assert "scaleStrategy" not in data["spec"] and "lifecycle" not in data["spec"] and "foo" not in data["spec"]
    assert data["spec"]["strategy"]["type"] == "RollingUpdate"


@pytest.mark.parametrize("path,value", [
    ("spec.minReadySeconds", 10), ("spec.revisionHistoryLimit", 3), ("spec.progressDeadlineSeconds", 120),
])
def test_same_fields_are_kept(path: str, value: int) -> None:
    assert get(only(render(with_field(BASE, path, value))), path) == value


# (case, field path, value, error fragment): input Kruise's webhook rejects.
BAD = [
    ("OnDelete in v1alpha1", "spec.updateStrategy.type", "OnDelete", 'InPlaceOnly"; got string "OnDelete"'),
    ("unknown type", "spec.updateStrategy.type", "Recreate", 'must be one of "ReCreate"'),
    # openkruise/kruise@v1.9.0:pkg/webhook/cloneset/validating/validation.go validateUpdateStrategy accepts it
    # (pkg/util/tools.go GetScaledValueFromIntOrPercent, ParseFloat); the controller reads 0
    # (pkg/controller/cloneset/sync/cloneset_sync_utils.go calculateDiffsWithExpectation, intstr Atoi).
    ("fractional maxUnavailable", "spec.updateStrategy.maxUnavailable", "12.5%",
     '"12.5%": Kruise\'s webhook accepts it, but its CloneSet controller reads only whole percentages and uses 0'),
    ("fractional maxSurge", "spec.updateStrategy.maxSurge", "0.5%", "reads only whole percentages and uses 0"),
    ("both limits zero", "spec.updateStrategy.maxUnavailable", 0, "must not both be less than 1"),
    ("negative partition", "spec.updateStrategy.partition", -1, "must be at least 0"),
    ("partition not a percent", "spec.updateStrategy.partition", "3", "percentage"),
    ("replicas not an int", "spec.replicas", "3", "expected an integer"),
    ("unknown field", "spec.foo", 1, 'unknown field "foo"'),
    # openkruise/kruise@v1.9.0:pkg/webhook/cloneset/validating/validation.go validateUpdateStrategy: maxSurge
    # resolved with pkg/util/tools.go GetScaledValueFromIntOrPercent (round up) against replicas.
    ("InPlaceOnly with maxSurge", "spec.updateStrategy", {"type": "InPlaceOnly", "maxSurge": 1},
     "spec.updateStrategy.maxSurge: can not use maxSurge with strategy type InPlaceOnly"),
    ("InPlaceOnly with 1% maxSurge", "spec.updateStrategy", {"type": "InPlaceOnly", "maxSurge": "1%"},
     "can not use maxSurge with strategy type InPlaceOnly"),
    # validateUpdateStrategy → apis/apps/pub/update_priority.go UpdatePriorityStrategy.FieldsValidation
    ("both priorities", "spec.updateStrategy.priorityStrategy",
     {"weightPriority": [{"weight": 50, "matchSelector": {"matchLabels": {"a": "b"}}}], "orderPriority": [{"orderedKey": "x"}]},
     "spec.updateStrategy.priorityStrategy: only one of weightPriority and orderPriority can be used"),
    ("empty weight selector", "spec.updateStrategy.priorityStrategy",
     {"weightPriority": [{"weight": 50, "matchSelector": {}}]}, "weightPriority[0].matchSelector: selector can not be empty"),
    # validateUpdateStrategy → apis/apps/v1alpha1/scatter_strategy.go UpdateScatterStrategy.FieldsValidation
    ("duplicate scatter terms", "spec.updateStrategy.scatterStrategy", [{"key": "zone", "value": "a"}] * 2,
     "spec.updateStrategy.scatterStrategy[1]: duplicated key=zone value=a"),
    ("scatter term without key", "spec.updateStrategy.scatterStrategy", [{"key": "", "value": "a"}],
     "scatterStrategy[0].key: key should not be empty"),
    ("unknown version", "apiVersion", "apps.kruise.io/v1", "Kruise v1.9.0 serves CloneSet only as apps.kruise.io/v1alpha1, "
     "not as apps.kruise.io/v1"),
]


@pytest.mark.parametrize("case,path,value,fragment", BAD, ids=[row[0] for row in BAD])
def test_invalid_input_is_an_error(case: str, path: str, value: Any, fragment: str) -> None:
    for lossy in (False, True):
        result = render(with_field(BASE, path, value), allow_lossy=lossy)
        assert not result.ok
        assert any(fragment in line for line in errors(result)), errors(result)


def test_every_webhook_problem_is_reported() -> None:
    """Kruise's webhook answers with all of them; one line each."""
    result = render(with_field(BASE, "spec.updateStrategy", {
        "type": "InPlaceOnly", "maxSurge": 2, "scatterStrategy": [{"key": "", "value": "a"}],
        "priorityStrategy": {"orderPriority": [{"orderedKey": "x"}],
                             "weightPriority": [{"weight": 1, "matchSelector": {"matchLabels": {"a": "b"}}}]}}))
    assert [line.split(": ", 3)[2] for line in errors(result)] == [
        "spec.updateStrategy.priorityStrategy", "spec.updateStrategy.scatterStrategy[0].key", "spec.updateStrategy.maxSurge"]


def test_in_place_only_without_surge_stays_lossy() -> None:
    result = render(with_field(BASE, "spec.updateStrategy", {"type": "InPlaceOnly", "maxSurge": "0%"}), allow_lossy=True)
    assert only(result)["kind"] == "Deployment"


def test_metadata_and_template_are_kept() -> None:
    data = only(render(BASE))
    assert data["metadata"] == BASE["metadata"]
    assert data["spec"]["template"] == BASE["spec"]["template"]
    assert data["spec"]["selector"] == BASE["spec"]["selector"]


def test_unset_replicas_count_as_one_and_stay_unset() -> None:
    obj = with_field(BASE, "spec.replicas", None)
    data = only(render(with_field(obj, "spec.updateStrategy.maxUnavailable", "50%")))
    assert "replicas" not in data["spec"]
    # CloneSet: ceil(0.5) = 1; Deployment: floor(0.5) = 0, then 0/0 becomes 1: the same, so kept.
    assert data["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == "50%"
    partitioned = render(with_field(obj, "spec.updateStrategy.partition", "50%"))
    assert any("keeps 1 of 1 pods" in line for line in errors(partitioned))


def test_zero_replicas_keep_a_valid_strategy() -> None:
    obj = with_field(with_field(BASE, "spec.replicas", 0), "spec.updateStrategy.maxUnavailable", 0)
    assert only(render(obj))["spec"]["strategy"] == strategy(maxUnavailable=1, maxSurge=0)


def test_kruise_readiness_gates_are_removed() -> None:
    gates = [{"conditionType": "InPlaceUpdateReady"}, {"conditionType": "example.com/ready"}]
    result = render(with_field(BASE, "spec.template.spec.readinessGates", gates))
    assert only(result)["spec"]["template"]["spec"]["readinessGates"] == [{"conditionType": "example.com/ready"}]
    assert any("InPlaceUpdateReady removed" in line for line in warnings(result))


def test_lossy_volume_claims_become_ephemeral_volumes_first() -> None:
    claim = {"metadata": {"name": "data", "labels": {"tier": "db"}},
             "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    obj = with_field(BASE, "spec.volumeClaimTemplates", [claim])
    obj = with_field(obj, "spec.template.spec.volumes", [{"name": "cache", "emptyDir": {}}, {"name": "data", "emptyDir": {}}])
    volumes = only(render(obj, allow_lossy=True))["spec"]["template"]["spec"]["volumes"]
    assert volumes == [
        {"name": "data", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"tier": "db"}}, "spec": claim["spec"]}}},
        {"name": "cache", "emptyDir": {}},
    ]


def test_v1beta1_of_a_later_kruise_is_refused() -> None:
    # Kruise v1.9.0 serves CloneSet only as v1alpha1 (openkruise/kruise@v1.9.0:config/crd/bases/
    # apps.kruise.io_clonesets.yaml); the v1beta1 shape (type RollingUpdate, rollingUpdate.podUpdatePolicy)
    # is a later Kruise's: one error at the apiVersion line, nothing written, whatever the options.
    update = {"type": "RollingUpdate", "rollingUpdate": {"podUpdatePolicy": "InPlaceIfPossible", "maxUnavailable": 0}}
    result = render(with_field(with_field(BASE, "apiVersion", "apps.kruise.io/v1beta1"), "spec.updateStrategy", update),
                    allow_lossy=True, keep_unrenderable=True)
    assert result.documents == [] and warnings(result) == []
    assert errors(result) == ["in.yaml:1: CloneSet/web: apiVersion: Kruise v1.9.0 serves CloneSet only as "
                              "apps.kruise.io/v1alpha1, not as apps.kruise.io/v1beta1 (v1beta1 belongs to a later Kruise); "
                              "a v1.9.0 cluster answers \"no matches for kind\""]


def test_rendering_twice_changes_nothing() -> None:
    once = only(render(BASE))
    assert only(render(once)) == once
