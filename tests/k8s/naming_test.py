from __future__ import annotations

from kruise_render.k8s import naming
from kruise_render.k8s.identity import ResourceId


def ids(*items):
    return [ResourceId("v1", kind, ns, name) for kind, ns, name in items]


def test_layout_and_sanitising():
    names = naming.file_names(ids(("ConfigMap", None, "a"), ("Service", "shop", "Web.Front"),
                                  ("Deployment", "../etc", "../../passwd"), ("X", "a/b", "n\x00ul")), ".yaml")
    assert names == ["configmap-a.yaml", "shop/service-web.front.yaml", "_etc/deployment-_.._passwd.yaml",
                     "a_b/x-n_ul.yaml"]
    assert all(".." not in part for name in names for part in name.split("/")[:-1])


def test_collisions_are_numbered_in_stream_order():
    assert naming.file_names(ids(("A", None, "x"), ("A", None, "X"), ("A", None, "x")), ".json") == [
        "a-x.json", "a-x-2.json", "a-x-3.json"]


def test_long_names_are_cut():
    (name,) = naming.file_names(ids(("Kind", "n" * 300, "m" * 300)), ".yaml")
    folder, file = name.split("/")
    assert len(folder) == 100 and len(file) <= 100 + len("kind-") + len(".yaml")


def test_name_limits():
    assert naming.name_limit("StatefulSet") == 52 and naming.name_limit("Deployment") == 63
