"""Stage `workloadspread`: split a WorkloadSpread's target into one workload per subset.

Kruise v1.9.0 does not create workloads for a WorkloadSpread: its pod webhook
(pkg/util/workloadspread/workloadspread.go) puts each new pod of the target into the first subset
that still has room and injects that subset's scheduling constraints into the pod. The static
equivalent, like a UnitedDeployment, is one workload per subset with a fixed size:
- sizes: each subset takes min(maxReplicas, what is left) in declaration order; maxReplicas as a
  percentage of the target's replicas (Job: parallelism) rounds up (initializedSubsetStatuses);
  a subset without maxReplicas takes the rest;
- pod template, in the webhook's order (injectWorkloadSpreadIntoPod): subset tolerations
  appended; preferredNodeSelectorTerms appended; requiredNodeSelectorTerm used as the single term
  when the pod has none, else its matchExpressions AND matchFields appended to every term; the
  subset patch applied as a strategic merge patch; the pod annotation
  `apps.kruise.io/matched-workloadspread: {"name":<ws>,"subset":<subset>}`;
- names `<target>-<subset>` (lower case; within naming.name_limit of the kind), and the label
  `apps.kruise.io/subset-name: <subset>` on the workload, its selector and its pod template, so
  that the split workloads own disjoint pods (UnitedDeployment's label for the same idea).
Validation follows pkg/webhook/workloadspread/validating/workloadspread_validation.go. Lost (a
warning): pods no longer overflow between subsets (Adaptive rescheduling, scaling the target).
The WorkloadSpread is consumed; the split workloads stand for the target.
"""
from __future__ import annotations

import copy

from kruise_render.context import Context
from kruise_render.diagnostics import FieldPath
from kruise_render.document import Document
from kruise_render.k8s import gojson, intstr, nodes, refs, selectors, smp
from kruise_render.k8s.identity import group_of, namespace_or_default
from kruise_render.k8s.naming import is_dns1123_label, is_label_value, name_limit
from kruise_render.k8s.podtemplate import ensure_template_parts
from kruise_render.kinds import WORKLOAD_SPREAD
from kruise_render.obj import Obj, ensure_map, get_map

SUBSET_LABEL = "apps.kruise.io/subset-name"
MATCHED_ANNOTATION = "apps.kruise.io/matched-workloadspread"
# Target kinds the webhook knows without a whitelist: kind -> accepted API groups.
TARGET_GROUPS = {
    "CloneSet": ("apps.kruise.io",),
    "Deployment": ("apps",),
    "ReplicaSet": ("apps",),
    "Job": ("batch",),
    "StatefulSet": ("apps", "apps.kruise.io"),
}


def run(docs: list[Document], ctx: Context) -> list[Document]:
    spreads = [d for d in docs if WORKLOAD_SPREAD.selects(d)]
    if not spreads:
        return docs
    replaced: dict[int, list[Document]] = {}
    split_targets: dict[int, Document] = {}
    for spread in spreads:
        ctx.consume(spread, "WorkloadSpread applied to its target")
        target = _target(spread, docs, ctx)
        if target is None:
            continue
        if id(target) in split_targets:
            ctx.error(spread, ("spec", "targetRef"),
                      f"{target.id} is already spread by WorkloadSpread/{split_targets[id(target)].name}")
            continue
        split_targets[id(target)] = spread
        parts = _split(spread, target, ctx)
        if parts is not None:
            replaced[id(target)] = [target.derive(p, f"subset of WorkloadSpread/{spread.name}", at=()) for p in parts]
    out: list[Document] = []
    for doc in docs:
        if doc in spreads:
            continue
        out.extend(replaced.get(id(doc), [doc]))
    return out


def _target(spread: Document, docs: list[Document], ctx: Context) -> Document | None:
    spec = spread.data.get("spec")
    if not isinstance(spec, dict):
        ctx.error(spread, ("spec",), "must be a mapping with targetRef and subsets")
        return None
    ref = spec.get("targetRef")
    path: FieldPath = ("spec", "targetRef")
    problem = refs.ref_problem(ref)
    if problem is not None or not isinstance(ref, dict):
        ctx.error(spread, path, f"{problem} (no targetRef defined in WorkloadSpread)")
        return None
    groups = TARGET_GROUPS.get(ref["kind"])
    if groups is None or group_of(ref["apiVersion"]) not in groups:
        ctx.error(
            spread, path,
            f"cannot split {refs.describe(ref)}: a static render splits only Deployment, ReplicaSet, Job, "
            "StatefulSet and CloneSet (Kruise reaches other kinds through a run-time whitelist)",
        )
        return None
    target = refs.find(docs, namespace_or_default(spread.data), ref)
    if target is None:
        ctx.error(spread, path, f"target {refs.describe(ref)} is not among the input objects; "
                                "render it together with its WorkloadSpread")
    return target


