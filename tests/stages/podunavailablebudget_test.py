from __future__ import annotations

from typing import Any

import pytest

from tests.stages.otherkinds_support import kinds, render

CLONESET = """
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
"""


def pub(spec: str, annotations: str = "{}", namespace: str = "shop") -> str:
    return f"""
apiVersion: policy.kruise.io/v1alpha1
kind: PodUnavailableBudget
metadata:
  name: web-pub
  namespace: {namespace}
  annotations: {annotations}
spec:
{spec}
"""


def pdb(rendered) -> dict:
    [found] = [o for o in rendered.objects if o["kind"] == "PodDisruptionBudget"]
    return found


TO_CLONESET = "  targetRef: {apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: web}\n  maxUnavailable: 1"


def test_target_ref_resolves_to_the_selector_of_the_kind_the_user_wrote() -> None:
    out = render(CLONESET + pub(TO_CLONESET), keep_unrenderable=True)
    assert pdb(out) == {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web-pub", "namespace": "shop"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "maxUnavailable": 1, "unhealthyPodEvictionPolicy": "AlwaysAllow"},
    }


def test_target_in_another_namespace_is_not_found() -> None:
    out = render(CLONESET + pub(TO_CLONESET, namespace="other"), keep_unrenderable=True)
    assert any("PodUnavailableBudget/web-pub: spec.targetRef: target CloneSet/web" in e for e in out.errors)


def test_selector_is_copied_and_the_lost_protection_is_a_warning() -> None:
    out = render(pub("  selector: {matchLabels: {app: web}}\n  minAvailable: 50%"))
    assert pdb(out)["spec"] == {"selector": {"matchLabels": {"app": "web"}}, "minAvailable": "50%",
                                "unhealthyPodEvictionPolicy": "AlwaysAllow"}
    assert len(out.warnings) == 1 and "DELETE, UPDATE" in out.warnings[0]


# openkruise/kruise@v1.9.0:pkg/control/pubcontrol/pub_control_utils.go PodUnavailableBudgetValidatePod always allows
# a pod that is not ready: PDB AlwaysAllow. kubernetes/kubernetes pkg/features/kube_features.go
# PDBUnhealthyPodEvictionPolicy: alpha 1.26 (off), beta 1.27 (on), GA 1.31 (locked on).
UNHEALTHY = [
    ({"kube_version": (1, 32)}, True),
    ({"kube_version": (1, 27)}, True),
    ({"kube_version": (1, 27), "feature_gates": {"PDBUnhealthyPodEvictionPolicy": False}}, False),
    ({"kube_version": (1, 31), "feature_gates": {"PDBUnhealthyPodEvictionPolicy": False}}, True),
    ({"kube_version": (1, 26)}, False),
    ({"kube_version": (1, 26), "feature_gates": {"PDBUnhealthyPodEvictionPolicy": True}}, True),
    ({"kube_version": (1, 25), "feature_gates": {"PDBUnhealthyPodEvictionPolicy": True}}, False),
]


@pytest.mark.parametrize("options, written", UNHEALTHY)
def test_not_ready_pods_may_always_be_evicted_where_the_cluster_keeps_the_field(
        options: dict[str, Any], written: bool) -> None:
    out = render(pub("  selector: {matchLabels: {app: web}}\n  maxUnavailable: 1"), **options)
    assert ("unhealthyPodEvictionPolicy" in pdb(out)["spec"]) is written
    assert written or any("a not-ready pod stays protected while the budget is exhausted" in w for w in out.warnings)
    assert out.errors == []


def test_kruise_annotations_are_not_copied_and_other_annotations_are() -> None:
    out = render(pub("  selector: {matchLabels: {app: web}}\n  minAvailable: 1",
                     "{kruise.io/pub-protect-operations: EVICT, team: a}"))
    assert pdb(out)["metadata"]["annotations"] == {"team": "a"}
    assert out.warnings == []


def test_both_budgets_are_rejected_as_kruise_webhook_does() -> None:
    out = render(pub("  selector: {matchLabels: {app: web}}\n  minAvailable: 1\n  maxUnavailable: 1"))
    assert out.objects == [] and "mutually exclusive" in out.errors[0]


def test_selector_and_target_ref_together_are_rejected() -> None:
    out = render(pub("  selector: {matchLabels: {app: web}}\n"
                     "  targetRef: {apiVersion: apps/v1, kind: Deployment, name: x}\n  minAvailable: 1"))
    assert "selector and targetRef are mutually exclusive" in out.errors[0]


def test_empty_selector_and_percentages_over_100_are_rejected() -> None:
    assert "empty selector" in render(pub("  selector: {}\n  minAvailable: 1")).errors[0]
    assert "100%" in render(pub("  selector: {matchLabels: {a: b}}\n  maxUnavailable: 150%")).errors[0]


def test_protect_total_replicas_with_a_percentage_is_not_expressible() -> None:
    text = pub("  selector: {matchLabels: {a: b}}\n  maxUnavailable: 10%", "{pub.kruise.io/protect-total-replicas: '5'}")
    assert "cannot be overridden" in render(text).errors[0]
    lossy = render(text, allow_lossy=True)
    assert kinds(lossy) == ["PodDisruptionBudget/web-pub"]
    assert any("dropped (--allow-lossy)" in w for w in lossy.warnings)


def test_operations_are_split_on_commas_without_trimming_as_kruise_does() -> None:
    out = render(pub("  selector: {matchLabels: {a: b}}\n  maxUnavailable: 1",
                     "{kruise.io/pub-protect-operations: 'EVICT, DELETE'}"))
    assert "invalid operation(s) ' DELETE'" in out.errors[0]


def test_a_budget_that_does_not_protect_evictions_is_not_expressible() -> None:
    out = render(pub("  selector: {matchLabels: {a: b}}\n  maxUnavailable: 1", "{kruise.io/pub-protect-operations: DELETE}"))
    assert "does not protect evictions" in out.errors[0]
