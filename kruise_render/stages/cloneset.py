"""Stage `cloneset`: CloneSet → apps/v1 Deployment (spec/uniteddeployment.md §4.1, §4.4).

Why the strategy is written the way it is (openkruise/kruise v1.9.0):
- CloneSet `ReCreate` replaces pods a few at a time by delete + create, bounded by
  maxUnavailable/maxSurge: that is Deployment `RollingUpdate`, never `Recreate`.
- The webhook defaults (apis/apps/defaults/v1alpha1.go `SetDefaultsCloneSet`) are maxUnavailable
  20 % and maxSurge 0, not Deployment's 25 %/25 %, so both are always written.
- pkg/controller/cloneset/sync/cloneset_sync_utils.go rounds a maxUnavailable percent up when the
  resolved maxSurge is 0 (down otherwise); Deployment always rounds it down. Where the two differ
  for the object's replicas, the number CloneSet computes is written instead of the percent.
- A partition only holds back updates; a paused Deployment creates no pods at all on a fresh
  install, so neither a partition above 0 nor `paused` has a native equivalent.
Only apps.kruise.io/v1alpha1 is read: v1.9.0 serves no other CloneSet version, so the later
v1beta1 shape is refused before this stage (kinds.py, docs/workloads.md).
"""
from __future__ import annotations

from collections.abc import Iterator

from kruise_render import codes
from kruise_render import nativeworkload as nw
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.document import Document
from kruise_render.k8s import intstr, updatestrategy
from kruise_render.kinds import CLONESET
from kruise_render.obj import Obj, get_list, get_map

SPEC_FIELDS = (
    "replicas", "selector", "template", "volumeClaimTemplates", "scaleStrategy", "updateStrategy",
    "revisionHistoryLimit", "minReadySeconds", "lifecycle", "progressDeadlineSeconds",
)
_TUNING = ("priorityStrategy", "scatterStrategy", "inPlaceUpdateStrategy")
UPDATE_FIELDS = ("type", "partition", "maxUnavailable", "maxSurge", "paused", *_TUNING)
SCALE_FIELDS = {
    "podsToDelete": "deletes the named pods once, through Kruise's controller",
    "maxUnavailable": "rate-limits scale-up in Kruise's controller",
    "disablePVCReuse": "only concerns the claims of volumeClaimTemplates",
}
MAX_INT32 = 2**31 - 1
DEFAULT_MAX_UNAVAILABLE = "20%"  # apis/apps/v1alpha1/cloneset_types.go DefaultCloneSetMaxUnavailable


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return nw.run_each(docs, ctx, CLONESET, convert)


def convert(m: nw.Mapping) -> None:
    spec = m.spec()
    nw.report_unknown(m, spec, SPEC_FIELDS, ("spec",))
    replicas = nw.int_field(spec, "replicas", ("spec",), 1)  # nil means 1 (SetDefaultsCloneSet)
    strategy = _strategy(m, spec, replicas)
    _progress_deadline(spec)
    _scale_strategy(m, spec)
    nw.report_lifecycle(m, spec)
    _volume_claims(m, spec)
    nw.strip_kruise_readiness_gates(m)
    nw.replace_key(spec, "updateStrategy", "strategy", strategy)
    m.finish("apps/v1", "Deployment")


def _strategy(m: nw.Mapping, spec: Obj, replicas: int) -> Obj:
    path: FieldPath = ("spec", "updateStrategy")
    update = nw.sub(spec, "updateStrategy", ("spec",))
    nw.report_unknown(m, update, UPDATE_FIELDS, path)
    policy, policy_path = update.get("type") or "ReCreate", (*path, "type")
    if policy == "OnDelete":
        raise FieldError("OnDelete is rejected by Kruise v1.9.0's CloneSet webhook "
                         "(ReCreate, InPlaceIfPossible or InPlaceOnly)", policy_path)
    nw.reject(list(_webhook_problems(update, path, policy, replicas)))
    nw.pod_update_policy(m, policy, policy_path, "Deployment")
    for key in _TUNING:
        if update.get(key):
            m.controller_only((*path, key), f"{key} orders or paces the updates of Kruise's controller")
    _partition(m, update, path, replicas)
    paused = update.get("paused")
    if paused is True:
        m.lossy((*path, "paused"), "paused: a paused Deployment creates no pods on a fresh install "
                                   "and an unpaused one rolls out every template change")
    elif paused not in (None, False):
        raise FieldError(f"expected true or false, got {nw.show(paused)}", (*path, "paused"))
    return {"type": "RollingUpdate", "rollingUpdate": rolling_update(m, update, path, replicas)}


