from __future__ import annotations

import copy

from kruise_render import krm
from kruise_render.diagnostics import Problem, Severity
from kruise_render.document import Document


def _item(kind: str, name: str, path: str, index: int, **extra: str) -> dict:
    annotations = {
        "keep-me": "yes",
        "config.kubernetes.io/index": str(index),
        "config.kubernetes.io/path": path,
        "internal.config.kubernetes.io/index": str(index),
        "internal.config.kubernetes.io/path": path,
        "config.k8s.io/id": f"{name}-id",
        **extra,
    }
    return {"apiVersion": "apps.kruise.io/v1alpha1", "kind": kind, "metadata": {"name": name, "annotations": annotations}}


def test_bookkeeping_is_hidden_from_stages_and_put_back_in_place() -> None:
    item = _item("CloneSet", "web", "apps/web.yaml", 0)
    before = copy.deepcopy(item)
    docs, problems = krm.item_documents([item])
    assert problems == []
    assert docs[0].origin.file == "apps/web.yaml"
    books = [krm.strip(doc) for doc in docs]
    assert docs[0].data["metadata"]["annotations"] == {"keep-me": "yes"}
    krm.restore(docs, books, docs)
    assert list(item["metadata"]["annotations"].items()) == list(before["metadata"]["annotations"].items())


def test_object_replacing_its_input_keeps_ids_and_created_ones_get_path_and_next_index() -> None:
    items = [_item("UnitedDeployment", "ud", "ud.yaml", 0), _item("CloneSet", "cs", "ud.yaml", 1),
             _item("ConfigMap", "cm", "other.yaml", 0)]
    docs, _ = krm.item_documents(items)
    books = [krm.strip(doc) for doc in docs]
    ud, cs, cm = docs
    subset_a = ud.derive({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ud-a"}})
    subset_b = ud.derive({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ud-b"}})
    native = cs.derive({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "cs"}})
    krm.restore(docs, books, [cm, subset_a, subset_b, native])

    created = subset_a.data["metadata"]["annotations"]
    assert created == {
        "config.kubernetes.io/index": "2",
        "config.kubernetes.io/path": "ud.yaml",
        "internal.config.kubernetes.io/index": "2",
        "internal.config.kubernetes.io/path": "ud.yaml",
    }
    assert subset_b.data["metadata"]["annotations"]["internal.config.kubernetes.io/index"] == "3"
    assert native.data["metadata"]["annotations"]["config.k8s.io/id"] == "cs-id"
    assert native.data["metadata"]["annotations"]["internal.config.kubernetes.io/index"] == "1"
    assert cm.data["metadata"]["annotations"]["config.k8s.io/id"] == "cm-id"


def test_items_without_identity_are_problems() -> None:
    docs, problems = krm.item_documents([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}, "text"])
    assert docs == []
    assert problems == ["items[0] (<stdin>): missing or empty metadata.name", "items[1]: not an object"]


def test_result_carries_resource_field_and_file() -> None:
    diagnostic = Problem(Severity.WARNING, "dropped", file="apps/web.yaml", line=0, kind="CloneSet", name="web",
                            namespace="shop", api_version="apps.kruise.io/v1alpha1", path="spec.x", index=2)
    assert krm.result(diagnostic) == {
        "message": "dropped",
        "severity": "warning",
        "resourceRef": {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet", "name": "web", "namespace": "shop"},
        "field": {"path": "spec.x"},
        "file": {"path": "apps/web.yaml", "index": 2},
    }
    assert krm.result(Problem(Severity.ERROR, "bad config")) == {"message": "bad config", "severity": "error"}


def test_documents_made_from_items_start_unchanged() -> None:
    docs, _ = krm.item_documents([_item("CloneSet", "web", "a.yaml", 0)])
    assert isinstance(docs[0], Document) and not docs[0].changed
