"""Stage `references`: objects naming a converted workload follow it; a split one is a warning.

Each row of references.REFERRERS is exercised, with the source its resolution follows."""
from __future__ import annotations

from typing import Any

import pytest

from kruise_render.stages import references
from tests.stages.otherkinds_support import Rendered, render

CLONESET = """
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
"""
ASTS = CLONESET.replace("kind: CloneSet", "kind: StatefulSet").replace("v1alpha1", "v1beta1").replace(
    "  replicas: 3\n", "  replicas: 3\n  serviceName: web\n")
DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}


def _object(api_version: str, kind: str, spec: str, namespace: str | None = "shop") -> str:
    where = f", namespace: {namespace}" if namespace else ""
    return f"---\napiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: ref{where}}}\nspec:\n{spec}\n"


def _only(out: Rendered, kind: str) -> dict[str, Any]:
    (found,) = [o for o in out.objects if o["kind"] == kind]
    return found


def _at(data: dict[str, Any], *path: str | int) -> Any:
    node: Any = data
    for part in path:
        node = node[part]
    return node


CS_REF = "{apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: web}"
# (case, referrer object, path to the reference): each follows the CloneSet to apps/v1 Deployment.
FOLLOWING = [
    # kubernetes/api@v0.32.10:autoscaling/v2/types.go CrossVersionObjectReference (group + kind + name)
    ("hpa v2", _object("autoscaling/v2", "HorizontalPodAutoscaler", f"  scaleTargetRef: {CS_REF}\n  maxReplicas: 5"),
     ("spec", "scaleTargetRef")),
    ("hpa v1, another version", _object("autoscaling/v1", "HorizontalPodAutoscaler",
                                        "  scaleTargetRef: {apiVersion: apps.kruise.io/v1beta1, kind: CloneSet, name: web}\n"
                                        "  maxReplicas: 5"), ("spec", "scaleTargetRef")),
    # kubernetes/autoscaler@vertical-pod-autoscaler-1.7.1 .../autoscaling.k8s.io/v1/types.go TargetRef
    ("vpa", _object("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", f"  targetRef: {CS_REF}"), ("spec", "targetRef")),
    # kedacore/keda@v2.20.2:apis/keda/v1alpha1/gvkr.go ParseGVKR
    ("keda", _object("keda.sh/v1alpha1", "ScaledObject", f"  scaleTargetRef: {CS_REF}"), ("spec", "scaleTargetRef")),
    # openkruise/rollouts@v0.6.2:api/v1alpha1/rollout_types.go ObjectRef.WorkloadRef, api/v1beta1 RolloutSpec.WorkloadRef
    ("rollout v1alpha1", _object("rollouts.kruise.io/v1alpha1", "Rollout", f"  objectRef: {{workloadRef: {CS_REF}}}"),
     ("spec", "objectRef", "workloadRef")),
    ("rollout v1beta1", _object("rollouts.kruise.io/v1beta1", "Rollout", f"  workloadRef: {CS_REF}"), ("spec", "workloadRef")),
    ("batchrelease v1alpha1", _object("rollouts.kruise.io/v1alpha1", "BatchRelease",
                                      f"  targetReference: {{workloadRef: {CS_REF}}}"),
     ("spec", "targetReference", "workloadRef")),
    ("batchrelease v1beta1", _object("rollouts.kruise.io/v1beta1", "BatchRelease", f"  workloadRef: {CS_REF}"),
     ("spec", "workloadRef")),
    # karmada-io/karmada@v1.18.2:pkg/util/selector.go ResourceSelectorPriority (exact apiVersion)
    ("karmada policy", _object("policy.karmada.io/v1alpha1", "PropagationPolicy", f"  resourceSelectors: [{CS_REF}]"),
     ("spec", "resourceSelectors", 0)),
    ("karmada cluster policy", _object("policy.karmada.io/v1alpha1", "ClusterPropagationPolicy",
                                       "  resourceSelectors: [{apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, "
                                       "name: web, namespace: shop}]", namespace=None), ("spec", "resourceSelectors", 0)),
    ("karmada override", _object("policy.karmada.io/v1alpha1", "OverridePolicy", f"  resourceSelectors: [{CS_REF}]"),
     ("spec", "resourceSelectors", 0)),
]


@pytest.mark.parametrize("case, referrer, path", FOLLOWING, ids=[row[0] for row in FOLLOWING])
def test_a_reference_follows_the_converted_workload(case: str, referrer: str, path: tuple[str | int, ...]) -> None:
    out = render(CLONESET + referrer)
    assert out.errors == [] and out.warnings == []
    kind = referrer.split("kind: ")[1].split("\n")[0]
    ref = _at(_only(out, kind), *path)
    assert {key: ref[key] for key in ("apiVersion", "kind", "name")} == DEPLOYMENT


