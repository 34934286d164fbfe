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
- SidecarSet injection runs after every pod template exists in its final native form, as the
  Kruise webhook sees Pods only after their controllers created them;
- objects created from others take their GitOps annotations (sync waves, hooks), and Services
  or PodDisruptionBudgets that selected pods of the input but select none of the output are
  reported (their input side is recorded right after validation);
- then anything Kruise still left in the stream is reported, never passed silently;
- the kruise-render.io/allow-lossy annotation, read by the stages, is taken off every output;
- last, two output objects with one identity (a subset or converted workload landing on an
  object the input already has) are an error: `kubectl apply` would keep only one.
"""
from __future__ import annotations

from collections.abc import Callable

from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.stages import (
    advancedcronjob,
    advanceddaemonset,
    advancedstatefulset,
    allowlossy,
    broadcastjob,
    cloneset,
    collisions,
    expectrendered,
    gitops,
    orphanselectors,
    podunavailablebudget,
    references,
    resourcedistribution,
    sidecarset,
    uniteddeployment,
    unrenderable,
    validate,
    workloadspread,
)

Stage = Callable[[list[Document], Context], list[Document]]

STAGES: tuple[tuple[str, Stage], ...] = (
    ("references-inputs", references.remember),
    ("expectrendered", expectrendered.run),
    ("validate", validate.run),
    ("orphanselectors.record", orphanselectors.record),
    ("podunavailablebudget", podunavailablebudget.run),
    ("workloadspread", workloadspread.run),
    ("uniteddeployment", uniteddeployment.run),
    ("cloneset", cloneset.run),
    ("advancedstatefulset", advancedstatefulset.run),
    ("advanceddaemonset", advanceddaemonset.run),
    ("advancedcronjob", advancedcronjob.run),
    ("broadcastjob", broadcastjob.run),
    ("resourcedistribution", resourcedistribution.run),
    ("references", references.run),
    ("sidecarset", sidecarset.run),
    ("gitops", gitops.run),
    ("orphanselectors", orphanselectors.run),
    ("unrenderable", unrenderable.run),
    ("allowlossy", allowlossy.run),
    ("collisions", collisions.run),
)


# What `validate` runs (api.validate): the checks of the inputs as written, nothing that renders.
CHECKS: tuple[tuple[str, Stage], ...] = (
    ("expectrendered", expectrendered.run),
    ("validate", validate.run),
    ("unknownkinds", unrenderable.check_unknown),
)


def run(documents: list[Document], ctx: Context, stages: tuple[tuple[str, Stage], ...] | None = None) -> list[Document]:
    ctx.lookup.inputs = list(documents)
    for _, stage in STAGES if stages is None else stages:
        documents = stage(documents, ctx)
    return documents
