from __future__ import annotations

import pytest

from kruise_render.stages import gitops
from tests.stages.otherkinds_support import UNITED as BASE
from tests.stages.otherkinds_support import render

ANNOTATIONS = """\
metadata:
  name: shop
  namespace: prod
  annotations:
    argocd.argoproj.io/sync-wave: "2"
    owner: team-a
    helm.sh/hook: pre-install
    kustomize.config.k8s.io/id: "kind: UnitedDeployment"
    postrenderer.helm.sh/postrender-filename: templates/shop.yaml"""
# Two subsets; `%s` is the deployment template's own metadata beside its labels.
UNITED = (BASE.replace("metadata: {name: shop, namespace: prod}", ANNOTATIONS)
          .replace("      metadata: {labels: {app: shop}}\n      spec:", "      metadata: {labels: {app: shop}%s}\n      spec:")
          + "    - name: zone-b\n")


def test_united_deployment_subsets_take_its_sync_wave_and_hooks_and_nothing_else() -> None:
    out = render(UNITED % "")
    assert out.errors == []
    assert [o["metadata"]["name"] for o in out.objects] == ["shop-zone-a", "shop-zone-b"]
    for subset in out.objects:
        annotations = subset["metadata"]["annotations"]
        assert annotations["argocd.argoproj.io/sync-wave"] == "2"
        assert annotations["helm.sh/hook"] == "pre-install"
        assert annotations["postrenderer.helm.sh/postrender-filename"] == "templates/shop.yaml"
        assert "owner" not in annotations  # not a GitOps annotation: Kruise does not copy it either
        assert "kustomize.config.k8s.io/id" not in annotations  # names the UnitedDeployment only


def test_an_annotation_the_created_object_already_has_wins() -> None:
    out = render(UNITED % ', annotations: {argocd.argoproj.io/sync-wave: "5"}')
    assert {o["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] for o in out.objects} == {"5"}


def test_cloneset_conversion_keeps_its_own_annotations_unchanged() -> None:
    cloneset = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata:
  name: web
  annotations: {b: "1", argocd.argoproj.io/sync-wave: "-1"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: main, image: web:1}]}
"""
    [deployment] = render(cloneset).objects
    assert deployment["metadata"]["annotations"] == {"b": "1", "argocd.argoproj.io/sync-wave": "-1"}


def test_resource_distribution_copies_take_its_hook_and_resource_policy() -> None:
    text = """\
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: apps.kruise.io/v1alpha1
kind: ResourceDistribution
metadata:
  name: creds
  annotations: {argocd.argoproj.io/sync-options: Prune=false, helm.sh/resource-policy: keep}
spec:
  resource: {apiVersion: v1, kind: ConfigMap, metadata: {name: creds}, data: {a: b}}
  targets: {includedNamespaces: {list: [{name: team-a}]}}
"""
    out = render(text)
    assert out.errors == []
    copy = next(o for o in out.objects if o["kind"] == "ConfigMap")
    annotations = copy["metadata"]["annotations"]
    assert annotations["argocd.argoproj.io/sync-options"] == "Prune=false"
    assert annotations["helm.sh/resource-policy"] == "keep"
    assert "kruise.io/resourcedistribution.resource.from" in annotations  # Kruise's own still there


@pytest.mark.parametrize(("key", "carried"), [
    ("argocd.argoproj.io/sync-wave", True),
    ("argocd.argoproj.io/sync-options", True),
    ("argocd.argoproj.io/hook", True),
    ("argocd.argoproj.io/hook-delete-policy", True),
    ("argocd.argoproj.io/compare-options", False),
    ("helm.sh/hook", True),
    ("helm.sh/hook-weight", True),
    ("helm.sh/hook-delete-policy", True),
    ("helm.sh/resource-policy", True),
    ("helm.sh/chart", False),
    ("kustomize.config.k8s.io/needs-hash", True),
    ("kustomize.config.k8s.io/behavior", True),
    ("kustomize.config.k8s.io/id", False),
    ("postrenderer.helm.sh/postrender-filename", True),
    ("meta.helm.sh/release-name", False),
])
def test_the_list(key: str, carried: bool) -> None:
    assert gitops.is_carried(key) is carried
