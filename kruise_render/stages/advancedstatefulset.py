"""Stage `advancedstatefulset`: Advanced StatefulSet (apps.kruise.io v1beta1 and v1alpha1) →
apps/v1 StatefulSet (spec/uniteddeployment.md §4.2).

Why (openkruise/kruise v1.9.0):
- partition: pkg/controller/statefulset/stateful_update_utils.go `sortPodsToUpdate` updates the
  slots from the highest down to `partition`, at most replicas − partition pods; without
  unorderedUpdate that is native "ordinal position ≥ partition", also when reserved ordinals
  form a prefix (the empty slots sit below every pod).
- reserveOrdinals (stateful_set_utils.go `getStatefulSetReplicasRange`, k8s/ordinals.py): pods
  take the first free ordinals from the start ordinal, so only reserved ordinals among the pods'
  range matter (`[10]` with 3 replicas has no effect); a reserved prefix start…start+k−1 is
  `ordinals.start + k` natively, a gap between pods has no native form.
- `ordinals.start` is read only with Kruise's feature gate StatefulSetStartOrdinal (default off,
  stateful_set_control.go `getStartOrdinal`); the retention policy only with
  StatefulSetAutoDeletePVC (default on); volumeClaimUpdateStrategy only with
  StatefulSetAutoResizePVCGate (default off). A field Kruise ignores is dropped with a warning.
- maxUnavailable rounds down with a minimum of 1 in Kruise (stateful_set_control.go) and natively
  (getStatefulSetMaxUnavailable), so it is kept as written where the cluster honours it (on by
  default from Kubernetes 1.35, gate MaxUnavailableStatefulSet), except above 100 %, which Kruise
  accepts and the API server refuses for a StatefulSet: "100%" is the same at every scale. Where
  the cluster ignores the field, a value that resolves to 1 pod for the object's replicas is the
  native behaviour (dropped with a note); anything more is not expressible.
"""
from __future__ import annotations

from kruise_render import codes
from kruise_render import nativeworkload as nw
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.document import Document
from kruise_render.k8s import intstr, ordinals, updatestrategy
from kruise_render.kinds import ADVANCED_STATEFULSET
from kruise_render.obj import Obj, get_list, get_map

SPEC_FIELDS = (
    "replicas", "selector", "template", "volumeClaimTemplates", "volumeClaimUpdateStrategy", "serviceName",
    "podManagementPolicy", "updateStrategy", "revisionHistoryLimit", "reserveOrdinals", "lifecycle",
    "scaleStrategy", "persistentVolumeClaimRetentionPolicy", "ordinals",
)
V1ALPHA1_SPEC_FIELDS = (
    "replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy",
    "updateStrategy", "revisionHistoryLimit",
)
ROLLING_FIELDS = (
    "partition", "maxUnavailable", "podUpdatePolicy", "paused", "unorderedUpdate", "inPlaceUpdateStrategy",
    "minReadySeconds",
)
MAX_UNAVAILABLE_DEFAULT_ON = (1, 35)  # KEP-961 beta, on by default
PVC_RETENTION_NATIVE = (1, 27)  # StatefulSetAutoDeletePVC beta, on by default
MAX_MIN_READY_SECONDS = 300  # apis/apps/v1beta1/statefulset_types.go MaxMinReadySeconds


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return nw.run_each(docs, ctx, ADVANCED_STATEFULSET, convert)