def _webhook_problems(update: Obj, path: FieldPath, policy: str, replicas: int) -> Iterator[FieldError]:
    """What pkg/webhook/cloneset/validating/validation.go `validateUpdateStrategy` rejects beyond the
    schema: priority and scatter terms (the shared FieldsValidation), and InPlaceOnly with a
    maxSurge that resolves above 0 (Kruise's float parser, rounding up, against spec.replicas)."""
    yield from (p.under(*path, "priorityStrategy") for p in updatestrategy.priority_problems(update.get("priorityStrategy")))
    yield from (p.under(*path, "scatterStrategy") for p in updatestrategy.scatter_problems(update.get("scatterStrategy")))
    surge = update.get("maxSurge")
    if policy == "InPlaceOnly" and surge is not None:
        try:
            resolved = intstr.kruise_scaled(surge, replicas, True)
        except intstr.IntStrError:
            return  # not a number at all: rolling_update reports it
        if resolved > 0:
            yield FieldError(f"can not use maxSurge with strategy type InPlaceOnly (Kruise's webhook rejects "
                             f"maxSurge {nw.show(surge)}, {resolved} of {replicas} pods)", (*path, "maxSurge"))


def _partition(m: nw.Mapping, fields: Obj, path: FieldPath, replicas: int) -> None:
    partition = nw.int_or_string(fields, "partition", path)
    try:
        kept = intstr.cloneset_partition(partition, replicas)
    except intstr.IntStrError as problem:
        raise FieldError(str(problem), (*path, "partition")) from None
    if isinstance(partition, int) and partition < 0:
        raise FieldError(f"must not be negative, got {partition}", (*path, "partition"))
    if kept > 0:
        m.lossy((*path, "partition"), f"partition {nw.show(partition)} keeps {kept} of {replicas} pods on the old "
                                      "revision; a Deployment updates every pod")


def _whole(value: int | str, path: FieldPath) -> int | str:
    """maxSurge/maxUnavailable as the CloneSet controller reads them (apimachinery intstr).

    A fractional percent passes the webhook (validateUpdateStrategy resolves it with Kruise's
    float parser, pkg/util/tools.go GetScaledValueFromIntOrPercent) but the controller
    (cloneset_sync_utils.go calculateDiffsWithExpectation) reads it with intstr's Atoi, ignores
    the error and uses 0: no native form does that, so it is an error in every mode."""
    if isinstance(value, str):
        try:
            intstr.percent_int(value)
        except intstr.IntStrRangeError as problem:
            raise FieldError(str(problem), path) from None
        except intstr.IntStrError as problem:
            try:
                intstr.percent_float(value)
            except intstr.IntStrError:
                raise FieldError(str(problem), path) from None
            raise FieldError(f"{nw.show(value)}: Kruise's webhook accepts it, but its CloneSet controller reads only "
                             "whole percentages and uses 0 (with maxSurge 0 no pod is ever updated)", path) from None
    if intstr.literal(value) < 0 or (isinstance(value, str) and value.startswith("-")):
        raise FieldError(f"must not be negative, got {nw.show(value)}", path)
    return value


