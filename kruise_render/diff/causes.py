"""Why each rendered object changed: the input objects behind it that changed.

The render keeps provenance, and this module only reads it:
- every rendered object knows the input it stands for (`Document.input`): itself for a native
  object ("own change"), the UnitedDeployment of a subset, the CloneSet or Advanced StatefulSet
  it was converted from, the workload a WorkloadSpread split;
- an injected pod template carries Kruise's `kruise.io/sidecarset-hash` annotation, one entry
  per SidecarSet with the hash of its containers (sidecarset/annotations.py): an entry that
  appears, disappears or changes names the SidecarSet. A SidecarSet change outside its
  containers (volumes, metadata patches) leaves the hash alone; it is named when it is the only
  changed input injected into that template;
- a WorkloadSpread subset's pod template carries `apps.kruise.io/matched-workloadspread`.
Inputs are compared as written (their source text, parsed again), not as the render left them.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kruise_render.diagnostics import Problem, Severity
from kruise_render.diff import fields
from kruise_render.diff.model import ADDED, CHANGED, REMOVED, UNCHANGED, Cause, Key, ObjectChange, key_of
from kruise_render.document import Document
from kruise_render.k8s.identity import annotations_of, group_of, is_kruise
from kruise_render.k8s.podtemplate import pod_templates
from kruise_render.options import Limits
from kruise_render.sidecarset import annotations as sidecar_annotations
from kruise_render.yaml import reader

SIDECARSET = ("apps.kruise.io", "SidecarSet")
WORKLOADSPREAD = ("apps.kruise.io", "WorkloadSpread")
MATCHED_WORKLOADSPREAD = "apps.kruise.io/matched-workloadspread"


class Inputs:
    """The input objects of both sides, by identity, with their change status computed once."""

    def __init__(self, base: Iterable[Document], base_keys: Mapping[int, Key], head: Iterable[Document],
                 head_keys: Mapping[int, Key], limits: Limits) -> None:
        self.written_keys = {**base_keys, **head_keys}
        self.base = _first_by_key(base, base_keys)
        self.head = _first_by_key(head, head_keys)
        self.limits = limits
        self._status: dict[Key, str] = {}
        self._names: dict[tuple[str, str, str], list[Key]] = {}
        for key in (*self.base, *self.head):
            self._names.setdefault((key[0], key[1], key[3]), []).append(key)

    def status(self, key: Key) -> str:
        if key not in self._status:
            old, new = self.base.get(key), self.head.get(key)
            if old is None and new is None:
                self._status[key] = CHANGED  # not an input (a context object): its effect shows it changed
            elif old is None or new is None:
                self._status[key] = ADDED if old is None else REMOVED
            else:
                self._status[key] = UNCHANGED if _same_text(old, new) or self.written(old) == self.written(new) else CHANGED
        return self._status[key]

    def find(self, group: str, kind: str, name: str, namespace: str | None = None) -> Key | None:
        """An input by name; a namespaced lookup also accepts the input written without one."""
        found = self._names.get((group, kind, name), [])
        for key in found:
            if namespace is None or key[2] in (namespace, None):
                return key
        return None

    def key(self, doc: Document) -> Key:
        """An input's identity as written (a CloneSet converted in place is still the CloneSet)."""
        return self.written_keys.get(id(doc)) or key_of(doc)

    def written(self, doc: Document) -> Any:
        """The input as its source says, before any stage edited it in place."""
        text = doc.raw if doc.raw is not None else doc.origin.container
        if text is None:
            return doc.data
        docs, _ = reader.parse(reader.Source(doc.origin.file, text), self.limits)
        for parsed in docs:
            if doc.raw is not None or parsed.origin.prefix == doc.origin.prefix:
                return parsed.data
        return doc.data

    def fields(self, key: Key) -> list[fields.FieldChange]:
        old, new = self.base.get(key), self.head.get(key)
        if old is None or new is None:
            return []
        return fields.compare(self.written(old), self.written(new))

    def changed_kruise(self) -> list[Key]:
        """Every Kruise input that differs between the sides, in input order."""
        keys = [k for k in (*self.base, *(k for k in self.head if k not in self.base))
                if is_kruise(_api_version(self, k)) and self.status(k) != UNCHANGED]
        return keys


def attribute(changes: Sequence[ObjectChange], inputs: Inputs, head_problems: Sequence[Problem]) -> list[Cause]:
    """Fill in `own_change`/`causes` of every change; the causes, each with its objects.

    Changed Kruise inputs that changed nothing rendered are causes too (with no objects): a
    reviewer should learn that a CloneSet partition edit renders to nothing native.
    """
    causes: dict[Key, Cause] = {}
    for change in changes:
        for key in _causes_of(change, inputs):
            if _is_own(change, key, inputs):
                change.own_change = True
            elif key not in change.causes:
                change.causes.append(key)
        for key in change.causes:
            _cause(causes, key, inputs).objects.append(change)
    for key in inputs.changed_kruise():
        _cause(causes, key, inputs)
    for cause in causes.values():
        cause.warnings = _warnings(cause.key, head_problems)
    return sorted(causes.values(), key=lambda c: (-len(c.objects), c.key[1], c.key[2] or "", c.key[3]))


