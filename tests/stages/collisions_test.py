from __future__ import annotations

from tests.stages.otherkinds_support import UNITED, render

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: %s, namespace: prod}
spec:
  selector: {matchLabels: {app: other}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: main, image: other:1}]}
"""

CLONESET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: main, image: web:1}]}
"""


def test_subset_named_like_an_input_deployment_is_an_error() -> None:
    out = render(UNITED + "---\n" + DEPLOYMENT % "shop-zone-a")
    assert out.objects == []
    assert out.errors == [
        "in.yaml:20: Deployment/shop-zone-a: metadata.name: Deployment/prod/shop-zone-a is already in the "
        "output (rendered from UnitedDeployment/prod/shop at in.yaml:1); applying both would keep only one of "
        "them (rename one)"
    ]


def test_cloneset_and_deployment_of_one_name_collide_once_converted() -> None:
    out = render(DEPLOYMENT % "web" + "---\n" + CLONESET)
    assert [e.split(": ", 1)[0] for e in out.errors] == ["in.yaml:12"]
    assert "Deployment/prod/web is already in the output (from in.yaml:1)" in out.errors[0]


def test_same_name_in_other_namespace_or_kind_is_fine() -> None:
    other_namespace = (DEPLOYMENT % "shop-zone-a").replace("namespace: prod", "namespace: dev")
    out = render(UNITED + "---\n" + other_namespace + "---\n" + "apiVersion: v1\nkind: Service\n"
                 "metadata: {name: shop-zone-a, namespace: prod}\nspec: {ports: [{port: 80}]}\n")
    assert out.errors == []
    assert len(out.objects) == 3
