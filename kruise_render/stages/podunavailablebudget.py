"""Stage `podunavailablebudget`: PodUnavailableBudget → policy/v1 PodDisruptionBudget.

A PUB is enforced by Kruise's pod webhook on DELETE, EVICT, in-place UPDATE and RESIZE; a PDB is
enforced by the API server on evictions only, so only the eviction part survives (a warning
says so). Validation follows Kruise v1.9.0's webhook
(pkg/webhook/podunavailablebudget/validating/pub_create_update_handler.go): selector and
targetRef are mutually exclusive, and so are maxUnavailable and minAvailable (the webhook rejects
both; the "maxUnavailable wins" rule of the controller, pkg/controller/podunavailablebudget,
never sees such an object). A targetRef is resolved to the selector of the target as the user
wrote it (this stage runs before workloads change kind, see pipeline.py).

Kruise's pod webhook never blocks a pod that is not ready
(openkruise/kruise@v1.9.0:pkg/control/pubcontrol/pub_control_utils.go
`PodUnavailableBudgetValidatePod`: `!IsPodReady(pod) || !IsPodStateConsistent(pod)` → allowed),
which is a PDB's `unhealthyPodEvictionPolicy: AlwaysAllow`; it is written wherever the cluster
keeps the field, and a warning says what differs where it does not.
"""
from __future__ import annotations

import copy
import re
from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldPath
from kruise_render.document import Document
from kruise_render.k8s import intstr, refs, selectors
from kruise_render.k8s.identity import annotations_of, labels_of
from kruise_render.kinds import POD_UNAVAILABLE_BUDGET, convert_each
from kruise_render.obj import Obj, get_map

PROTECT_OPERATIONS = "kruise.io/pub-protect-operations"
PROTECT_TOTAL_REPLICAS = "pub.kruise.io/protect-total-replicas"
OPERATIONS = ("UPDATE", "DELETE", "EVICT", "RESIZE")
DEFAULT_OPERATIONS = ("DELETE", "EVICT", "UPDATE")
_INT = re.compile(r"[+-]?[0-9]{1,19}")  # more digits cannot be an int32 (nor reach int())
UNHEALTHY_POLICY_ALPHA, UNHEALTHY_POLICY_BETA, UNHEALTHY_POLICY_LOCKED = (1, 26), (1, 27), (1, 31)


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return convert_each(docs, ctx, POD_UNAVAILABLE_BUDGET, _to_pdb, "PodUnavailableBudget → PodDisruptionBudget",
                        "PodUnavailableBudget could not be converted (see errors)", at=())


def _to_pdb(doc: Document, ctx: Context) -> Obj | None:
    spec = doc.data.get("spec")
    if not isinstance(spec, dict):
        ctx.error(doc, ("spec",), "must be a mapping with selector or targetRef and maxUnavailable or minAvailable")
        return None
    if ctx.options.kube_version < (1, 21):
        ctx.error(doc, None, "policy/v1 PodDisruptionBudget needs Kubernetes 1.21 or later (--kube-version)", codes.KUBE_VERSION)
        return None
    selector = _selector(doc, spec, ctx)
    budget = _budget(doc, spec, ctx)
    lost = _lost_operations(doc, spec, ctx)
    if selector is None or budget is None or lost is None:
        return None
    if lost:
        ctx.warning(
            doc, None,
            f"a PodDisruptionBudget guards evictions only; protection against {', '.join(lost)} "
            "(enforced by Kruise's pod webhook) is not expressible natively and is lost",
        )
    meta: Obj = {"name": doc.name}
    if doc.namespace is not None:
        meta["namespace"] = doc.namespace
    if labels_of(doc.data):
        meta["labels"] = dict(labels_of(doc.data))
    annotations = {
        k: v for k, v in annotations_of(doc.data).items() if k not in (PROTECT_OPERATIONS, PROTECT_TOTAL_REPLICAS)
    }
    if annotations:
        meta["annotations"] = annotations
    spec_out: Obj = {"selector": selector, **budget}
    if _has_unhealthy_policy(ctx):
        spec_out["unhealthyPodEvictionPolicy"] = "AlwaysAllow"
    else:
        ctx.warning(doc, None, "a not-ready pod stays protected while the budget is exhausted (Kruise always lets it "
                               "go); unhealthyPodEvictionPolicy: AlwaysAllow needs Kubernetes 1.27 (or 1.26 with "
                               "--feature-gates PDBUnhealthyPodEvictionPolicy=true)")
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta,
        "spec": spec_out,
    }


def _has_unhealthy_policy(ctx: Context) -> bool:
    """Whether the cluster keeps PDB spec.unhealthyPodEvictionPolicy: Kubernetes gate
    PDBUnhealthyPodEvictionPolicy is alpha in 1.26, beta and on in 1.27, GA and locked on in 1.31
    (kubernetes/kubernetes pkg/features/kube_features.go); with it off the API server drops the
    field (pkg/registry/policy/poddisruptionbudget/strategy.go dropDisabledFields)."""
    version = ctx.options.kube_version
    if version >= UNHEALTHY_POLICY_LOCKED:
        return True
    return version >= UNHEALTHY_POLICY_ALPHA and ctx.options.gate("PDBUnhealthyPodEvictionPolicy",
                                                                   version >= UNHEALTHY_POLICY_BETA)


