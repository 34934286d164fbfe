"""Stage `advanceddaemonset`: Advanced DaemonSet (apps.kruise.io v1alpha1 and v1beta1) →
apps/v1 DaemonSet (spec/uniteddeployment.md §4.3).

Why (openkruise/kruise v1.9.0):
- The rolling-update type lives under `rollingUpdate.rollingUpdateType`. v1alpha1 `Surging` is a
  deprecated alias the webhook rewrites to Standard after defaulting maxSurge 1 and
  maxUnavailable 0 (apis/apps/defaults/v1alpha1.go `SetDefaultsDaemonSet`); v1beta1 rejects it.
- With both limits unset the webhook writes maxUnavailable 1 / maxSurge 0; a single unset limit
  means 0 to Kruise's controller (pkg/controller/daemonset/daemonset_util.go `surgeCount`,
  `unavailableCount`) but maxUnavailable 1 to a native DaemonSet's defaulting, so both are
  always written. Both round up in Kruise and natively: values are kept as written.
- `paused` stops rolling while new nodes still get pods from the latest template: natively that
  is `updateStrategy.type: OnDelete`.
- partition counts nodes (base `status.desiredNumberScheduled`, unknown here) and the rolling
  node selector picks nodes: a native DaemonSet has neither.
"""
from __future__ import annotations

from kruise_render import nativeworkload as nw
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.document import Document
from kruise_render.k8s import intstr
from kruise_render.kinds import ADVANCED_DAEMONSET
from kruise_render.obj import Obj

SPEC_FIELDS = (
    "selector", "template", "updateStrategy", "minReadySeconds", "burstReplicas", "revisionHistoryLimit",
    "lifecycle", "scaleStrategy",
)
V1ALPHA1_SPEC_FIELDS = tuple(field for field in SPEC_FIELDS if field != "scaleStrategy")
ROLLING_FIELDS = ("rollingUpdateType", "maxUnavailable", "maxSurge", "selector", "partition", "paused")
BURST_REPLICAS = 250  # the native DaemonSet controller's fixed burst (and Kruise's default)
MAX_SURGE_NATIVE = (1, 22)  # DaemonSetUpdateSurge beta, on by default


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return nw.run_each(docs, ctx, ADVANCED_DAEMONSET, convert)


def convert(m: nw.Mapping) -> None:
    spec = m.spec()
    nw.report_unknown(m, spec, V1ALPHA1_SPEC_FIELDS if m.version == "v1alpha1" else SPEC_FIELDS, ("spec",))
    _update_strategy(m, spec)
    burst = spec.pop("burstReplicas", None)
    if burst is not None and burst != BURST_REPLICAS:
        m.controller_only(("spec", "burstReplicas"), f"burstReplicas {nw.show(burst)} rate-limits pod creation in Kruise's "
                                                     f"controller (a native DaemonSet uses {BURST_REPLICAS})")
    scale = spec.pop("scaleStrategy", None)
    if isinstance(scale, dict) and scale.get("partitionedScaling"):
        m.controller_only(("spec", "scaleStrategy", "partitionedScaling"), "partitionedScaling lets Kruise's "
                                                                           "partition also hold back pod creation")
    nw.report_lifecycle(m, spec)
    nw.strip_kruise_readiness_gates(m)
    m.finish("apps/v1", "DaemonSet")