def rolling_update(m: nw.Mapping, fields: Obj, path: FieldPath, replicas: int) -> Obj:
    """Deployment maxSurge/maxUnavailable allowing the same pod counts as the CloneSet controller."""
    surge_in = nw.int_or_string(fields, "maxSurge", path)
    unavailable_in = nw.int_or_string(fields, "maxUnavailable", path)
    max_surge = _whole(0 if surge_in is None else surge_in, (*path, "maxSurge"))
    max_unavailable = _whole(DEFAULT_MAX_UNAVAILABLE if unavailable_in is None else unavailable_in,
                             (*path, "maxUnavailable"))
    surge = intstr.scaled(max_surge, replicas, True)
    unavailable = intstr.scaled(max_unavailable, replicas, surge == 0)
    if replicas > 0 and surge < 1 and unavailable < 1:
        raise FieldError("maxUnavailable and maxSurge must not both be less than 1 "
                         "(Kruise's CloneSet webhook rejects it)", (*path, "maxUnavailable"))
    out_surge: int | str = max_surge if _native_percent(max_surge, None) else surge
    out_unavailable: int | str = max_unavailable if _native_percent(max_unavailable, 100) else unavailable
    if replicas > 0 and intstr.deployment_fenceposts(out_surge, out_unavailable, replicas) != (surge, unavailable):
        out_unavailable = unavailable
    if out_unavailable != max_unavailable:
        m.notes.append(f"maxUnavailable {nw.show(max_unavailable)} of {replicas} replicas written as {unavailable} "
                       "(CloneSet rounds up while maxSurge is 0, Deployment rounds down)")
    if intstr.literal(out_surge) == 0 and intstr.literal(out_unavailable) == 0:
        out_unavailable = 1  # only with 0 replicas; a Deployment rejects 0/0, and 0 pods never roll
    order = [key for key in fields if key in ("maxSurge", "maxUnavailable")]
    order += [key for key in ("maxUnavailable", "maxSurge") if key not in order]
    values = {"maxSurge": out_surge, "maxUnavailable": out_unavailable}
    return {key: values[key] for key in order}


def _native_percent(value: int | str, cap: int | None) -> bool:
    """An int, or a percent a Deployment accepts as written (digits only, ≤ cap)."""
    if isinstance(value, int):
        return True
    return intstr.is_valid_percent(value) and (cap is None or intstr.percent_int(value) <= cap)


def _progress_deadline(spec: Obj) -> None:
    """validateCloneSetSpec: a deadline (other than MaxInt32, "none") must exceed minReadySeconds."""
    deadline, ready = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds") or 0
    if isinstance(deadline, int) and isinstance(ready, int) and deadline != MAX_INT32 and deadline <= ready:
        raise FieldError(f"must be greater than minReadySeconds ({ready}), got {deadline}",
                         ("spec", "progressDeadlineSeconds"))


def _scale_strategy(m: nw.Mapping, spec: Obj) -> None:
    scale = spec.pop("scaleStrategy", None)
    if scale is None:
        return
    if not isinstance(scale, dict):
        raise FieldError("expected a mapping", ("spec", "scaleStrategy"))
    for key, value in scale.items():
        path = ("spec", "scaleStrategy", key)
        if key not in SCALE_FIELDS:
            m.warning(path, f"not a field of CloneSet {m.version}; the API server prunes it", codes.PRUNED)
        elif key == "podsToDelete" and isinstance(value, list) and len(set(map(str, value))) != len(value):
            raise FieldError("duplicated pod names (Kruise's webhook rejects them)", path)
        elif value not in (None, False, [], {}):
            m.controller_only(path, f"scaleStrategy.{key} {SCALE_FIELDS[key]}")


def _volume_claims(m: nw.Mapping, spec: Obj) -> None:
    """Per-pod claims owned by the CloneSet (pkg/controller/cloneset/utils/cloneset_utils.go
    UpdateStorage) have no Deployment equivalent; lossy: generic ephemeral volumes of the same
    names replace same-named template volumes, claims first (Kruise's order is a Go map's)."""
    claims = spec.pop("volumeClaimTemplates", None)
    if not claims:
        return
    path = ("spec", "volumeClaimTemplates")
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        raise FieldError("expected a list of PersistentVolumeClaims", path)
    if not m.lossy(path, "volumeClaimTemplates: a Deployment has no per-pod persistent claims "
                         "(with --allow-lossy each becomes a generic ephemeral volume whose data ends with its pod)"):
        return
    volumes = []
    for index, claim in enumerate(claims):
        meta = get_map(claim, "metadata")
        if not isinstance(meta.get("name"), str) or not meta["name"]:
            raise FieldError("expected the claim's name (a string)", (*path, index, "metadata", "name"))
        template: Obj = {key: meta[key] for key in ("labels", "annotations") if meta.get(key)}
        template = {"metadata": template} if template else {}
        template["spec"] = claim.get("spec") or {}
        volumes.append({"name": meta.get("name"), "ephemeral": {"volumeClaimTemplate": template}})
    pod_spec = nw.sub(nw.sub(spec, "template", ("spec",)), "spec", ("spec", "template"))
    names = {volume["name"] for volume in volumes}
    existing = get_list(pod_spec, "volumes")
    pod_spec["volumes"] = volumes + [v for v in existing if not (isinstance(v, dict) and v.get("name") in names)]