def _selector(doc: Document, spec: Obj, ctx: Context) -> Obj | None:
    has_selector, has_ref = spec.get("selector") is not None, spec.get("targetRef") is not None
    if has_selector and has_ref:
        ctx.error(doc, ("spec", "targetRef"), "selector and targetRef are mutually exclusive (Kruise's webhook rejects both)")
        return None
    if not has_selector and not has_ref:
        ctx.error(doc, ("spec",), "no selector or targetRef defined in PodUnavailableBudget")
        return None
    if has_ref:
        return _target_selector(doc, spec["targetRef"], ctx)
    selector = spec["selector"]
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        ctx.error(doc, ("spec", "selector", *exc.path), str(exc))
        return None
    if selectors.is_empty(selector):
        ctx.error(doc, ("spec", "selector"), "empty selector is not valid for PodUnavailableBudget")
        return None
    return copy.deepcopy(get_map(spec, "selector"))  # a mapping: validate() said so


def _target_selector(doc: Document, ref: Any, ctx: Context) -> Obj | None:
    path: FieldPath = ("spec", "targetRef")
    problem = refs.ref_problem(ref)
    if problem is not None or not isinstance(ref, dict):
        ctx.error(doc, path, f"{problem} (empty TargetReference is not valid for PodUnavailableBudget)")
        return None
    target = ctx.lookup.find_target(doc, ref)
    if target is None:
        ctx.error(
            doc, path,
            f"target {refs.describe(ref)} is not among the input or context objects; a PodDisruptionBudget needs "
            "its selector (render it together with its target, give the target with --context, or use spec.selector)",
            codes.TARGET_MISSING,
        )
        return None
    selector = get_map(target.data, "spec", "selector")
    if selectors.is_empty(selector):
        ctx.error(doc, path, f"target {target.id} has no spec.selector to copy into the PodDisruptionBudget")
        return None
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        ctx.error(doc, path, f"target {target.id} spec.selector: {exc}")
        return None
    return copy.deepcopy(selector)


def _budget(doc: Document, spec: Obj, ctx: Context) -> Obj | None:
    present = [key for key in ("maxUnavailable", "minAvailable") if spec.get(key) is not None]
    if len(present) == 2:
        ctx.error(doc, ("spec", "minAvailable"),
                  "maxUnavailable and minAvailable are mutually exclusive (Kruise's webhook rejects both)")
        return None
    if not present:
        ctx.error(doc, ("spec",), "no maxUnavailable or minAvailable defined in PodUnavailableBudget")
        return None
    key = present[0]
    value = spec[key]
    # ValidatePositiveIntOrPercent + IsNotMoreThan100Percent (k8s apps validation).
    if not intstr.is_int_or_string(value) or (isinstance(value, str) and not intstr.is_valid_percent(value)):
        ctx.error(doc, ("spec", key), f"must be an integer or a percentage like \"50%\", got {value!r}")
        return None
    if intstr.literal(value) < 0:
        ctx.error(doc, ("spec", key), "must be greater than or equal to 0")
        return None
    if intstr.is_percent(value) and intstr.literal(value) > 100:
        ctx.error(doc, ("spec", key), "must not be greater than 100%")
        return None
    return {key: spec[key]}


def _lost_operations(doc: Document, spec: Obj, ctx: Context) -> list[str] | None:
    """The protected operations a PDB cannot guard, or None when the annotations are unusable."""
    annotations = annotations_of(doc.data)
    ok = True
    total = annotations.get(PROTECT_TOTAL_REPLICAS)
    if total is not None:
        path: FieldPath = ("metadata", "annotations", PROTECT_TOTAL_REPLICAS)
        if not _is_int32(total):
            ctx.error(doc, path, "must be an integer (Kruise's webhook rejects the object)")
            ok = False
        elif _depends_on_total(spec):
            ok = ctx.not_expressible(
                doc, path,
                "a PodDisruptionBudget takes the expected pod count from the workload's scale; it cannot be overridden",
            ) and ok
        else:
            ctx.warning(doc, path, "has no effect with an integer minAvailable; dropped")
    operations: tuple[str, ...] = DEFAULT_OPERATIONS
    raw = annotations.get(PROTECT_OPERATIONS)
    if raw is not None:
        path = ("metadata", "annotations", PROTECT_OPERATIONS)
        # The webhook splits on "," and does not trim: "EVICT, UPDATE" is rejected.
        items = str(raw).split(",")
        bad = [item for item in items if item not in OPERATIONS]
        if bad:
            ctx.error(
                doc, path,
                f"invalid operation(s) {', '.join(repr(b) for b in bad)}: Kruise accepts {','.join(OPERATIONS)} "
                "separated by commas without spaces (its webhook rejects the object)",
            )
            return None
        operations = tuple(items)
        if "EVICT" not in operations:
            ok = ctx.not_expressible(
                doc, path,
                "this budget does not protect evictions, but a PodDisruptionBudget protects nothing else",
            ) and ok
    return [op for op in operations if op != "EVICT"] if ok else None


def _depends_on_total(spec: Obj) -> bool:
    if spec.get("maxUnavailable") is not None:
        return True
    return isinstance(spec.get("minAvailable"), str)


def _is_int32(value: object) -> bool:
    """strconv.ParseInt(value, 10, 32): optional sign, decimal digits, no spaces."""
    text = str(value)
    if not _INT.fullmatch(text):
        return False
    return -(2**31) <= int(text) < 2**31
