"""The SidecarSet stage's walk over the stream, shared by the stage and `kruise-render explain`:
load every SidecarSet once, then judge every pod template with `match.candidates`.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import InternalError, Severity
from kruise_render.document import Document
from kruise_render.k8s.podtemplate import PathT, template_at, template_labels, template_paths
from kruise_render.kinds import SIDECARSET
from kruise_render.obj import Obj
from kruise_render.record import Record
from kruise_render.sidecarset import conflicts, match, whitelist
from kruise_render.sidecarset.model import SidecarSet, load


class Template(Record):
    __slots__ = ("doc", "labels", "namespace", "path", "verdicts")
    doc: Document
    path: PathT  # where in `doc` (podtemplate.TEMPLATE_PATHS)
    labels: Mapping[str, Any]
    namespace: str
    verdicts: list[match.Verdict]

    def __init__(self, doc: Document, path: PathT, labels: Mapping[str, Any], namespace: str,
                 verdicts: list[match.Verdict]) -> None:
        self._init(doc, path, labels, namespace, verdicts)

    @property
    def matched(self) -> list[SidecarSet]:
        return [v.sidecarset for v in self.verdicts if v.matched]

    @property
    def template(self) -> Obj:
        """The live pod template (edits go into the document): its data is built here if the
        labels were read off its text."""
        self.doc.editable()  # built with its node tree: the stage settles it once injected
        ref = template_at(self.doc, self.path)
        if ref is None:
            raise InternalError(f"{self.doc.id}: no pod template at {'.'.join(self.path)} any more")
        return ref.template


def load_sidecarsets(docs: list[Document], ctx: Context) -> tuple[list[SidecarSet], list[Document]]:
    """(valid SidecarSets, every SidecarSet document); problems are reported on ctx."""
    found: list[SidecarSet] = []
    documents = [d for d in docs if SIDECARSET.selects(d)]
    config = ctx.lookup.kruise_configuration()
    gate = ctx.options.gate(whitelist.GATE)
    names: set[str] = set()
    # Context SidecarSets (--context) after the input's: one with an input's name was dropped
    # when the context was read (the input wins).
    for doc in [*documents, *(d for d in ctx.lookup.context if SIDECARSET.selects(d))]:
        if doc.name in names:
            ctx.error(doc, ("metadata", "name"), f"SidecarSet {doc.name} is defined twice (SidecarSets are cluster-scoped)")
            continue
        names.add(doc.name)
        s = _load(doc, ctx, config, gate)
        if s is not None:
            found.append(s)
    rejected: set[str] = set()
    for s, problem in conflicts.problems(found):
        ctx.error(s.doc, problem.path, problem.message)
        rejected.add(s.name)  # Kruise would have refused to store it, so it injects nothing
    return [s for s in found if s.name not in rejected], documents


def _load(doc: Document, ctx: Context, config: Obj | None, gate: bool) -> SidecarSet | None:
    """One SidecarSet as Kruise would store it, or None (after reporting why not)."""
    if doc.namespace is not None:
        # A cluster-scoped object's namespace is cleared on create (kubernetes/kubernetes@v1.32.0:
        # staging/src/k8s.io/apiserver/pkg/registry/rest/create.go, BeforeCreate): it limits nothing.
        ctx.warning(doc, ("metadata", "namespace"), "ignored: SidecarSets are cluster-scoped, so the API server drops "
                    "metadata.namespace and this SidecarSet still injects into every namespace; to limit it, use "
                    "spec.namespace or spec.namespaceSelector", codes.SIDECARSET_NAMESPACE)
    loaded = load(doc)
    for problem in loaded.warnings:  # warnings first, then errors: the order messages have always had
        ctx.warning(doc, problem.path, problem.message)
    for problem in loaded.errors:
        ctx.error(doc, problem.path, problem.message)
    s = loaded.sidecarset
    if s is None:
        return None
    if s.historical_revision:
        ctx.error(doc, ("spec", "injectionStrategy", "revision"),
                  "injects a historical revision (a ControllerRevision in the Kruise namespace), which cannot be "
                  "rendered without the revision's content; remove injectionStrategy.revision to inject this spec")
        return None
    refused = whitelist.problem(s, config, gate)
    if refused is not None:
        severity, message = refused
        ctx.report(severity, doc, ("spec", "patchPodMetadata"), message)
        if severity is Severity.ERROR:
            return None
    for label in match.creation_time_keys(s.selector):
        ctx.warning(doc, ("spec", "selector"), f"selects on label {label}, which a controller adds only when it "
                    "creates the Pod: a pod template never has it, so it cannot match here")
    return s


def templates(docs: list[Document], sidecarsets: list[SidecarSet], ctx: Context) -> Iterator[Template]:
    """Every pod template outside the SidecarSets, with a verdict for every SidecarSet.

    Warns once per (SidecarSet, namespace), in stream order, when a namespaceSelector could only
    fail for want of the Namespace object (match.unknown_namespace_warning)."""
    known = ctx.lookup.namespaces()
    excluded = ctx.options.exclude_namespaces
    warned: set[tuple[str, str]] = set()
    for doc in docs:
        if SIDECARSET.selects(doc) or not template_paths(doc.api_version, doc.kind):
            continue  # the kind has no pod template: its data is not even read
        namespace = ctx.namespace_of(doc)
        for path, labels in template_labels(doc):  # off the document's text when the reader could
            verdicts = match.candidates(sidecarsets, namespace, labels, known, excluded)
            for verdict in verdicts:
                message = match.unknown_namespace_warning(verdict, namespace, known)
                if message is not None and (verdict.sidecarset.name, namespace) not in warned:
                    warned.add((verdict.sidecarset.name, namespace))
                    ctx.warning(verdict.sidecarset.doc, ("spec", "namespaceSelector"), message)
            yield Template(doc, path, labels, namespace, verdicts)
