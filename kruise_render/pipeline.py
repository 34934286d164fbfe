"""The render pipeline, readable top to bottom: read → stages in a fixed order → write.

Order matters and is decided here only:
- with --expect-rendered, Kruise objects are flagged before anything else touches them;
- validation first, so no stage sees a malformed Kruise object;
- PodUnavailableBudget and WorkloadSpread look up their targets by the kinds the user wrote,
  so they run before any workload changes kind;
- UnitedDeployment (and WorkloadSpread) create CloneSets and Advanced StatefulSets, which the
  workload mappings then turn native: one mapping for both written and generated objects;
- references to converted workloads (an HPA's scaleTargetRef, a Rollout's workloadRef, ...)
  follow them once every workload stage has run; the identities they were written with are
  recorded first, as a conversion rewrites its object in place;
- Services or PodDisruptionBudgets that selected pods of the input but select none of the
  output are reported once every workload stage has run (their input side is recorded right
  after validation); SidecarSet injection, which comes later, never changes a pod label
  (sidecarset/inject.py), so the comparison is the same after it;
- SidecarSet injection runs after every pod template exists in its final native form, as the
  Kruise webhook sees Pods only after their controllers created them; it is the last stage that
  edits a document read from the input, so it can hand each one to the writer when done;
- objects created from others take their GitOps annotations (sync waves, hooks);
- then anything Kruise still left in the stream is reported, never passed silently;
- the kruise-render.io/allow-lossy annotation, read by the stages, is taken off every output;
- last, two output objects with one identity (a subset or converted workload landing on an
  object the input already has) are an error: `kubectl apply` would keep only one.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable

from kruise_render import kinds, lossy
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import group_of, is_kruise

Stage = Callable[[list[Document], Context], list[Document]]


def _stage(module: str, function: str = "run") -> Stage:
    """A stage whose module is imported when it first runs: a render loads only the stages its
    input asks for (docs/performance.md, "Start-up")."""
    def stage(docs: list[Document], ctx: Context) -> list[Document]:
        run: Stage = getattr(importlib.import_module(f"kruise_render.stages.{module}"), function)
        return run(docs, ctx)

    stage.__qualname__ = stage.__name__ = f"{module}.{function}"
    return stage


STAGES: tuple[tuple[str, Stage], ...] = (
    ("references-inputs", _stage("references", "remember")),
    ("expectrendered", _stage("expectrendered")),
    ("validate", _stage("validate")),
    ("orphanselectors.record", _stage("orphanselectors", "record")),
    ("podunavailablebudget", _stage("podunavailablebudget")),
    ("workloadspread", _stage("workloadspread")),
    ("uniteddeployment", _stage("uniteddeployment")),
    ("cloneset", _stage("cloneset")),
    ("advancedstatefulset", _stage("advancedstatefulset")),
    ("advanceddaemonset", _stage("advanceddaemonset")),
    ("advancedcronjob", _stage("advancedcronjob")),
    ("broadcastjob", _stage("broadcastjob")),
    ("resourcedistribution", _stage("resourcedistribution")),
    ("references", _stage("references")),
    ("orphanselectors", _stage("orphanselectors")),
    ("sidecarset", _stage("sidecarset")),
    ("gitops", _stage("gitops")),
    ("unrenderable", _stage("unrenderable")),
    ("allowlossy", _stage("allowlossy")),
    ("collisions", _stage("collisions")),
)


# What `validate` runs (api.validate): the checks of the inputs as written, nothing that renders.
CHECKS: tuple[tuple[str, Stage], ...] = (
    ("expectrendered", _stage("expectrendered")),
    ("validate", _stage("validate")),
    ("unknownkinds", _stage("unrenderable", "check_unknown")),
)

Kinds = frozenset[tuple[str, str]]  # (API group, kind) of the Kruise objects in the stream
# When a stage can have something to do; a stage not named here always runs.
# - KRUISE: some Kruise object was in the stream (the input, or what an earlier stage made of it):
#   the stages that record inputs, compare input and output, or follow objects that stages made;
# - LEFT: a Kruise object is in the stream now (`unrenderable` reports what no stage rendered);
# - ANNOTATED: as KRUISE, or an input's text names the allow-lossy annotation;
# - a stage of kinds.py's registry: an object of its kind is in the stream now, at any version
#   (its stage picks the served ones; `validate` has refused the rest).
# A trigger that is wrong costs output: tests/pipeline_test.py renders every golden case with
# and without them and compares.
KRUISE, LEFT, OPTION, ANNOTATED = "kruise", "left", "option", "annotated"
TRIGGERS: dict[str, str | Kinds] = {
    "references-inputs": KRUISE,
    "expectrendered": OPTION,
    "validate": KRUISE,
    "orphanselectors.record": KRUISE,
    "references": KRUISE,
    "gitops": KRUISE,
    "orphanselectors": KRUISE,
    "unrenderable": LEFT,
    "unknownkinds": KRUISE,
    "allowlossy": ANNOTATED,  # a Kruise object (whose templates may carry it) or an input that writes it
    **{entry.stage: frozenset((e.group, e.kind) for e in kinds.KINDS if e.stage == entry.stage)
       for entry in kinds.KINDS if entry.stage is not None},
}


def kruise_kinds(documents: list[Document]) -> Kinds:
    found: set[tuple[str, str]] = set()
    groups: dict[str, str | None] = {}  # apiVersion -> its group when Kruise's: few distinct ones
    for doc in documents:
        api_version = doc.api_version
        group = groups.get(api_version, "")
        if group == "":
            group = groups[api_version] = group_of(api_version) if is_kruise(api_version) else None
        if group is not None:
            found.add((group, doc.kind))
    return frozenset(found)


def _wanted(name: str, present: Kinds, seen: bool, ctx: Context, documents: list[Document]) -> bool:
    trigger = TRIGGERS.get(name)
    if trigger is None:
        return True
    if isinstance(trigger, frozenset):
        return not trigger.isdisjoint(present)
    if trigger == ANNOTATED:
        return seen or any(doc.may_hold(lossy.ANNOTATION) for doc in documents)
    return {OPTION: ctx.options.expect_rendered, KRUISE: seen, LEFT: bool(present)}[trigger]


def run(documents: list[Document], ctx: Context, stages: tuple[tuple[str, Stage], ...] | None = None,
        *, every_stage: bool = False) -> list[Document]:
    """The stages in order, each only when the stream can give it something to do (TRIGGERS);
    `every_stage` runs them all (the test that the triggers skip nothing)."""
    ctx.lookup.inputs = list(documents)
    present = kruise_kinds(documents)
    # Context objects (--context) are never written, but a context SidecarSet injects into the input.
    seen = bool(present) or bool(kruise_kinds(ctx.lookup.context))
    present |= kruise_kinds(ctx.lookup.context)
    for name, stage in STAGES if stages is None else stages:
        if not every_stage and not _wanted(name, present, seen, ctx, documents):
            continue
        documents = stage(documents, ctx)
        if seen:  # stages make and convert Kruise objects: what is there now
            present = kruise_kinds(documents) | kruise_kinds(ctx.lookup.context)
    return documents