def _is_own(change: ObjectChange, key: Key, inputs: Inputs) -> bool:
    """The object is its own input as written (a native object, not one a stage converted)."""
    return any(doc is not None and doc.derived_from is None and inputs.key(doc) == key == change.key
               for doc in (change.base, change.head))


def _causes_of(change: ObjectChange, inputs: Inputs) -> list[Key]:
    found: list[Key] = []
    for doc in (change.base, change.head):
        if doc is not None:
            key = inputs.key(doc.input)
            if key not in found and inputs.status(key) != UNCHANGED:
                found.append(key)
    found.extend(k for k in _sidecarsets(change, inputs, bool(found)) if k not in found)
    found.extend(k for k in _workloadspreads(change, inputs) if k not in found)
    if all(inputs.status(k) == UNCHANGED for k in found) and change.namespace is not None:
        namespace = inputs.find("", "Namespace", change.namespace)
        if namespace is not None and inputs.status(namespace) != UNCHANGED:
            found.append(namespace)  # its labels decide which SidecarSets select the pods
    return found


def _sidecarsets(change: ObjectChange, inputs: Inputs, explained: bool) -> list[Key]:
    if not change.template_changed or change.base is None or change.head is None:
        return []
    old, new = _template_annotations(change.base.data), _template_annotations(change.head.data)
    found: list[Key] = []
    injected: set[str] = set()
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path, {}), new.get(path, {})
        hashes = (_hashes(before), _hashes(after))
        for name in sorted(set(hashes[0]) | set(hashes[1])):
            if hashes[0].get(name) != hashes[1].get(name):
                found.append(_sidecarset_key(name, inputs))
        for notes in (before, after):
            injected |= sidecar_annotations.injected_names(notes.get(sidecar_annotations.INJECTED_LIST))
    if not found and not explained:
        # Changes outside the hashed containers: only an injected SidecarSet that itself changed.
        found = [key for key in (_sidecarset_key(n, inputs) for n in sorted(injected)) if inputs.status(key) != UNCHANGED]
    return list(dict.fromkeys(found))


def _sidecarset_key(name: str, inputs: Inputs) -> Key:
    return inputs.find(*SIDECARSET, name) or (*SIDECARSET, None, name)


def _workloadspreads(change: ObjectChange, inputs: Inputs) -> list[Key]:
    found: list[Key] = []
    for doc in (change.base, change.head):
        for notes in _template_annotations(doc.data).values() if doc is not None else ():
            try:
                name = json.loads(notes.get(MATCHED_WORKLOADSPREAD) or "{}").get("name")
            except (ValueError, AttributeError):
                continue
            key = inputs.find(*WORKLOADSPREAD, str(name), change.namespace) if name else None
            if key is not None and key not in found and inputs.status(key) != UNCHANGED:
                found.append(key)
    return found


def _template_annotations(data: Mapping[str, Any]) -> dict[tuple[str, ...], Mapping[str, Any]]:
    return {ref.path: annotations_of(ref.template) for ref in pod_templates(data)}


def _hashes(notes: Mapping[str, Any]) -> dict[str, str]:
    try:
        entries = sidecar_annotations.parse_hashes(notes.get(sidecar_annotations.HASH), sidecar_annotations.HASH)
    except sidecar_annotations.AnnotationError:
        return {}
    return {name: str(entry.get("hash")) for name, entry in entries.items()}


def _cause(causes: dict[Key, Cause], key: Key, inputs: Inputs) -> Cause:
    if key not in causes:
        causes[key] = Cause(key, _api_version(inputs, key), inputs.status(key), inputs.fields(key))
    return causes[key]


def _api_version(inputs: Inputs, key: Key) -> str:
    doc = inputs.head.get(key) or inputs.base.get(key)
    return doc.api_version if doc is not None else (f"{key[0]}/" if key[0] else "")


def _warnings(key: Key, problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING and (p.kind, p.name, p.namespace) == (key[1], key[3], key[2])
            and group_of(p.api_version or "") == key[0]]


def _first_by_key(docs: Iterable[Document], keys: Mapping[int, Key]) -> dict[Key, Document]:
    out: dict[Key, Document] = {}
    for doc in docs:
        out.setdefault(keys.get(id(doc)) or key_of(doc), doc)
    return out


def _same_text(old: Document, new: Document) -> bool:
    """Same source text (and place in it): surely the same input, without parsing anything."""
    if old.raw is not None:
        return old.raw == new.raw
    return old.origin.container is not None and old.origin.container == new.origin.container \
        and old.origin.prefix == new.origin.prefix