def _split(spread: Document, target: Document, ctx: Context) -> list[Obj] | None:
    spec = spread.data["spec"]
    subsets = spec.get("subsets")
    if not isinstance(subsets, list) or not subsets or not all(isinstance(s, dict) for s in subsets):
        ctx.error(spread, ("spec", "subsets"), "subsets number must >= 1 in WorkloadSpread (a list of mappings)")
        return None
    if not _check_strategy(spread, spec, ctx):
        return None
    total = _target_replicas(spread, target, ctx)
    if total is None or not _check_subsets(spread, target, subsets, ctx):
        return None
    sizes = _allocate(subsets, total)
    left = total - sum(sizes)
    if left > 0 and not ctx.not_expressible(
        spread, ("spec", "subsets"),
        f"{left} of the {total} replicas of {target.id} fit in no subset (Kruise creates those pods without any "
        "subset constraint)",
    ):
        return None
    ctx.warning(
        spread, None,
        f"{target.id} becomes {len(subsets)} fixed-size workloads: pods no longer overflow between subsets "
        "(a subset that cannot schedule keeps its pods pending) and scaling must be done per subset",
    )
    _warn_references(spread, target, ctx)
    parts: list[Obj] = []
    for index, (subset, size) in enumerate(zip(subsets, sizes, strict=True)):
        part = _subset_workload(spread, target, index, subset, size, ctx)
        if part is None:
            return None
        if any(p["metadata"]["name"] == part["metadata"]["name"] for p in parts):
            ctx.error(spread, ("spec", "subsets", index, "name"),
                      f"two subsets would both create {part['metadata']['name']} (names are lower-cased)")
            return None
        parts.append(part)
    return parts


def _check_strategy(spread: Document, spec: Obj, ctx: Context) -> bool:
    strategy = spec.get("scheduleStrategy")
    if strategy is not None and not isinstance(strategy, dict):
        ctx.error(spread, ("spec", "scheduleStrategy"), "must be a mapping")
        return False
    kind = get_map(strategy).get("type") or "Fixed"
    if kind not in ("Fixed", "Adaptive"):
        ctx.error(spread, ("spec", "scheduleStrategy", "type"), "ScheduleStrategy's type is not valid (Fixed or Adaptive)")
        return False
    if get_map(strategy).get("adaptive") is not None and kind != "Adaptive":
        ctx.error(spread, ("spec", "scheduleStrategy", "type"),
                  "the scheduleStrategy's type must be adaptive when using adaptive scheduleStrategy")
        return False
    if kind == "Adaptive":
        ctx.controller_only(spread, ("spec", "scheduleStrategy"), "Adaptive moves pods that cannot schedule to the next subset")
    return spec.get("targetFilter") is None or ctx.not_expressible(
        spread, ("spec", "targetFilter"),
        "a target filter spreads only some of the target's pods; a split workload holds all of them",
    )


def _target_replicas(spread: Document, target: Document, ctx: Context) -> int | None:
    """getWorkloadReplicas: spec.replicas, or spec.parallelism for a Job; both default to 1."""
    key = "parallelism" if target.kind == "Job" else "replicas"
    value = get_map(target.data, "spec").get(key, 1)
    if value is None:
        value = 1
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        ctx.error(spread, ("spec", "targetRef"),
                  f"target {target.id} spec.{key} must be a non-negative integer to split it")
        return None
    return value


