"""What `diff` found: per rendered object what changes, and the input objects that caused it."""
from __future__ import annotations

import dataclasses

from kruise_render.diagnostics import Problem
from kruise_render.diff.fields import FieldChange
from kruise_render.diff.workloads import Rollout
from kruise_render.document import Document
from kruise_render.k8s.identity import group_of, is_kruise

# (API group, kind, namespace, name): one object, whatever its API version.
Key = tuple[str, str, "str | None", str]

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


def key_of(doc: Document) -> Key:
    ident = doc.id
    return (group_of(ident.api_version), ident.kind, ident.namespace, ident.name)


def describe_key(key: Key) -> str:
    """`Deployment team-a/web`, `SidecarSet log-agent`, `Advanced StatefulSet data/db`."""
    group, kind, namespace, name = key
    if is_kruise(f"{group}/v") and kind in ("StatefulSet", "DaemonSet"):
        kind = f"Advanced {kind}"
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


@dataclasses.dataclass
class ObjectChange:
    key: Key
    change: str  # ADDED, REMOVED or CHANGED
    base: Document | None
    head: Document | None
    target: str | None = None  # the .kruise-render.yaml target (its output), when diffing targets
    fields: list[FieldChange] = dataclasses.field(default_factory=list)
    template_changed: bool = False
    rollout: Rollout | None = None  # what the pod template change does (when it changed)
    replicas: tuple[int | None, int | None] | None = None  # (base, head) when they differ
    metadata_only: bool = False
    needs_replace: list[str] = dataclasses.field(default_factory=list)
    own_change: bool = False  # the object's own input changed (a native object edited, added, removed)
    causes: list[Key] = dataclasses.field(default_factory=list)  # other input objects that changed it

    @property
    def api_version(self) -> str:
        doc = self.head or self.base
        return doc.api_version if doc is not None else ""

    @property
    def kind(self) -> str:
        return self.key[1]

    @property
    def namespace(self) -> str | None:
        return self.key[2]

    @property
    def name(self) -> str:
        return self.key[3]

    @property
    def rolls(self) -> bool:
        return self.rollout is not None and self.rollout.rolls

    @property
    def unexplained(self) -> bool:
        return self.change == CHANGED and not self.own_change and not self.causes


@dataclasses.dataclass
class Cause:
    """An input object that changed between the two sides, and the rendered objects it changed."""

    key: Key
    api_version: str
    status: str  # ADDED, REMOVED, CHANGED, or UNCHANGED (e.g. a SidecarSet that now selects more)
    fields: list[FieldChange] = dataclasses.field(default_factory=list)  # of the input as written
    objects: list[ObjectChange] = dataclasses.field(default_factory=list)
    warnings: list[Problem] = dataclasses.field(default_factory=list)  # the head render's, about this input


@dataclasses.dataclass(frozen=True)
class SideProblem:
    side: str  # "base" or "head"
    problem: Problem


@dataclasses.dataclass
class Diff:
    objects: list[ObjectChange] = dataclasses.field(default_factory=list)
    unchanged: int = 0
    causes: list[Cause] = dataclasses.field(default_factory=list)
    errors: list[SideProblem] = dataclasses.field(default_factory=list)
    warnings: list[SideProblem] = dataclasses.field(default_factory=list)
    base_label: str = "base"
    head_label: str = "head"

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def differs(self) -> bool:
        return bool(self.objects)

    def count(self, change: str) -> int:
        return sum(1 for o in self.objects if o.change == change)

    @property
    def rollouts(self) -> list[ObjectChange]:
        return [o for o in self.objects if o.rolls]

    @property
    def pods(self) -> int:
        return sum(o.rollout.pods or 0 for o in self.rollouts if o.rollout is not None)

    @property
    def every_node(self) -> int:
        return sum(1 for o in self.rollouts if o.rollout is not None and o.rollout.every_node)

    @property
    def needs_replace(self) -> list[ObjectChange]:
        return [o for o in self.objects if o.needs_replace]


def combine(diffs: list[Diff]) -> Diff:
    """Several diffs (one per target) as one: causes with the same input object merge."""
    out = Diff()
    by_key: dict[Key, Cause] = {}
    for diff in diffs:
        out.objects.extend(diff.objects)
        out.unchanged += diff.unchanged
        out.errors.extend(diff.errors)
        out.warnings.extend(diff.warnings)
        for cause in diff.causes:
            if cause.key in by_key:
                by_key[cause.key].objects.extend(cause.objects)
            else:
                by_key[cause.key] = cause
                out.causes.append(cause)
    return out
