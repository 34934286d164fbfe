"""Shared workload-mapping helpers: key placement, and objects created by the UnitedDeployment stage."""
from __future__ import annotations

from typing import Any

from kruise_render.context import Context
from kruise_render.document import Document, Origin
from kruise_render.nativeworkload import insert_after, replace_key
from kruise_render.options import Options
from kruise_render.stages import cloneset
from kruise_render.yaml import writer

UD_TEXT = """apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: shop
spec:
  template:
    cloneSetTemplate:
      spec:
        updateStrategy:
          partition: 2
"""


def test_replace_key_keeps_the_position() -> None:
    data = {"a": 1, "updateStrategy": {}, "c": 3}
    replace_key(data, "updateStrategy", "strategy", {"type": "RollingUpdate"})
    assert list(data) == ["a", "strategy", "c"]


def test_replace_key_appends_when_absent_and_drops_a_stale_target() -> None:
    data = {"ordinals": {"start": 1}, "reserveOrdinals": [0], "z": 0}
    replace_key(data, "reserveOrdinals", "ordinals", {"start": 2})
    assert data == {"ordinals": {"start": 2}, "z": 0} and list(data) == ["ordinals", "z"]
    replace_key(data, "missing", "new", 1)
    assert list(data) == ["ordinals", "z", "new"]


def test_insert_after() -> None:
    data = {"a": 1, "b": 2}
    insert_after(data, "a", "x", 0)
    insert_after(data, "nothere", "y", 0)
    assert list(data) == ["a", "x", "b", "y"]


def _subset(partition: Any) -> tuple[Document, Document]:
    import yaml

    ud = Document(data=yaml.safe_load(UD_TEXT), origin=Origin("ud.yaml", 1, 0), raw=UD_TEXT)
    subset = ud.derive({
        "apiVersion": "apps.kruise.io/v1alpha1",
        "kind": "CloneSet",
        "metadata": {"name": "shop-zone-a", "labels": {"app": "shop"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "shop"}},
            "template": {"metadata": {"labels": {"app": "shop"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}},
            "updateStrategy": {"partition": partition},
        },
    }, "subset zone-a", at=("spec", "template", "cloneSetTemplate"))
    return ud, subset


def test_created_subsets_go_through_the_same_mapping() -> None:
    _, subset = _subset(0)
    ctx = Context(options=Options())
    cloneset.run([subset], ctx)
    assert not ctx.problems
    assert (subset.data["kind"], subset.changed, subset.raw) == ("Deployment", True, None)
    assert subset.data["metadata"]["name"] == "shop-zone-a"
    assert "kind: Deployment" in writer.to_stream([subset])


def test_problems_of_created_subsets_point_into_the_united_deployment() -> None:
    _, subset = _subset(2)
    ctx = Context(options=Options())
    cloneset.run([subset], ctx)
    [problem] = ctx.problems
    assert problem.format().startswith(
        "ud.yaml:10: UnitedDeployment/shop: spec.template.cloneSetTemplate.spec.updateStrategy.partition: "
        "CloneSet shop-zone-a: partition 2 keeps 2 of 3 pods")


def test_an_object_kruise_would_reject_is_left_as_it_was() -> None:
    _, subset = _subset(-1)
    ctx = Context(options=Options())
    cloneset.run([subset], ctx)
    assert ctx.failed and subset.data["kind"] == "CloneSet" and subset.data["spec"]["updateStrategy"] == {"partition": -1}