def _check_subsets(spread: Document, target: Document, subsets: list[Obj], ctx: Context) -> bool:
    names: set[str] = set()
    first_percent: bool | None = None
    percent_sum = 0
    for i, subset in enumerate(subsets):
        path = ("spec", "subsets", i)
        name = subset.get("name")
        if not isinstance(name, str) or not name:
            ctx.error(spread, (*path, "name"), "a subset needs a name")
            return False
        if name in names:
            ctx.error(spread, (*path, "name"), f"duplicated subset name {name}")
            return False
        names.add(name)
        if not is_label_value(name):
            ctx.error(spread, (*path, "name"), f"{name!r} must be a valid label value (it labels the subset's pods)")
            return False
        if not _check_scheduling(spread, path, subset, ctx):
            return False
        if subset.get("maxReplicas") is None:
            continue
        limit = subset["maxReplicas"]
        percent = intstr.is_percent(limit)
        try:
            # intstr.GetValueFromIntOrPercent(maxReplicas, 100, true) in the webhook.
            number = intstr.scaled(limit, 100, True)
        except intstr.IntStrError as exc:
            ctx.error(spread, (*path, "maxReplicas"), str(exc))
            return False
        if first_percent is None:
            first_percent = percent
        elif percent != first_percent:
            ctx.error(spread, (*path, "maxReplicas"), "the maxReplicas type of all subsets must be the same")
            return False
        if percent and target.kind == "StatefulSet":
            ctx.error(spread, (*path, "maxReplicas"), "the maxReplicas type must be Int for StatefulSet")
            return False
        if number < 0:
            ctx.error(spread, (*path, "maxReplicas"), "maxReplicas is not valid for subset")
            return False
        if percent:
            percent_sum += number
            if percent_sum > 100:
                ctx.error(spread, (*path, "maxReplicas"), "the sum of all subset's maxReplicas exceeds 100% is no permitted")
                return False
    if first_percent and percent_sum < 100 and subsets[-1].get("maxReplicas") is not None:
        ctx.error(spread, ("spec", "subsets", 0, "maxReplicas"),
                  "maxReplicas sum of all subsets must equal 100% when type is specified as percent")
        return False
    return True


def _check_scheduling(spread: Document, path: FieldPath, subset: Obj, ctx: Context) -> bool:
    term = subset.get("requiredNodeSelectorTerm")
    if term is not None and (
        not isinstance(term, dict)
        or not all(isinstance(term.get(k) or [], list) for k in ("matchExpressions", "matchFields"))
    ):
        ctx.error(spread, (*path, "requiredNodeSelectorTerm"),
                  "must be a node selector term (matchExpressions, matchFields lists)")
        return False
    for key in ("preferredNodeSelectorTerms", "tolerations"):
        if subset.get(key) is not None and not isinstance(subset[key], list):
            ctx.error(spread, (*path, key), "must be a list")
            return False
    if subset.get("patch") is not None and not isinstance(subset["patch"], dict):
        ctx.error(spread, (*path, "patch"), "must be a mapping (a strategic merge patch of the pod)")
        return False
    return True


def _allocate(subsets: list[Obj], total: int) -> list[int]:
    sizes = []
    left = total
    for subset in subsets:
        limit = subset.get("maxReplicas")
        size = left if limit is None else min(intstr.scaled(limit, total, round_up=True), left)
        sizes.append(size)
        left -= size
    return sizes


def _subset_workload(
    spread: Document, target: Document, index: int, subset: Obj, size: int, ctx: Context
) -> Obj | None:
    subset_name = subset["name"]
    name = f"{target.name}-{subset_name}".lower()
    if not is_dns1123_label(name, name_limit(target.kind)):
        ctx.error(
            spread, ("spec", "subsets", index, "name"),
            f"the split workload name {name!r} (<target>-<subset>, lower case) must be a DNS label of at most "
            f"{name_limit(target.kind)} characters for a {target.kind}",
        )
        return None
    workload = copy.deepcopy(target.data)
    meta = ensure_map(workload, "metadata")
    meta["name"] = name
    ensure_map(meta, "labels")[SUBSET_LABEL] = subset_name
    spec = workload.setdefault("spec", {})
    if not isinstance(spec, dict):
        ctx.error(spread, ("spec", "targetRef"), f"target {target.id} has no spec mapping to spread")
        return None
    if not _set_size(spread, target, spec, size, ctx):
        return None
    if target.kind != "Job" or isinstance(spec.get("selector"), dict):
        ensure_map(spec, "selector", "matchLabels")[SUBSET_LABEL] = subset_name
    template = spec.get("template")
    if not isinstance(template, dict):
        ctx.error(spread, ("spec", "targetRef"), f"target {target.id} has no spec.template to spread")
        return None
    pod_meta, _ = ensure_template_parts(template)
    ensure_map(pod_meta, "labels")[SUBSET_LABEL] = subset_name
    injected = _inject(spread, index, subset, template, ctx)
    if injected is None:
        return None
    spec["template"] = injected
    injected_meta = injected.get("metadata")
    pod_labels = (injected_meta.get("labels") if isinstance(injected_meta, dict) else None) or {}
    if not isinstance(pod_labels, dict):
        ctx.error(spread, ("spec", "subsets", index, "patch"),
                  f"subset {subset_name}: the patched pod labels are not a mapping")
        return None
    if isinstance(spec.get("selector"), dict):
        try:
            selectors.validate(spec["selector"])
        except selectors.SelectorError as exc:
            ctx.error(spread, ("spec", "targetRef"), f"target {name}: invalid spec.selector: {exc}")
            return None
    if isinstance(spec.get("selector"), dict) and not selectors.matches(spec["selector"], pod_labels):
        ctx.error(spread, ("spec", "subsets", index, "patch"),
                  f"subset {subset_name}: the patched pod labels no longer match the selector of {name}")
        return None
    return workload


