"""Rendered objects of two sides, matched by identity (API group, kind, namespace, name) and
classified: added, removed, changed (how), or unchanged (only counted).

The API version is not part of the identity: `apps/v1beta2` and `apps/v1` name one object to the
apiserver, so a version change is a change of that object (its `apiVersion` field).
"""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render.diff import fields, immutable, workloads
from kruise_render.diff.model import ADDED, CHANGED, REMOVED, Key, ObjectChange, key_of
from kruise_render.document import Document
from kruise_render.k8s.podtemplate import template_paths


def match(base: Sequence[Document], head: Sequence[Document], target: str | None = None) -> tuple[list[ObjectChange], int]:
    """The changed objects (sorted by namespace, kind, name) and how many are unchanged."""
    base_by_key = _index(base)
    head_by_key = _index(head)
    changes: list[ObjectChange] = []
    unchanged = 0
    for slot, new in head_by_key.items():
        old = base_by_key.get(slot)
        if old is None:
            changes.append(ObjectChange(slot[0], ADDED, None, new, target))
        elif _same(old, new):
            unchanged += 1
        else:
            changes.append(classify(ObjectChange(slot[0], CHANGED, old, new, target)))
    changes.extend(ObjectChange(slot[0], REMOVED, old, None, target)
                   for slot, old in base_by_key.items() if slot not in head_by_key)
    changes.sort(key=lambda c: (c.target or "", c.namespace or "", c.kind, c.name, c.key[0]))
    return changes, unchanged


def _same(old: Document, new: Document) -> bool:
    """The same object on both sides: the same text (then not even read), else the same data."""
    text = old.held_text
    if text is not None and text == new.held_text:
        return True
    return old.data == new.data


def _index(docs: Sequence[Document]) -> dict[tuple[Key, int], Document]:
    """By identity and occurrence: a second object with one identity (the render refuses that,
    but a library caller may hand in anything) is matched with the second one of the other side."""
    out: dict[tuple[Key, int], Document] = {}
    seen: dict[Key, int] = {}
    for doc in docs:
        key = key_of(doc)
        seen[key] = seen.get(key, -1) + 1
        out[(key, seen[key])] = doc
    return out


def classify(change: ObjectChange) -> ObjectChange:
    """Fill in what a changed object's change does: rollout, replicas, metadata only, replace."""
    assert change.base is not None and change.head is not None
    old, new = change.base.data, change.head.data
    group, kind = change.key[0], change.key[1]
    change.fields = fields.compare(old, new)
    paths = template_paths(change.head.api_version, kind)
    change.template_changed = any(fields.starts_with(f.path, tuple(p)) for f in change.fields for p in paths)
    change.metadata_only = all(f.path[:1] == ("metadata",) for f in change.fields)
    before, after = workloads.replicas(group, kind, old), workloads.replicas(group, kind, new)
    if before != after:
        change.replicas = (before, after)
    change.needs_replace = immutable.refused(group, kind, old, new, change.fields)
    if change.template_changed:
        change.rollout = workloads.rollout(group, kind, new)
    return change
