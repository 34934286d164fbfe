"""The API versions Kruise v1.9.0 serves, per kind (its config/crd/bases).

A stage renders only these versions; any other `*.kruise.io` version reaches the `unrenderable`
stage, which says which versions exist.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kruise_render.context import Context
from kruise_render.diagnostics import FieldPath
from kruise_render.document import Document, Provenance
from kruise_render.k8s.identity import group_of

# What a stage makes of one object: (new object, note for --report) pairs.
Expansion = list[tuple[dict[str, Any], str]]

SERVED: dict[tuple[str, str], tuple[str, ...]] = {
    ("apps.kruise.io", "AdvancedCronJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "BroadcastJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "CloneSet"): ("v1alpha1",),
    ("apps.kruise.io", "ContainerRecreateRequest"): ("v1alpha1",),
    ("apps.kruise.io", "DaemonSet"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "EphemeralJob"): ("v1alpha1",),
    ("apps.kruise.io", "ImageListPullJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "ImagePullJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "NodeImage"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "NodePodProbe"): ("v1alpha1",),
    ("apps.kruise.io", "PersistentPodState"): ("v1alpha1",),
    ("apps.kruise.io", "PodProbeMarker"): ("v1alpha1",),
    ("apps.kruise.io", "ResourceDistribution"): ("v1alpha1",),
    ("apps.kruise.io", "SidecarSet"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "StatefulSet"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "UnitedDeployment"): ("v1alpha1",),
    ("apps.kruise.io", "WorkloadSpread"): ("v1alpha1",),
    ("policy.kruise.io", "PodUnavailableBudget"): ("v1alpha1",),
}


def is_served(api_version: str, kind: str) -> bool:
    """`api_version` is a version Kruise v1.9.0 serves for `kind`."""
    group, _, version = api_version.rpartition("/")
    return version in SERVED.get((group, kind), ())


def served_versions(api_version: str, kind: str) -> tuple[str, ...]:
    return SERVED.get((group_of(api_version), kind), ())


def expand_each(
    docs: list[Document], ctx: Context, group: str, kind: str,
    expand: Callable[[Document, Context], Expansion], nothing: str, at: FieldPath | Provenance | None = None,
) -> list[Document]:
    """Each served `group`/`kind` object replaced by the objects `expand` makes of it, in place.

    When `expand` makes none, the object is consumed with the reason `nothing` (unless `expand`
    consumed it with a better one); other objects pass untouched. `at`: where the new objects'
    data lies in the object they are made of (Document.derive).
    """
    out: list[Document] = []
    for doc in docs:
        if doc.kind != kind or group_of(doc.api_version) != group or not is_served(doc.api_version, kind):
            out.append(doc)
            continue
        made = expand(doc, ctx)
        if not made and id(doc.input) not in ctx.consumed:
            ctx.consume(doc, nothing)
        out.extend(doc.derive(data, note, at) for data, note in made)
    return out


def convert_each(
    docs: list[Document], ctx: Context, group: str, kind: str,
    convert: Callable[[Document, Context], dict[str, Any] | None], note: str, nothing: str,
    at: FieldPath | Provenance | None = None,
) -> list[Document]:
    """`expand_each` for a one-to-one conversion: `convert` returns the new object (written with
    `note`) or None after reporting why."""
    def expand(doc: Document, ctx: Context) -> Expansion:
        made = convert(doc, ctx)
        return [] if made is None else [(made, note)]

    return expand_each(docs, ctx, group, kind, expand, nothing, at)