def test_statefulsets_and_daemonsets_follow_too() -> None:
    hpa = _object("autoscaling/v2", "HorizontalPodAutoscaler",
                  "  scaleTargetRef: {apiVersion: apps.kruise.io/v1beta1, kind: StatefulSet, name: web}\n  maxReplicas: 5")
    out = render(ASTS + hpa)
    assert _only(out, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web"}


@pytest.mark.parametrize("referrer", [
    # another name, another namespace, another group with the same kind
    _object("autoscaling/v2", "HorizontalPodAutoscaler",
            "  scaleTargetRef: {apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: other}\n  maxReplicas: 5"),
    _object("autoscaling/v2", "HorizontalPodAutoscaler", f"  scaleTargetRef: {CS_REF}\n  maxReplicas: 5", namespace="dev"),
    _object("autoscaling/v2", "HorizontalPodAutoscaler",
            "  scaleTargetRef: {apiVersion: example.com/v1, kind: CloneSet, name: web}\n  maxReplicas: 5"),
    # KEDA's defaults already name apps/v1 Deployment web: nothing to follow
    _object("keda.sh/v1alpha1", "ScaledObject", "  scaleTargetRef: {name: web}"),
    # Karmada compares the whole apiVersion: a v1beta1 selector never selected the v1alpha1 CloneSet
    _object("policy.karmada.io/v1alpha1", "PropagationPolicy",
            "  resourceSelectors: [{apiVersion: apps.kruise.io/v1beta1, kind: CloneSet, name: web}]"),
])
def test_references_to_anything_else_are_left_alone(referrer: str) -> None:
    out = render(CLONESET + referrer)
    (doc,) = [o for o in out.objects if o["kind"] != "Deployment"]
    assert [doc] == render(referrer).objects
    assert out.warnings == [] and out.errors == []


def test_objects_without_a_namespace_meet_in_the_deploy_namespace() -> None:
    """An HPA and a CloneSet of one chart, neither naming a namespace, land together in -n's; one
    naming `shop` meets one without only when -n is shop."""
    hpa = _object("autoscaling/v2", "HorizontalPodAutoscaler", f"  scaleTargetRef: {CS_REF}\n  maxReplicas: 5", namespace=None)
    unnamed = CLONESET.replace(", namespace: shop}", "}")
    for cloneset, namespace in ((unnamed, "default"), (unnamed, "shop"), (CLONESET, "shop")):
        out = render(cloneset + hpa, namespace=namespace)
        assert _only(out, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"] == DEPLOYMENT, (cloneset, namespace)
        assert "namespace" not in _only(out, "HorizontalPodAutoscaler")["metadata"]
    assert _only(render(CLONESET + hpa), "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["kind"] == "CloneSet"


def test_a_reference_to_a_split_target_is_a_warning_naming_both() -> None:
    spread = ("---\napiVersion: apps.kruise.io/v1alpha1\nkind: WorkloadSpread\nmetadata: {name: ws, namespace: shop}\n"
              "spec:\n  targetRef: {apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: web}\n"
              "  subsets: [{name: a, maxReplicas: 1}, {name: b}]\n")
    hpa = _object("autoscaling/v2", "HorizontalPodAutoscaler", f"  scaleTargetRef: {CS_REF}\n  maxReplicas: 5")
    out = render(CLONESET + spread + hpa)
    assert [w for w in out.warnings if "HorizontalPodAutoscaler" in w] == [
        "in.yaml:24: HorizontalPodAutoscaler/ref: spec.scaleTargetRef: warning: names apps.kruise.io/v1alpha1 "
        "CloneSet/web, which the render replaces by 2 workloads (web-a, web-b); a HorizontalPodAutoscaler scales one "
        "object, so it names none of them (point it at one, or drop it)"]
    assert _only(out, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["kind"] == "CloneSet"


def test_a_reference_to_a_united_deployment_is_a_warning() -> None:
    united = """
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    deploymentTemplate:
      metadata: {labels: {app: web}}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: nginx}]}
  topology:
    subsets: [{name: a, replicas: 2}, {name: b}]
"""
    vpa = _object("autoscaling.k8s.io/v1", "VerticalPodAutoscaler",
                  "  targetRef: {apiVersion: apps.kruise.io/v1alpha1, kind: UnitedDeployment, name: web}")
    out = render(united + vpa)
    assert any("VerticalPodAutoscaler/ref: spec.targetRef: warning: names apps.kruise.io/v1alpha1 UnitedDeployment/web, "
               "which the render replaces by 2 workloads (web-a, web-b); a VerticalPodAutoscaler sizes the pods of one"
               in w for w in out.warnings), out.warnings


def test_a_karmada_selector_without_a_name_is_a_warning() -> None:
    policy = _object("policy.karmada.io/v1alpha1", "PropagationPolicy",
                     "  resourceSelectors: [{apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, "
                     "labelSelector: {matchLabels: {app: web}}}]")
    out = render(CLONESET + policy)
    assert _only(out, "PropagationPolicy")["spec"]["resourceSelectors"][0]["kind"] == "CloneSet"
    assert any("spec.resourceSelectors[0]: warning: has no name, so it selects CloneSet objects by labels" in w
               for w in out.warnings), out.warnings


def test_rollouts_objects_are_not_kruise_objects() -> None:
    """openkruise/rollouts is its own project; Kruise v1.9.0's CRDs have no rollouts.kruise.io group."""
    rollout = _object("rollouts.kruise.io/v1beta1", "Rollout", "  workloadRef: {apiVersion: apps/v1, kind: Deployment, "
                                                              "name: x}\n  strategy: {canary: {steps: [{replicas: 1}]}}")
    out = render(rollout)
    assert out.errors == [] and out.warnings == [] and [o["kind"] for o in out.objects] == ["Rollout"]


def test_the_table_is_documented_in_the_module() -> None:
    for referrer in references.REFERRERS:
        assert referrer.group in (references.__doc__ or ""), referrer
        for kind in referrer.kinds:
            assert kind in (references.__doc__ or ""), kind
