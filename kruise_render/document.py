"""One Kubernetes object in the stream, with where it came from and its exact source text.

A document that no stage changes is written back from `raw`, byte for byte. A stage that edits
`data` calls `mark_changed()`; the writer then edits `raw` so that comments and key order stay.
An object a stage creates (`derive`) has no text of its own: it records where in its source
its data lies, so that a message about it points at a line and a field path of the input file.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kruise_render.diagnostics import FieldPath
from kruise_render.k8s.identity import ResourceId, resource_id

# Where the fields of a derived object lie in the object it was derived from, as
# {prefix in the derived object: prefix in the source}; the longest matching prefix applies.
# A UnitedDeployment subset: {(): ("spec", "template", "deploymentTemplate"),
# ("metadata", "name"): ("metadata", "name")} (its name comes from the UnitedDeployment's).
Provenance = Mapping[FieldPath, FieldPath]


@dataclasses.dataclass(frozen=True)
class Origin:
    file: str  # path as given, or "<stdin>"
    line: int  # 1-based line of the document's first content line
    index: int  # 0-based position of the document among the objects of its file
    start_line: int = 1  # 1-based line where the document's text (`raw`) begins
    # An item of a `kind: List` or JSON array has no text of its own: the enclosing document's
    # text and the item's path in it, so that messages still point at the offending line.
    container: str | None = None
    prefix: tuple[str | int, ...] = ()
    # Read from a --context path: it informs the render and is never written.
    context: bool = False


@dataclasses.dataclass(eq=False)
class Document:
    data: dict[str, Any]
    origin: Origin
    raw: str | None = None  # exact source text, including a leading `---` line if it had one
    changed: bool = False
    derived_from: Document | None = None  # the input object a created object comes from
    note: str | None = None  # what a stage did to it, for --report and KRM results
    # Where `data` lies in `derived_from`: (derived prefix, source prefix), longest first; None: unknown.
    provenance: tuple[tuple[FieldPath, FieldPath], ...] | None = None

    @property
    def id(self) -> ResourceId:
        return resource_id(self.data)

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or "")

    @property
    def name(self) -> str:
        return self.id.name

    @property
    def namespace(self) -> str | None:
        return self.id.namespace

    @property
    def input(self) -> Document:
        """The input document this one stands for (itself, unless a stage created it)."""
        doc = self
        while doc.derived_from is not None:
            doc = doc.derived_from
        return doc

    def mark_changed(self, note: str | None = None) -> None:
        self.changed = True
        if note:
            self.note = note if not self.note else f"{self.note}; {note}"

    def derive(self, data: dict[str, Any], note: str | None = None, at: FieldPath | Provenance | None = None) -> Document:
        """A new object created from this one (e.g. a UnitedDeployment subset).

        `at` says where in this object the new one's data comes from: a path (the new object's
        top), or a `Provenance` for data gathered from several places; None when not known.
        """
        moves = None if at is None else {(): at} if isinstance(at, tuple) else dict(at)
        provenance = None if moves is None else tuple(sorted(moves.items(), key=lambda item: -len(item[0])))
        return Document(data=data, origin=self.origin, raw=None, changed=True, derived_from=self, note=note,
                        provenance=provenance)

    def input_path(self, path: FieldPath) -> FieldPath | None:
        """`path` in this object as the path in `input` its value comes from; None when a stage
        that created one of the objects in between did not say where (no `at`)."""
        doc: Document = self
        found: FieldPath | None = path
        while doc.derived_from is not None and found is not None:
            found = _moved(doc.provenance or (), found)
            doc = doc.derived_from
        return found


def _moved(provenance: tuple[tuple[FieldPath, FieldPath], ...], path: FieldPath) -> FieldPath | None:
    for prefix, source in provenance:  # longest prefix first
        if path[:len(prefix)] == prefix:
            return source + path[len(prefix):]
    return None