def convert(m: nw.Mapping) -> None:
    spec = m.spec()
    nw.report_unknown(m, spec, V1ALPHA1_SPEC_FIELDS if m.version == "v1alpha1" else SPEC_FIELDS, ("spec",))
    if spec.get("podManagementPolicy") not in (None, "", "OrderedReady", "Parallel"):
        raise FieldError(f"must be OrderedReady or Parallel, got {nw.show(spec['podManagementPolicy'])}",
                         ("spec", "podManagementPolicy"))
    replicas = nw.int_field(spec, "replicas", ("spec",), 1)
    _update_strategy(m, spec, replicas)
    nw.prune_empty(spec, "updateStrategy")
    _ordinals(m, spec, replicas)
    _volume_claim_update(m, spec)
    _retention(m, spec)
    scale = spec.pop("scaleStrategy", None)
    if isinstance(scale, dict) and _checked_max_unavailable(spec, scale, ("spec", "scaleStrategy")) is not None:
        m.controller_only(("spec", "scaleStrategy", "maxUnavailable"), "scaleStrategy.maxUnavailable rate-limits "
                                                                       "pod creation in Kruise's controller")
    nw.report_lifecycle(m, spec)
    nw.strip_kruise_readiness_gates(m)
    nw.write_service_name(spec, m.ctx.options.kube_version)
    m.finish("apps/v1", "StatefulSet")


def _update_strategy(m: nw.Mapping, spec: Obj, replicas: int) -> None:
    path: FieldPath = ("spec", "updateStrategy")
    update = nw.sub(spec, "updateStrategy", ("spec",))
    nw.report_unknown(m, update, ("type", "rollingUpdate"), path)
    kind = update.get("type") or "RollingUpdate"
    if kind == "OnDelete":
        if update.get("rollingUpdate") is not None:
            raise FieldError("only allowed for updateStrategy RollingUpdate (Kruise's webhook)", (*path, "rollingUpdate"))
        return
    if kind != "RollingUpdate":
        raise FieldError(f"must be RollingUpdate or OnDelete, got {nw.show(kind)}", (*path, "type"))
    path = (*path, "rollingUpdate")
    rolling = nw.sub(update, "rollingUpdate", path[:-1])
    nw.report_unknown(m, rolling, ROLLING_FIELDS, path)
    partition = nw.int_field(rolling, "partition", path, 0)
    policy = rolling.pop("podUpdatePolicy", None) or "ReCreate"
    if policy in ("InPlaceIfPossible", "InPlaceOnly") and not _has_in_place_gate(spec):
        raise FieldError(f"must contain InPlaceUpdateReady when podUpdatePolicy is {policy} (Kruise's webhook)",
                         ("spec", "template", "spec", "readinessGates"))
    nw.pod_update_policy(m, policy, (*path, "podUpdatePolicy"), "StatefulSet")
    if rolling.pop("inPlaceUpdateStrategy", None):
        m.controller_only((*path, "inPlaceUpdateStrategy"), "inPlaceUpdateStrategy paces Kruise's in-place updates")
    unordered = rolling.pop("unorderedUpdate", None)
    if unordered is not None and spec.get("podManagementPolicy") != "Parallel":
        raise FieldError("can only work with podManagementPolicy Parallel (Kruise's webhook)", (*path, "unorderedUpdate"))
    # statefulset_validation.go validateRollingUpdateStatefulSetStrategyTypeUnorderedUpdate
    nw.reject([p.under(*path, "unorderedUpdate", "priorityStrategy")
               for p in updatestrategy.priority_problems(get_map(unordered).get("priorityStrategy"))])
    if unordered is not None:
        if partition > 0:
            m.lossy((*path, "unorderedUpdate"), f"unorderedUpdate with partition {partition}: Kruise keeps {partition} "
                                                "pods of any ordinal on the old revision, a StatefulSet keeps "
                                                "the lowest ordinals")
        else:
            m.controller_only((*path, "unorderedUpdate"), "unorderedUpdate orders the updates of Kruise's controller")
    _max_unavailable(m, rolling, path, replicas)
    ready = nw.int_field(rolling, "minReadySeconds", path, 0)
    if ready > MAX_MIN_READY_SECONDS:
        raise FieldError(f"must be no more than {MAX_MIN_READY_SECONDS} seconds, got {ready}", (*path, "minReadySeconds"))
    rolling.pop("minReadySeconds", None)
    if ready:
        nw.insert_after(spec, "updateStrategy", "minReadySeconds", ready)
    paused = rolling.pop("paused", None)
    if paused is True and m.lossy((*path, "paused"), "paused: a StatefulSet cannot pause its rolling update "
                                                     "(with --allow-lossy it becomes updateStrategy OnDelete, "
                                                     "which also leaves running pods alone)"):
        update.clear()
        update["type"] = "OnDelete"
        m.notes.append("paused rendered as updateStrategy OnDelete")
        return
    if paused not in (None, False, True):
        raise FieldError(f"expected true or false, got {nw.show(paused)}", (*path, "paused"))
    if not rolling:
        del update["rollingUpdate"]


