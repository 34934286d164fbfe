"""One Kubernetes object in the stream, with where it came from and its exact source text.

A document that no stage changes is written back from `raw`, byte for byte. A stage that edits
`data` calls `mark_changed()`; the writer then edits `raw` so that comments and key order stay.
An object a stage creates (`derive`) has no text of its own: it records where in its source
its data lies, so that a message about it points at a line and a field path of the input file.

A document read from text may be held as that text only (`Document.from_text`): the reader
checked that it loads, and its identity (`look`) came from the same check. Its data is built on
first use, and an unchanged document can drop its data again (`release`): most documents of a
stream (Services, ConfigMaps, Secrets, ...) are needed by no stage, and holding them as Python
data costs about five times their text (docs/performance.md, "Memory").
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kruise_render.diagnostics import FieldPath
from kruise_render.k8s.identity import ResourceId, resource_id
from kruise_render.record import FrozenRecord

if TYPE_CHECKING:
    from kruise_render.options import Limits

# Where the fields of a derived object lie in the object it was derived from, as
# {prefix in the derived object: prefix in the source}; the longest matching prefix applies.
# A UnitedDeployment subset: {(): ("spec", "template", "deploymentTemplate"),
# ("metadata", "name"): ("metadata", "name")} (its name comes from the UnitedDeployment's).
Provenance = Mapping[FieldPath, FieldPath]
# (path of a pod template in the object, its labels): as k8s/podtemplate.py finds them.
TemplateLabels = tuple[tuple[tuple[str, ...], Mapping[str, str]], ...]


class Origin(FrozenRecord):
    __slots__ = ("container", "context", "file", "index", "line", "prefix", "start_line")
    file: str  # path as given, or "<stdin>"
    line: int  # 1-based line of the document's first content line
    index: int  # 0-based position of the document among the objects of its file
    start_line: int  # 1-based line where the document's text (`raw`) begins
    # An item of a `kind: List` or JSON array has no text of its own: the enclosing document's
    # text and the item's path in it, so that messages still point at the offending line.
    container: str | None
    prefix: tuple[str | int, ...]
    # Read from a --context path: it informs the render and is never written.
    context: bool

    def __init__(self, file: str, line: int, index: int, start_line: int = 1, container: str | None = None,
                 prefix: tuple[str | int, ...] = (), context: bool = False) -> None:
        self._init(file, line, index, start_line, container, prefix, context)


class Document:
    __slots__ = ("_data", "_limits", "_look", "_node", "_templates", "_text", "changed", "derived_from", "note", "origin",
                 "provenance", "raw")

    def __init__(
        self,
        data: dict[str, Any],
        origin: Origin,
        raw: str | None = None,  # exact source text, including a leading `---` line if it had one
        changed: bool = False,
        derived_from: Document | None = None,  # the input object a created object comes from
        note: str | None = None,  # what a stage did to it, for --report and KRM results
        # Where `data` lies in `derived_from`: (derived prefix, source prefix), longest first; None: unknown.
        provenance: tuple[tuple[FieldPath, FieldPath], ...] | None = None,
        *,
        limits: Limits | None = None,  # what `raw` was read under: it may be built again from it
    ) -> None:
        self._data: dict[str, Any] | None = data
        self._look: ResourceId | None = None  # the identity while `_data` is not built
        self._templates: TemplateLabels | None = None  # (path, labels) of its pod templates, read off its text
        self._node: Any = None  # codec.Built: the node tree and data as built, while `_data` is held (yaml/edit.py)
        self._text: str | None = None  # its output text, once made (settle)
        self._limits = limits
        self.origin = origin
        self.raw = raw
        self.changed = changed
        self.derived_from = derived_from
        self.note = note
        self.provenance = provenance

    @classmethod
    def from_text(cls, raw: str, origin: Origin, look: ResourceId, limits: Limits,
                  templates: TemplateLabels | None = None) -> Document:
        """A document held as its text: `raw` loads under `limits` (the reader checked it) into
        an object whose identity is `look`, with these pod template labels when known."""
        doc = cls.__new__(cls)
        doc._data, doc._look, doc._limits, doc._templates = None, look, limits, templates
        doc._node, doc._text = None, None
        doc.origin, doc.raw, doc.changed, doc.derived_from, doc.note, doc.provenance = origin, raw, False, None, None, None
        return doc

    @property
    def data(self) -> dict[str, Any]:
        data = self._data
        if data is None:
            data = self._data = self._load(keep_node=False)
        return data

    @data.setter
    def data(self, value: dict[str, Any]) -> None:
        self._data = value

    def editable(self) -> dict[str, Any]:
        """`data`, for a stage about to edit it and settle it right after: built with its node
        tree kept, which the writer's splice then reuses instead of composing the text again."""
        data = self._data
        if data is None:
            data = self._data = self._load(keep_node=True)
        return data

    @property
    def held_text(self) -> str | None:
        """The text this document is written as, while its data is not built: what the data would
        be built from (the same text, the same data). None once the data is built."""
        if self._data is not None:
            return None
        return self._text if self._text is not None else self.raw

    @property
    def parsed(self) -> bool:
        """Whether `data` is built (reading it costs nothing more)."""
        return self._data is not None

    @property
    def held_templates(self) -> TemplateLabels | None:
        """(path, labels) of every pod template, read off the text of a document whose data is not
        built (k8s/podtemplate.template_labels); None when not known that way."""
        return self._templates if self._data is None else None

    def may_hold(self, text: str) -> bool:
        """False only when `text` (one line without spaces or quotes, such as an annotation key) is
        certainly no key or value of `data`: the text the data is (or would be) built from has no
        escape (no backslash) and does not contain it. Such a string can only be written literally
        on one line (plain or quoted; a line break folds into a space or stays a newline)."""
        if self._data is not None and (self.changed or self.raw is None):
            return True  # edited since it was read
        source = self.source_text
        return source is None or "\\" in source or text in source

    def release(self) -> None:
        """Drop the data of an unchanged document read from text; it is built again if asked for."""
        if self._data is not None and self._limits is not None and self.raw is not None and not self.changed:
            self._look = resource_id(self._data)
            self._data = self._node = None

    def settle(self, text: str) -> None:
        """Keep `text` as the document's output (what the writer made of its data now, when no
        later stage edits it) and drop the data: built again from `text` if anyone asks."""
        if self._data is not None and self._limits is not None:
            self._look = resource_id(self._data)
            self._text = text
            self._data = self._node = self._templates = None

    @property
    def settled(self) -> str | None:
        """The output text `settle` kept, while the data has not been built again since."""
        return self._text if self._data is None else None

    @property
    def source_text(self) -> str | None:
        """The text an edit of the data applies to: the output settled earlier, else `raw`."""
        return self._text if self._text is not None else self.raw

    @property
    def node(self) -> Any:
        """`codec.Built`: the node tree (PyYAML, with marks into `source_text`) the data was built
        from and a copy of the data as built, if held."""
        return self._node

    def _load(self, keep_node: bool) -> dict[str, Any]:
        from kruise_render.diagnostics import InternalError
        from kruise_render.yaml import codec  # the reader's loader; document.py stays below it

        text = self._text if self._text is not None else self.raw
        if text is None or self._limits is None:
            raise InternalError(f"{self.origin.file}:{self.origin.line}: a document without data or text")
        try:
            if keep_node:  # what the reader vouched loads under these limits (yaml/look.py)
                node, data = codec.compose_and_load(text)
                if node is not None:
                    self._node = codec.built(node, data)
            else:
                data = codec.load(text, self._limits)
        except codec.YamlProblem as exc:
            raise InternalError(f"{self.origin.file}:{self.origin.line}: no longer reads: {exc}") from None
        if not isinstance(data, dict):
            raise InternalError(f"{self.origin.file}:{self.origin.line}: no longer reads as an object")
        return data

    def __repr__(self) -> str:
        return f"Document({self.id}, {self.origin.file}:{self.origin.line}{', changed' if self.changed else ''})"

    @property
    def id(self) -> ResourceId:
        data = self._data
        return resource_id(data) if data is not None else self._held()

    @property
    def api_version(self) -> str:
        data = self._data
        if data is not None:
            return str(data.get("apiVersion") or "")
        look = self._look
        return look.api_version if look is not None else self._held().api_version

    @property
    def kind(self) -> str:
        data = self._data
        if data is not None:
            return str(data.get("kind") or "")
        look = self._look
        return look.kind if look is not None else self._held().kind

    def _held(self) -> ResourceId:
        """The identity of a document held as text (from_text, release): one of the two is set."""
        look = self._look
        if look is None:
            from kruise_render.diagnostics import InternalError

            raise InternalError(f"{self.origin.file}:{self.origin.line}: a document without data or identity")
        return look

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
