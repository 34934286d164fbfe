"""Where the pod template lives in every workload kind: the one table every stage asks.

A "pod template" here is a mapping with `metadata` and `spec` (a PodTemplateSpec); for a bare Pod
it is the object itself.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kruise_render.k8s.identity import group_of, labels_of
from kruise_render.obj import Obj, ensure_map
from kruise_render.record import FrozenRecord

if TYPE_CHECKING:  # document.py is above this module
    from kruise_render.document import Document

PathT = tuple[str, ...]

_T = ("spec", "template")
_JOB_T = ("spec", "jobTemplate", "spec", "template")

# (API group, kind) -> paths of the pod templates in that kind. Versions do not matter.
TEMPLATE_PATHS: dict[tuple[str, str], tuple[PathT, ...]] = {
    ("", "Pod"): ((),),
    ("", "PodTemplate"): (("template",),),
    ("", "ReplicationController"): (_T,),
    ("apps", "Deployment"): (_T,),
    ("apps", "ReplicaSet"): (_T,),
    ("apps", "StatefulSet"): (_T,),
    ("apps", "DaemonSet"): (_T,),
    ("extensions", "Deployment"): (_T,),
    ("extensions", "ReplicaSet"): (_T,),
    ("extensions", "DaemonSet"): (_T,),
    ("batch", "Job"): (_T,),
    ("batch", "CronJob"): (_JOB_T,),
    ("apps.kruise.io", "CloneSet"): (_T,),
    ("apps.kruise.io", "StatefulSet"): (_T,),  # Advanced StatefulSet, v1alpha1 and v1beta1
    ("apps.kruise.io", "DaemonSet"): (_T,),  # Advanced DaemonSet, v1alpha1 and v1beta1
    ("apps.kruise.io", "BroadcastJob"): (_T,),
    ("apps.kruise.io", "AdvancedCronJob"): (
        ("spec", "template", "jobTemplate", "spec", "template"),
        ("spec", "template", "broadcastJobTemplate", "spec", "template"),
    ),
    ("apps.kruise.io", "UnitedDeployment"): tuple(
        ("spec", "template", key, "spec", "template")
        for key in ("statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate", "deploymentTemplate")
    ),
}

# UnitedDeployment template key -> (apiVersion, kind) of the subset workload it creates.
UNITED_DEPLOYMENT_TEMPLATES: dict[str, tuple[str, str]] = {
    "statefulSetTemplate": ("apps/v1", "StatefulSet"),
    "advancedStatefulSetTemplate": ("apps.kruise.io/v1beta1", "StatefulSet"),
    "cloneSetTemplate": ("apps.kruise.io/v1alpha1", "CloneSet"),
    "deploymentTemplate": ("apps/v1", "Deployment"),
}


class PodTemplateRef(FrozenRecord):
    __slots__ = ("path", "template")
    path: PathT
    template: dict[str, Any]  # the live mapping inside the object: edits go straight into it

    def __init__(self, path: PathT, template: dict[str, Any]) -> None:
        self._init(path, template)

    @property
    def labels(self) -> Mapping[str, Any]:
        return labels_of(self.template)


def template_paths(api_version: str, kind: str) -> tuple[PathT, ...]:
    return TEMPLATE_PATHS.get((group_of(api_version), kind), ())


def pod_templates(obj: Mapping[str, Any]) -> Iterator[PodTemplateRef]:
    """Every pod template present in `obj` (paths whose parts are all mappings)."""
    for path in template_paths(str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")):
        node: object = obj
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            yield PodTemplateRef(path, node)


def template_labels(doc: Document) -> list[tuple[PathT, Mapping[str, Any]]]:
    """(path, labels) of every pod template of `doc`, as `pod_templates` finds them; read off its
    text when the reader could (the document's data is then not built for it)."""
    held = doc.held_templates
    if held is not None:
        return list(held)
    if not template_paths(doc.api_version, doc.kind):
        return []
    return [(ref.path, ref.labels) for ref in pod_templates(doc.data)]


def template_at(doc: Document, path: PathT) -> PodTemplateRef | None:
    """The live pod template of `doc` at `path` (its data built if needed), or None."""
    for ref in pod_templates(doc.data):
        if ref.path == path:
            return ref
    return None


def ensure_template_parts(template: Obj) -> tuple[Obj, Obj]:
    """The template's metadata and spec mappings, created empty if absent (for stages that add)."""
    return ensure_map(template, "metadata"), ensure_map(template, "spec")