def _set_size(spread: Document, target: Document, spec: Obj, size: int, ctx: Context) -> bool:
    if target.kind != "Job":
        spec["replicas"] = size
        return True
    completions = spec.get("completions")
    if completions is not None and completions != spec.get("parallelism", 1):
        return ctx.not_expressible(
            spread, ("spec", "targetRef"),
            f"target {target.id} has completions different from parallelism; completions cannot be split by subset",
        ) and _set_parallelism(spec, size, keep_completions=True)
    return _set_parallelism(spec, size, keep_completions=completions is None)


def _set_parallelism(spec: Obj, size: int, keep_completions: bool) -> bool:
    spec["parallelism"] = size
    if not keep_completions:
        spec["completions"] = size
    return True


def _inject(spread: Document, index: int, subset: Obj, template: Obj, ctx: Context) -> Obj | None:
    """injectWorkloadSpreadIntoPod, on the pod template."""
    _, pod_spec = ensure_template_parts(template)
    nodes.add_tolerations(pod_spec, subset.get("tolerations"))
    preferred = subset.get("preferredNodeSelectorTerms") or []
    if preferred:
        node_affinity = nodes.ensure_node_affinity(pod_spec)
        key = "preferredDuringSchedulingIgnoredDuringExecution"
        node_affinity[key] = [*(node_affinity.get(key) or []), *copy.deepcopy(preferred)]
    term = subset.get("requiredNodeSelectorTerm")
    if term is not None:
        nodes.require_node_term(pod_spec, term)
    patch = subset.get("patch")
    if patch is not None:
        patched = _patch(spread, ("spec", "subsets", index, "patch"), template, patch, ctx)
        if patched is None:
            return None
        template = patched
    pod_meta, _ = ensure_template_parts(template)
    # pkg/util/workloadspread InjectWorkloadSpread, json.Marshal'd in struct order
    ensure_map(pod_meta, "annotations")[MATCHED_ANNOTATION] = gojson.marshal({"name": spread.name, "subset": subset["name"]})
    return template


def _warn_references(spread: Document, target: Document, ctx: Context) -> None:
    for doc in ctx.inputs:
        ref = get_map(doc.data, "spec", "scaleTargetRef")
        if ref.get("kind") == target.kind and ref.get("name") == target.name and (
            namespace_or_default(doc.data) == namespace_or_default(target.data)
        ):
            ctx.warning(spread, None, f"{doc.id} scales {target.id}, which no longer exists after the split")


def _patch(spread: Document, path: FieldPath, template: Obj, patch: Obj, ctx: Context) -> Obj | None:
    """The subset patch as a strategic merge patch, then Kruise's typed decode of the Pod.

    As in injectWorkloadSpreadIntoPod, a patch that changes priorityClassName clears `priority`
    (the admission plugin sets it again from the new class).
    """
    for dropped in smp.prune_unknown(patch, "PodTemplateSpec")[1]:
        ctx.warning(spread, (*path, *dropped), "not a field of Kubernetes' pod types as Kruise v1.9.0 knows them; "
                                               "Kruise drops it, and so does the render")
    try:
        patched = smp.apply(template, patch, "PodTemplateSpec")
    except smp.StrategicMergeError as exc:
        ctx.error(spread, (*path, *exc.path), f"invalid patch: {exc.message}")
        return None
    pruned: Obj = smp.prune_unknown(patched, "PodTemplateSpec")[0]  # a PodTemplateSpec stays a mapping
    before, after = get_map(template, "spec"), pruned.get("spec")
    if isinstance(after, dict) and after.get("priorityClassName") != before.get("priorityClassName"):
        after.pop("priority", None)
    return pruned