def _has_in_place_gate(spec: Obj) -> bool:
    gates = get_list(spec, "template", "spec", "readinessGates")
    return any(isinstance(g, dict) and g.get("conditionType") == "InPlaceUpdateReady" for g in gates)


def _checked_max_unavailable(spec: Obj, fields: Obj, path: FieldPath) -> int | str | None:
    """statefulset_validation.go `validateMaxUnavailableField`, for rollingUpdate.maxUnavailable and
    scaleStrategy.maxUnavailable alike: a positive int or percent ("0%" of 1 rounds to 0), and
    anything but the integer 1 only with podManagementPolicy Parallel."""
    value = nw.int_or_string(fields, "maxUnavailable", path)
    if value is None:
        return None
    where = (*path, "maxUnavailable")
    try:
        intstr.scaled(value, 1, True)
    except intstr.IntStrError as problem:
        raise FieldError(str(problem), where) from None
    if ((isinstance(value, int) and value < 1) or (isinstance(value, str) and not intstr.is_valid_percent(value))
            or intstr.scaled(value, 1, True) < 1):
        raise FieldError(f"must be a positive integer or percentage, got {nw.show(value)}", where)
    if value != 1 and spec.get("podManagementPolicy") != "Parallel":
        raise FieldError("can only work with podManagementPolicy Parallel (Kruise's webhook)", where)
    return value


def _max_unavailable(m: nw.Mapping, rolling: Obj, path: FieldPath, replicas: int) -> None:
    value = _checked_max_unavailable(m.spec(), rolling, path)
    if value is None or value == 1:
        return  # the native behaviour whether or not the cluster knows the field
    where = (*path, "maxUnavailable")
    resolved = intstr.statefulset_max_unavailable(value, max(replicas, 1))
    options = m.ctx.options
    if options.kube_version >= MAX_UNAVAILABLE_DEFAULT_ON or options.gate("MaxUnavailableStatefulSet"):
        if intstr.is_percent(value) and intstr.literal(value) > 100:
            # Kruise has no cap; the API server refuses a StatefulSet above 100 % (IsNotMoreThan100Percent).
            # floor(p·n/100) ≥ n for every p ≥ 100 and no more than n pods can be down: "100%" at any scale.
            rolling["maxUnavailable"] = "100%"
            m.notes.append(f"maxUnavailable {nw.show(value)} written as \"100%\" (a StatefulSet takes no more; "
                           "all pods either way)")
        return
    if resolved == 1:
        # One pod at a time is what a StatefulSet does without the field (Kruise: floor, at least 1).
        del rolling["maxUnavailable"]
        m.notes.append(f"maxUnavailable {nw.show(value)} is 1 pod of {replicas}: the native default, dropped")
        return
    version = m.kube_version_text
    if m.lossy(where, f"maxUnavailable {nw.show(value)} ({resolved} of {replicas} pods at once): Kubernetes {version} "
                      "ignores it (on by default from 1.35; or --feature-gates MaxUnavailableStatefulSet=true)"):
        del rolling["maxUnavailable"]


