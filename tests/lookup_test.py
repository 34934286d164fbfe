"""One place to look things up: the input first, then the context; -n for objects without a namespace."""
from __future__ import annotations

from kruise_render.document import Document, Origin
from kruise_render.lookup import Lookup


def _doc(data: dict[str, object], context: bool = False) -> Document:
    return Document(data=data, origin=Origin("c.yaml" if context else "in.yaml", 1, 0, context=context))


def _ns(name: str, **labels: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def _deploy(name: str, namespace: str | None = None) -> dict[str, object]:
    meta = {"name": name} | ({"namespace": namespace} if namespace else {})
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": {}}


def test_namespace_labels_come_from_the_input_over_the_context() -> None:
    lookup = Lookup(inputs=[_doc(_ns("shop", team="a"))], context=[_doc(_ns("shop", team="b"), True), _doc(_ns("ops"), True)])
    assert lookup.namespaces() == {
        "shop": {"team": "a", "kubernetes.io/metadata.name": "shop"},
        "ops": {"kubernetes.io/metadata.name": "ops"},
    }


def test_targets_are_found_in_the_referrer_namespace_input_first() -> None:
    pub = _doc({"apiVersion": "policy.kruise.io/v1alpha1", "kind": "PodUnavailableBudget", "metadata": {"name": "p"}})
    ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    in_shop = _doc(_deploy("web", "shop"), True)
    lookup = Lookup(namespace="shop", context=[_doc(_deploy("web", "ops"), True), in_shop])
    assert lookup.find_target(pub, ref) is in_shop
    assert lookup.consulted == {id(in_shop)}
    own = _doc(_deploy("web"))
    assert lookup.replace(inputs=[own], consulted=set()).find_target(pub, ref) is own
    assert Lookup(context=[in_shop]).find_target(pub, ref) is None, "without -n the PUB is in default"


def test_kruise_configuration_is_read_from_kruise_system_only() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kruise-configuration", "namespace": "kruise-system"},
              "data": {"k": "v"}}
    elsewhere = {**config, "metadata": {"name": "kruise-configuration", "namespace": "default"}}
    assert Lookup(context=[_doc(elsewhere, True)]).kruise_configuration() is None
    assert Lookup(context=[_doc(config, True)]).kruise_configuration() == {"k": "v"}
    assert Lookup(inputs=[_doc({**config, "data": None})], context=[_doc(config, True)]).kruise_configuration() == {}