def _update_strategy(m: nw.Mapping, spec: Obj) -> None:
    path: FieldPath = ("spec", "updateStrategy")
    update = nw.sub(spec, "updateStrategy", ("spec",))
    nw.report_unknown(m, update, ("type", "rollingUpdate"), path)
    kind = update.get("type") or "RollingUpdate"
    if kind == "OnDelete":
        update.pop("rollingUpdate", None)  # Kruise's controller reads none of it for OnDelete
        return
    if kind != "RollingUpdate":
        raise FieldError(f"must be RollingUpdate or OnDelete, got {nw.show(kind)}", (*path, "type"))
    if "type" not in update:  # written out: the rolling limits below are written explicitly too
        rest = dict(update)
        update.clear()
        update.update({"type": "RollingUpdate", **rest})
    path = (*path, "rollingUpdate")
    rolling = nw.sub(update, "rollingUpdate", path[:-1])
    nw.report_unknown(m, rolling, ROLLING_FIELDS, path)
    rolling_type = _rolling_type(m, rolling, path)
    surging = rolling_type == "Surging"
    max_unavailable = nw.int_or_string(rolling, "maxUnavailable", path)
    max_surge = nw.int_or_string(rolling, "maxSurge", path)
    if surging:
        max_surge = 1 if max_surge is None else max_surge
        max_unavailable = 0 if max_unavailable is None else max_unavailable
    elif max_unavailable is None and max_surge is None:
        max_unavailable, max_surge = 1, 0
    limits = _limits(m, path, 0 if max_unavailable is None else max_unavailable, 0 if max_surge is None else max_surge)
    if rolling_type == "InPlaceIfPossible" and intstr.literal(limits["maxSurge"]) != 0:
        raise FieldError("must be 0 for rollingUpdateType InPlaceIfPossible (Kruise's webhook)", (*path, "maxSurge"))
    _partition(m, rolling, path)
    selector = rolling.pop("selector", None)
    if selector:
        m.lossy((*path, "selector"), "a rolling-update node selector: a DaemonSet updates the pods of every node")
    paused = rolling.pop("paused", None)
    for key in ("maxUnavailable", "maxSurge"):
        rolling.pop(key, None)
    rolling.update(limits)
    if paused is True:
        update.clear()
        update["type"] = "OnDelete"
        m.warning((*path, "paused"), "paused rendered as updateStrategy OnDelete: running pods are left alone and "
                                     "new nodes get the latest template, as while Kruise is paused")
    elif paused not in (None, False):
        raise FieldError(f"expected true or false, got {nw.show(paused)}", (*path, "paused"))


def _rolling_type(m: nw.Mapping, rolling: Obj, path: FieldPath) -> str:
    """Reads and removes rollingUpdateType: Standard, InPlaceIfPossible or (v1alpha1) Surging."""
    kind = rolling.pop("rollingUpdateType", None) or "Standard"
    where = (*path, "rollingUpdateType")
    if kind == "Surging" and m.version == "v1alpha1":
        return kind
    if kind == "InPlaceIfPossible":
        m.warning(where, "in-place update is Kruise's own: the DaemonSet recreates pods instead")
    elif kind != "Standard":
        allowed = "Standard, InPlaceIfPossible or Surging" if m.version == "v1alpha1" else "Standard or InPlaceIfPossible"
        raise FieldError(f"must be {allowed}, got {nw.show(kind)}", where)
    return kind


def _limits(m: nw.Mapping, path: FieldPath, max_unavailable: int | str, max_surge: int | str) -> dict[str, int | str]:
    """Kruise's webhook rules (daemonset_validation.go), which are the native ones too."""
    for key, value in (("maxUnavailable", max_unavailable), ("maxSurge", max_surge)):
        if (isinstance(value, int) and value < 0) or (isinstance(value, str) and not intstr.is_valid_percent(value)):
            raise FieldError(f"must be a non-negative integer or percentage, got {nw.show(value)}", (*path, key))
        if isinstance(value, str) and intstr.literal(value) > 100:
            raise FieldError(f"must not be more than 100%, got {nw.show(value)}", (*path, key))
    unavailable, surge = intstr.literal(max_unavailable) != 0, intstr.literal(max_surge) != 0
    if unavailable and surge:
        raise FieldError("may not be set when maxUnavailable is non-zero", (*path, "maxSurge"))
    if not unavailable and not surge:
        raise FieldError("cannot be 0 when maxSurge is 0", (*path, "maxUnavailable"))
    if surge and m.ctx.options.kube_version < MAX_SURGE_NATIVE:
        version = m.kube_version_text
        if m.lossy((*path, "maxSurge"), f"Kubernetes {version} DaemonSets have no maxSurge (on by default from 1.22)"):
            max_unavailable, max_surge = 1, 0
    return {"maxUnavailable": max_unavailable, "maxSurge": max_surge}


def _partition(m: nw.Mapping, rolling: Obj, path: FieldPath) -> None:
    partition = nw.int_or_string(rolling, "partition", path)
    rolling.pop("partition", None)
    if partition is None:
        return
    where = (*path, "partition")
    try:
        intstr.scaled(partition, 0, False)
    except intstr.IntStrError as problem:
        raise FieldError(str(problem), where) from None
    if intstr.literal(partition) < 0 or (isinstance(partition, str) and not intstr.is_valid_percent(partition)):
        raise FieldError(f"must be a non-negative integer or percentage, got {nw.show(partition)}", where)
    if isinstance(partition, str) and intstr.percent_int(partition) > 100:
        raise FieldError(f"must not be more than 100%, got {nw.show(partition)}", where)
    if intstr.literal(partition) != 0:
        share = f"{partition} of the nodes" if isinstance(partition, str) else f"{partition} nodes"
        m.lossy(where, f"partition {nw.show(partition)} keeps {share} on the old revision; a DaemonSet updates every node")