def _ordinals(m: nw.Mapping, spec: Obj, replicas: int) -> None:
    options = m.ctx.options
    version = m.kube_version_text
    start = 0
    if spec.get("ordinals") is not None:
        start = nw.int_field(nw.sub(spec, "ordinals", ("spec",)), "start", ("spec", "ordinals"), 0)
        if start and not options.gate("StatefulSetStartOrdinal"):
            m.warning(("spec", "ordinals"), "ignored by Kruise v1.9.0 unless its feature gate StatefulSetStartOrdinal "
                                            "is on (--feature-gates StatefulSetStartOrdinal=true keeps it); dropped",
                      codes.FEATURE_GATES)
            del spec["ordinals"]
            start = 0
    reserve = spec.get("reserveOrdinals")
    if reserve:
        spans = ordinals.reserved(reserve, ("spec", "reserveOrdinals"))
        # Only reserved ordinals among the pods' range matter (getStatefulSetReplicasRange).
        taken = ordinals.within(spans, start, ordinals.end(spans, start, replicas))
        if taken and (len(taken) > 1 or taken[0][0] != start):
            if not m.lossy(("spec", "reserveOrdinals"), f"reserveOrdinals {ordinals.show(taken)} leave gaps between "
                                                        "pods; a StatefulSet numbers its pods without gaps"):
                return
        elif taken:
            first_free = taken[0][1] + 1
            nw.replace_key(spec, "reserveOrdinals", "ordinals", {"start": first_free})
            m.notes.append(f"reserveOrdinals {ordinals.show(taken)} rendered as ordinals.start {first_free}")
        else:
            m.notes.append(f"reserveOrdinals {ordinals.show(spans)} are none of the ordinals of the {replicas} pods "
                           f"({start}-{start + replicas - 1}): no effect, dropped" if replicas else
                           f"reserveOrdinals {ordinals.show(spans)} with no pods: no effect, dropped")
    spec.pop("reserveOrdinals", None)
    final = spec.get("ordinals")
    if (isinstance(final, dict) and final.get("start") and options.kube_version < ordinals.NATIVE_START
            and m.lossy(("spec", "ordinals"), f"ordinals.start: Kubernetes {version} has no start ordinal "
                                              "(on by default from 1.27)")):
        del spec["ordinals"]


def _volume_claim_update(m: nw.Mapping, spec: Obj) -> None:
    strategy = spec.pop("volumeClaimUpdateStrategy", None)
    kind = get_map(strategy).get("type")
    where = ("spec", "volumeClaimUpdateStrategy", "type")
    if kind in (None, "", "OnDelete"):
        return  # claims are left alone: the native behaviour
    if kind != "OnPodRollingUpdate":
        raise FieldError(f"must be OnPodRollingUpdate or OnDelete, got {nw.show(kind)}", where)
    if not m.ctx.options.gate("StatefulSetAutoResizePVCGate"):
        m.warning(where, "ignored by Kruise v1.9.0 unless its feature gate StatefulSetAutoResizePVCGate is on; dropped",
                  codes.FEATURE_GATES)
        return
    m.lossy(where, "OnPodRollingUpdate: a StatefulSet does not resize its claims when volumeClaimTemplates change")


def _retention(m: nw.Mapping, spec: Obj) -> None:
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is None:
        return
    where = ("spec", "persistentVolumeClaimRetentionPolicy")
    if not m.ctx.options.gate("StatefulSetAutoDeletePVC", True):
        m.warning(where, "ignored by Kruise v1.9.0 while its feature gate StatefulSetAutoDeletePVC is off; dropped",
                  codes.FEATURE_GATES)
        del spec["persistentVolumeClaimRetentionPolicy"]
        return
    deletes = isinstance(policy, dict) and "Delete" in (policy.get("whenDeleted"), policy.get("whenScaled"))
    if deletes and m.ctx.options.kube_version < PVC_RETENTION_NATIVE:
        version = m.kube_version_text
        if m.lossy(where, f"Kubernetes {version} does not delete StatefulSet claims (on by default from 1.27)"):
            del spec["persistentVolumeClaimRetentionPolicy"]
