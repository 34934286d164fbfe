"""What `kruise-render explain` reports: for every pod template, every SidecarSet, matched or
not and why, as the SidecarSet stage would judge it.

The pipeline's stages that come before `sidecarset` run first, so UnitedDeployment subsets and
converted workloads are explained as the stage will see them; then the very matcher the stage
uses (kruise_render/sidecarset/plan.py, match.py) judges each template. Nothing is injected.
Each SidecarSet says where it came from: an input file, or a context file (--context), and its line.
"""
from __future__ import annotations

import dataclasses
import itertools

from kruise_render import contextobjects, pipeline
from kruise_render.context import Context
from kruise_render.diagnostics import Problem, has_errors
from kruise_render.document import Document
from kruise_render.k8s.identity import ResourceId
from kruise_render.sidecarset import plan
from kruise_render.yaml.positions import line_of


@dataclasses.dataclass(frozen=True)
class Verdict:
    sidecarset: str
    matched: bool
    reason: str  # sidecarset/match.py's reason: matched, or which check failed
    detail: str  # the same for a reader


@dataclasses.dataclass(frozen=True)
class PodTemplate:
    object: ResourceId  # the object as the SidecarSet stage sees it (a subset, a converted workload)
    file: str
    line: int  # where the template is written in the input
    path: tuple[str, ...]  # where the template is in `object`; () for a Pod
    namespace: str  # the namespace its Pods are created in
    labels: dict[str, str]
    injection_order: list[str]  # the matched SidecarSets, in the order they would be injected
    verdicts: list[Verdict]  # every valid SidecarSet


@dataclasses.dataclass(frozen=True)
class SidecarSetSource:
    """Where a SidecarSet was read: the input, or the context (--context), at `file`:`line`."""

    name: str
    context: bool
    file: str
    line: int


@dataclasses.dataclass
class Explanation:
    sidecarsets: list[str]  # the valid SidecarSets, by name
    templates: list[PodTemplate]
    problems: list[Problem]
    sources: list[SidecarSetSource] = dataclasses.field(default_factory=list)  # of `sidecarsets`, in order

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def explain(documents: list[Document], ctx: Context) -> Explanation:
    contextobjects.load(ctx, documents)
    before = tuple(itertools.takewhile(lambda stage: stage[0] != "sidecarset", pipeline.STAGES))
    documents = pipeline.run(documents, ctx, before)
    sidecarsets, _ = plan.load_sidecarsets(documents, ctx)
    templates = [_template(item) for item in plan.templates(documents, sidecarsets, ctx)]
    ordered = sorted(sidecarsets, key=lambda s: s.name)
    sources = [SidecarSetSource(s.name, s.doc.origin.context, s.doc.origin.file, s.doc.origin.line) for s in ordered]
    return Explanation([s.name for s in ordered], templates, ctx.problems, sources)


def _template(item: plan.Template) -> PodTemplate:
    doc = item.doc
    source = doc.input
    written = doc.input_path(item.path)  # a created object's template: where it came from
    return PodTemplate(
        object=doc.id,
        file=source.origin.file,
        line=source.origin.line if written is None else line_of(source, written),
        path=item.path,
        namespace=item.namespace,
        labels={str(k): str(v) for k, v in item.labels.items()},
        injection_order=[s.name for s in item.matched],
        verdicts=[Verdict(v.sidecarset.name, v.matched, v.reason, v.detail) for v in item.verdicts],
    )
