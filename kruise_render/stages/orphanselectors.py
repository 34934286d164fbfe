"""Stages `orphanselectors.record` and `orphanselectors`: a Service or PodDisruptionBudget whose
selector matched a pod template of the input but matches none of the output gets a warning.

Why: rendering can change pod labels (a UnitedDeployment subset patch, a template kustomize did
not know how to label), and a Service that selects no pod fails silently: no error anywhere,
just no endpoints. Both ends are compared in the same namespace with Kubernetes' selector rules;
an empty selector (a Service without one selects nothing; a policy/v1 PDB with `{}` selects
every pod) says nothing about this application and is skipped.

The input's pod templates are recorded right after validation, before any stage runs, so that
a stage editing a template in place cannot hide the change from the comparison.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s import selectors
from kruise_render.k8s.podtemplate import pod_templates
from kruise_render.obj import get_map, string_map

_KEY = "orphanselectors"
Templates = list[tuple[str, dict[str, str]]]  # (namespace, pod labels)


def record(docs: list[Document], ctx: Context) -> list[Document]:
    ctx.scratch[_KEY] = _templates(docs, ctx)
    return docs


def run(docs: list[Document], ctx: Context) -> list[Document]:
    before: Templates | None = ctx.scratch.get(_KEY)
    if before is None:
        return docs
    after = _templates(docs, ctx)
    for doc in docs:
        selector = _selector(doc)
        if selector is None:
            continue
        namespace = ctx.namespace_of(doc)
        if _matches_any(selector, namespace, before) and not _matches_any(selector, namespace, after):
            ctx.warning(doc, ("spec", "selector"), f"the selector {selectors.describe(selector)} matched pod "
                        "templates of the input but matches no pod template of the rendered output: "
                        f"this {doc.kind} will select no pod (were the workload's pod labels changed?)", codes.SELECTS_NOTHING)
    return docs


def _templates(docs: Iterable[Document], ctx: Context) -> Templates:
    return [(ctx.namespace_of(doc), string_map(ref.labels)) for doc in docs for ref in pod_templates(doc.data)]


def _selector(doc: Document) -> dict[str, Any] | None:
    """The Service's or PDB's selector as a LabelSelector; None when absent, empty or malformed."""
    spec = get_map(doc.data, "spec")
    if doc.api_version == "v1" and doc.kind == "Service":
        labels = string_map(spec.get("selector"))
        return {"matchLabels": labels} if labels else None
    if doc.api_version.startswith("policy/") and doc.kind == "PodDisruptionBudget":
        selector = spec.get("selector")
        if not isinstance(selector, dict) or selectors.is_empty(selector):
            return None
        try:
            selectors.validate(selector)
        except selectors.SelectorError:
            return None
        return selector
    return None


def _matches_any(selector: Mapping[str, Any], namespace: str, templates: Templates) -> bool:
    return any(ns == namespace and selectors.matches(selector, labels) for ns, labels in templates)
