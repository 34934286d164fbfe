"""What a stage may look up beyond the object it renders: the other input objects and the
context objects (`--context`, `--nodes`), through one place.

A live cluster answers these questions for Kruise (which Namespaces carry which labels, which
SidecarSets exist, which nodes there are, what `kruise-configuration` says, what a targetRef
names). Here the answers come from the input first and from the context second: a context object
with the identity of an input object was already dropped when the context was read (the input
wins, kruise_render/contextobjects.py). The deploy-time namespace (-n) is applied here too, to
every object that names none, and never written (identity.effective_namespace).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kruise_render.document import Document
from kruise_render.k8s import identity, refs
from kruise_render.k8s.nodes import Node
from kruise_render.obj import Obj, get_map
from kruise_render.options import DEFAULT_NAMESPACE
from kruise_render.record import Record

# Kruise reads its own settings from this ConfigMap (pkg/util/configuration, Kruise v1.9.0).
KRUISE_CONFIGURATION = ("kruise-system", "kruise-configuration")


def is_kruise_configuration(doc: Document) -> bool:
    return (doc.api_version, doc.kind, doc.namespace, doc.name) == ("v1", "ConfigMap", *KRUISE_CONFIGURATION)


class Lookup(Record):
    __slots__ = ("consulted", "context", "inputs", "namespace", "nodes", "notes", "read")
    namespace: str  # for objects that name none (-n)
    inputs: list[Document]
    # Context objects that may inform the render (invalid ones and those an input object
    # overrides are not here), in the order their paths were given.
    context: list[Document]
    nodes: list[Node] | None  # the node inventory; None when none was given
    # Context objects a stage consulted beyond their kind's standing use (PUB targets).
    consulted: set[int]
    # Every object read from the context, used or not, and why one is not (for --report).
    read: list[Document]
    notes: dict[int, str]

    def __init__(self, namespace: str = DEFAULT_NAMESPACE, inputs: list[Document] | None = None,
                 context: list[Document] | None = None, nodes: list[Node] | None = None,
                 consulted: set[int] | None = None, read: list[Document] | None = None,
                 notes: dict[int, str] | None = None) -> None:
        self._init(namespace, [] if inputs is None else inputs, [] if context is None else context, nodes,
                   set() if consulted is None else consulted, [] if read is None else read,
                   {} if notes is None else notes)

    def namespace_of(self, doc: Document) -> str:
        return identity.effective_namespace(doc.id, self.namespace)

    def namespaces(self) -> dict[str, dict[str, str]]:
        """Labels of every known Namespace, the input's over the context's."""
        return {**identity.namespace_labels(self.context), **identity.namespace_labels(self.inputs)}

    def kruise_configuration(self) -> Obj | None:
        """The data of `kruise-system/kruise-configuration` (input, else context), None when absent."""
        for doc in [*self.inputs, *self.context]:
            if is_kruise_configuration(doc):
                return get_map(doc.data, "data")
        return None

    def find_target(self, referrer: Document, ref: Mapping[str, Any]) -> Document | None:
        """What `ref` (a targetRef of `referrer`) names, in the referrer's namespace: an input
        object, else a context object (then marked as consulted)."""
        namespace = self.namespace_of(referrer)
        found = refs.find(self.inputs, namespace, ref, self.namespace)
        if found is None:
            found = refs.find(self.context, namespace, ref, self.namespace)
            if found is not None:
                self.consulted.add(id(found))
        return found
