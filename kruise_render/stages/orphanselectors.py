"""Stages `orphanselectors.record` and `orphanselectors`: a Service or PodDisruptionBudget whose
selector matched a pod template of the input but matches none of the output gets a warning.

Why: rendering can change pod labels (a UnitedDeployment subset patch, a template kustomize did
not know how to label), and a Service that selects no pod fails silently: no error anywhere,
just no endpoints. Both ends are compared in the same namespace with Kubernetes' selector rules;
an empty selector (a Service without one selects nothing; a policy/v1 PDB with `{}` selects
every pod) says nothing about this application and is skipped.

The input's pod templates are recorded right after validation, before any stage runs, so that
a stage editing a template in place cannot hide the change from the comparison. Only what can
differ is compared: a template of an input object that stands unchanged in the output is on both
sides, so a selector can only lose its pods to the templates that changed or went away (the
"vanished" ones). The documents nothing changed are not read for this (most of a stream is held
as text, docs/performance.md), and the Services and PDBs only when a template vanished.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s import selectors
from kruise_render.k8s.podtemplate import pod_templates, template_paths
from kruise_render.obj import get_map, string_map

_KEY = "orphanselectors"
Template = tuple[str, tuple[tuple[str, str], ...]]  # (namespace, pod labels sorted)


def record(docs: list[Document], ctx: Context) -> list[Document]:
    """The pod templates of every input already read; one held as text is read again from its
    text if a stage changes it (its text is the input as it was)."""
    recorded = {id(doc): _templates(doc, ctx) for doc in docs if doc.parsed and _has_templates(doc)}
    ctx.scratch[_KEY] = (list(docs), recorded)
    return docs


def run(docs: list[Document], ctx: Context) -> list[Document]:
    found: tuple[list[Document], dict[int, list[Template]]] | None = ctx.scratch.get(_KEY)
    if found is None:
        return docs
    vanished, uncovered = _vanished(*found, docs, ctx)
    if not vanished:
        return docs
    after: list[Template] | None = None
    for doc in docs:
        service = doc.api_version == "v1" and doc.kind == "Service"
        if not service and not (doc.api_version.startswith("policy/") and doc.kind == "PodDisruptionBudget"):
            continue
        # A Service selects by labels only: a template whose labels another template of the same
        # object still has, and more, loses it no pod (a UnitedDeployment subset adds its own).
        lost = uncovered if service else vanished
        if not lost:
            continue
        selector = _selector(doc)
        if selector is None:
            continue
        namespace = ctx.namespace_of(doc)
        if not _matches_any(selector, namespace, lost):
            continue
        if after is None:
            after = [t for out in docs if _has_templates(out) for t in _templates(out, ctx)]
        if not _matches_any(selector, namespace, after):
            ctx.warning(doc, ("spec", "selector"), f"the selector {selectors.describe(selector)} matched pod "
                        "templates of the input but matches no pod template of the rendered output: "
                        f"this {doc.kind} will select no pod (were the workload's pod labels changed?)", codes.SELECTS_NOTHING)
    return docs


def _vanished(inputs: list[Document], recorded: dict[int, list[Template]], docs: list[Document],
              ctx: Context) -> tuple[list[Template], list[Template]]:
    """Templates of the input that no output object has any more, as a multiset difference per
    input object (what it had before against what the objects standing for it have now); and of
    those, the ones no template of the same object has a superset of the labels of."""
    standing: dict[int, list[Document]] = {}
    for doc in docs:
        standing.setdefault(id(doc.input), []).append(doc)
    gone: list[Template] = []
    uncovered: list[Template] = []
    for doc in inputs:
        outs = standing.get(id(doc), [])
        if outs == [doc] and not doc.changed:
            continue  # on both sides alike
        before = recorded.get(id(doc))
        if before is None:
            before = _templates_as_read(doc, ctx)
        if not before:
            continue
        after = [t for out in outs if _has_templates(out) for t in _templates(out, ctx)]
        now = Counter(after)
        for template in before:
            if now[template] > 0:
                now[template] -= 1
                continue
            gone.append(template)
            namespace, labels = template
            if not any(ns == namespace and set(labels) <= set(more) for ns, more in after):
                uncovered.append(template)
    return gone, uncovered


def _templates_as_read(doc: Document, ctx: Context) -> list[Template]:
    """The templates `doc` had in the input: from its text (data-only documents were recorded)."""
    if doc.raw is None or not _has_templates(doc):
        return []
    return _templates(Document.from_text(doc.raw, doc.origin, doc.id, ctx.options.limits), ctx)


def _has_templates(doc: Document) -> bool:
    return bool(template_paths(doc.api_version, doc.kind))


def _templates(doc: Document, ctx: Context) -> list[Template]:
    namespace = ctx.namespace_of(doc)
    return [(namespace, tuple(sorted(string_map(ref.labels).items()))) for ref in pod_templates(doc.data)]


def _selector(doc: Document) -> dict[str, Any] | None:
    """The Service's or PDB's selector as a LabelSelector; None when absent, empty or malformed."""
    spec = get_map(doc.data, "spec")
    if doc.kind == "Service":
        labels = string_map(spec.get("selector"))
        return {"matchLabels": labels} if labels else None
    selector = spec.get("selector")
    if not isinstance(selector, dict) or selectors.is_empty(selector):
        return None
    try:
        selectors.validate(selector)
    except selectors.SelectorError:
        return None
    return selector


def _matches_any(selector: Mapping[str, Any], namespace: str, templates: list[Template]) -> bool:
    return any(ns == namespace and selectors.matches(selector, dict(labels)) for ns, labels in templates)
