"""Stage `workloadspread`: split a WorkloadSpread's target into one workload per subset.

Kruise v1.9.0 does not create workloads for a WorkloadSpread: its pod webhook
(pkg/util/workloadspread/workloadspread.go) puts each new pod of the target into a subset and
injects that subset's scheduling constraints into the pod. The static equivalent, like a
UnitedDeployment, is one workload per subset with a fixed size:
- sizes: each subset takes min(maxReplicas, what is left) in declaration order; maxReplicas as a
  percentage of the target's replicas (Job: parallelism) rounds up (initializedSubsetStatuses);
  a subset without maxReplicas takes the rest. A StatefulSet's pods go by ordinal instead
  (acquireSuitableSubset: the first subset whose cumulative maxReplicas exceeds the ordinal);
- replicas that fit no subset: Kruise creates those pods unmodified (updateSubsetForPod finds no
  subset, mutatingPod injects nothing), so they are one more workload,
  `<target>-<workloadspread>-rest`, the target's own template and a selector that leaves the
  subsets' pods out (`apps.kruise.io/subset-name` DoesNotExist);
- a StatefulSet target: Kruise keeps the one StatefulSet, so a split renames every pod, claim and
  DNS name: not expressible; with --allow-lossy each part starts at the ordinal its pods have in
  Kruise (k8s/ordinals.py);
- pod template, in the webhook's order (injectWorkloadSpreadIntoPod): subset tolerations
  appended; preferredNodeSelectorTerms appended; requiredNodeSelectorTerm used as the single term
  when the pod has none, else its matchExpressions AND matchFields appended to every term; the
  subset patch applied as a strategic merge patch; the pod annotation
  `apps.kruise.io/matched-workloadspread: {"name":<ws>,"subset":<subset>}`;
- names `<target>-<subset>` (lower case; within naming.name_limit of the kind), and the label
  `apps.kruise.io/subset-name: <subset>` on the workload, its selector and its pod template, so
  that the split workloads own disjoint pods (UnitedDeployment's label for the same idea).
Validation follows pkg/webhook/workloadspread/validating/workloadspread_validation.go. Lost (a
warning): scaling the target (each workload has a fixed size), and with Adaptive the
rescheduling of pods that cannot schedule (a controller-only warning); Fixed never moves pods
in Kruise either. The WorkloadSpread is consumed; the split workloads stand for the target.
"""
from __future__ import annotations

import copy
import dataclasses

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath, format_path
from kruise_render.document import Document
from kruise_render.k8s import gojson, intstr, nodes, ordinals, refs, selectors, smp
from kruise_render.k8s.identity import group_of
from kruise_render.k8s.naming import is_dns1123_label, is_label_value, name_limit
from kruise_render.k8s.podtemplate import ensure_template_parts
from kruise_render.kinds import WORKLOAD_SPREAD
from kruise_render.obj import Obj, copied, ensure_list, ensure_map, get_list, get_map

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
            replaced[id(target)] = [target.derive(part, note, at=()) for part, note in parts]
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
    target = refs.find(docs, ctx.namespace_of(spread), ref, ctx.options.namespace)
    if target is None:
        ctx.error(spread, path, f"target {refs.describe(ref)} is not among the input objects; "
                                "render it together with its WorkloadSpread", codes.TARGET_MISSING)
    return target


@dataclasses.dataclass
class _Part:
    """One workload of the split: a subset (its index), or the rest (None)."""

    subset: int | None
    size: int
    ordinals: ordinals.Spans | None = None  # StatefulSet targets: the ordinals its pods keep in Kruise


def _split(spread: Document, target: Document, ctx: Context) -> list[tuple[Obj, str]] | None:
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
    plan = _by_ordinal(spread, target, subsets, total, ctx) if target.kind == "StatefulSet" else _by_count(subsets, total)
    if plan is None:
        return None
    rest_name = f"{target.name}-{spread.name}-rest".lower()
    made: list[tuple[Obj, str]] = []
    for part in plan:
        index = part.subset
        subset = subsets[index] if index is not None else None
        workload = _workload(spread, target, index, subset, part, rest_name, ctx)
        if workload is None:
            return None
        name = workload["metadata"]["name"]
        if any(other["metadata"]["name"] == name for other, _ in made):
            path: FieldPath = ("spec", "subsets", index, "name") if index is not None else ("metadata", "name")
            ctx.error(spread, path, f"two workloads of the split would both be named {name} (subset names are "
                                    f"lower-cased; {rest_name} holds the replicas that fit no subset)")
            return None
        note = f"subset {subset['name']} of WorkloadSpread/{spread.name}" if subset is not None else (
            f"the replicas of {target.id} that fit no subset of WorkloadSpread/{spread.name}")
        made.append((workload, note))
    if target.kind == "StatefulSet" and not _renames_accepted(spread, target, plan, made, ctx):
        return None
    names = [workload["metadata"]["name"] for workload, _ in made]
    left = plan[-1].size
    rest = (f" ({left} {'replica fits' if left == 1 else 'replicas fit'} no subset: Kruise creates those pods without "
            f"subset constraints, {names[-1]} holds them)") if plan[-1].subset is None else ""
    ctx.warning(spread, None, f"{target.id} becomes {len(made)} fixed-size workloads, {', '.join(names)}{rest}: scaling "
                              "must be done per workload (Kruise assigns the pods of a scaled target to subsets as "
                              "they are created)")
    return made


def _by_count(subsets: list[Obj], total: int) -> list[_Part]:
    """The webhook's order for Deployments, ReplicaSets, Jobs and CloneSets (getSuitableSubset: the
    first subset with room), and the pods left over, which Kruise creates unconstrained."""
    sizes = _allocate(subsets, total)
    plan = [_Part(index, size) for index, size in enumerate(sizes)]
    left = total - sum(sizes)
    return plan + [_Part(None, left)] if left > 0 else plan


def _by_ordinal(spread: Document, target: Document, subsets: list[Obj], total: int, ctx: Context) -> list[_Part] | None:
    """pkg/util/workloadspread/workloadspread.go acquireSuitableSubset for a StatefulSet: a pod
    goes to the first subset whose cumulative maxReplicas exceeds its ordinal, pods at or past
    the last limit to none. The ordinals are those the target's pods take (k8s/ordinals.py)."""
    spec = get_map(target.data, "spec")
    start = get_map(spec, "ordinals").get("start")
    start = start if isinstance(start, int) and not isinstance(start, bool) and start > 0 else 0
    reserve: ordinals.Spans = []
    if group_of(target.api_version) != "apps":
        # Kruise's own StatefulSet: reserveOrdinals, and ordinals.start only with its gate (getStartOrdinal).
        start = start if ctx.options.gate("StatefulSetStartOrdinal") else 0
        try:
            reserve = ordinals.reserved(spec.get("reserveOrdinals") or [], ("spec", "reserveOrdinals"))
        except FieldError as problem:
            ctx.error(spread, ("spec", "targetRef"), f"target {target.id} {format_path(problem.path)}: {problem.message}")
            return None
    pods = ordinals.pods(reserve, start, total)
    plan: list[_Part] = []
    low = 0
    for index, subset in enumerate(subsets):
        limit = subset.get("maxReplicas")
        high = low + limit if isinstance(limit, int) else 2**63
        taken = ordinals.within(pods, low, high)
        plan.append(_Part(index, _count(taken), taken))
        low = high
    rest = ordinals.within(pods, low, 2**63)
    return plan + [_Part(None, _count(rest), rest)] if rest else plan


def _count(spans: ordinals.Spans) -> int:
    return sum(high - low + 1 for low, high in spans)


def _renames_accepted(spread: Document, target: Document, plan: list[_Part], made: list[tuple[Obj, str]],
                      ctx: Context) -> bool:
    """Kruise keeps the one StatefulSet and its pods' stable identity; split StatefulSets rename
    every pod, claim and DNS name: not expressible, named in the message."""
    names = [workload["metadata"]["name"] for workload, _ in made]
    first = next(((part, name) for part, name in zip(plan, names, strict=True) if part.ordinals), None)
    example = ""
    if first is not None:
        ordinal = first[0].ordinals[0][0] if first[0].ordinals else 0
        example = f" ({target.name}-{ordinal} → {first[1]}-{ordinal}"
        claims = [get_map(claim, "metadata").get("name") for claim in get_list(target.data, "spec", "volumeClaimTemplates")]
        claim = next((c for c in claims if isinstance(c, str) and c), None)
        example += f", claim {claim}-{target.name}-{ordinal} → {claim}-{first[1]}-{ordinal})" if claim else ")"
    return ctx.not_expressible(
        spread, ("spec", "targetRef"),
        f"Kruise keeps {target.id} as one StatefulSet and assigns its pods to subsets by ordinal; split into "
        f"{', '.join(names)}, its pods lose their stable identity: names, claims and DNS names{example}",
    )


def _check_strategy(spread: Document, spec: Obj, ctx: Context) -> bool:
    strategy = spec.get("scheduleStrategy")
    if strategy is not None and not isinstance(strategy, dict):
        ctx.error(spread, ("spec", "scheduleStrategy"), "must be a mapping")
        return False
    kind = get_map(strategy).get("type") or "Fixed"
    if kind not in ("Fixed", "Adaptive"):
        ctx.error(spread, ("spec", "scheduleStrategy", "type"), "ScheduleStrategy's type is not valid (Fixed or Adaptive)")
        return False
    adaptive = get_map(strategy).get("adaptive")
    if adaptive is not None and kind != "Adaptive":
        ctx.error(spread, ("spec", "scheduleStrategy", "type"),
                  "the scheduleStrategy's type must be adaptive when using adaptive scheduleStrategy")
        return False
    if adaptive is not None and not _check_adaptive(spread, spec, get_map(adaptive), ctx):
        return False
    if kind == "Adaptive":
        ctx.controller_only(spread, ("spec", "scheduleStrategy"), "Adaptive moves pods that cannot schedule to the next subset")
    return spec.get("targetFilter") is None or ctx.not_expressible(
        spread, ("spec", "targetFilter"),
        "a target filter spreads only some of the target's pods; a split workload holds all of them",
    )


def _check_adaptive(spread: Document, spec: Obj, adaptive: Obj, ctx: Context) -> bool:
    """workloadspread_validation.go, with an `adaptive` block: the last of several subsets must be
    unlimited (so no pod is ever left over), and rescheduleCriticalSeconds must lie in
    0 … (300 s MaxScheduledFailedDuration − 5) / (subsets − 1)."""
    path: FieldPath = ("spec", "scheduleStrategy", "adaptive")
    subsets = get_list(spec, "subsets")
    ok = True
    if len(subsets) > 1 and get_map(subsets[-1]).get("maxReplicas") is not None:
        ctx.error(spread, path, "the last subset's maxReplicas must be not specified when using adaptive scheduleStrategy")
        ok = False
    allowed = (300 - 5) // (len(subsets) - 1) if len(subsets) > 1 else 2**31 - 1
    seconds = adaptive.get("rescheduleCriticalSeconds")
    if isinstance(seconds, int) and not 0 <= seconds <= allowed:
        ctx.error(spread, (*path, "rescheduleCriticalSeconds"),
                  f"rescheduleCriticalSeconds < 0 or rescheduleCriticalSeconds > {allowed} is not permitted")
        ok = False
    return ok


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


def _workload(spread: Document, target: Document, index: int | None, subset: Obj | None, part: _Part,
              rest_name: str, ctx: Context) -> Obj | None:
    """One workload of the split: a subset's (its scheduling injected, the subset label on it, its
    selector and its pods), or the rest's (the target's own pods, unconstrained, and a selector
    that leaves the subsets' pods out)."""
    name = f"{target.name}-{subset['name']}".lower() if subset is not None else rest_name
    where: FieldPath = ("spec", "subsets", index, "name") if index is not None else ("metadata", "name")
    if not is_dns1123_label(name, name_limit(target.kind)):
        ctx.error(
            spread, where,
            f"the split workload name {name!r} ({'<target>-<subset>' if subset is not None else '<target>-<workloadspread>-rest'}"
            f", lower case) must be a DNS label of at most {name_limit(target.kind)} characters for a {target.kind}",
        )
        return None
    workload = copied(target.data)
    meta = ensure_map(workload, "metadata")
    meta["name"] = name
    if subset is not None:
        ensure_map(meta, "labels")[SUBSET_LABEL] = subset["name"]
    spec = workload.setdefault("spec", {})
    if not isinstance(spec, dict):
        ctx.error(spread, ("spec", "targetRef"), f"target {target.id} has no spec mapping to spread")
        return None
    if not _set_size(spread, target, spec, part.size, ctx):
        return None
    if part.ordinals is not None:
        _keep_ordinals(target, spec, part.ordinals, ctx)
    selector = spec.get("selector")
    if subset is None:
        if isinstance(selector, dict):
            ensure_list(selector, "matchExpressions").append({"key": SUBSET_LABEL, "operator": "DoesNotExist"})
        return workload
    if target.kind != "Job" or isinstance(selector, dict):
        ensure_map(spec, "selector", "matchLabels")[SUBSET_LABEL] = subset["name"]
    template = spec.get("template")
    if not isinstance(template, dict):
        ctx.error(spread, ("spec", "targetRef"), f"target {target.id} has no spec.template to spread")
        return None
    pod_meta, _ = ensure_template_parts(template)
    ensure_map(pod_meta, "labels")[SUBSET_LABEL] = subset["name"]
    assert index is not None
    injected = _inject(spread, index, subset, template, ctx)
    if injected is None:
        return None
    spec["template"] = injected
    injected_meta = injected.get("metadata")
    pod_labels = (injected_meta.get("labels") if isinstance(injected_meta, dict) else None) or {}
    if not isinstance(pod_labels, dict):
        ctx.error(spread, ("spec", "subsets", index, "patch"),
                  f"subset {subset['name']}: the patched pod labels are not a mapping")
        return None
    if isinstance(spec.get("selector"), dict):
        try:
            selectors.validate(spec["selector"])
        except selectors.SelectorError as exc:
            ctx.error(spread, ("spec", "targetRef"), f"target {name}: invalid spec.selector: {exc}")
            return None
    if isinstance(spec.get("selector"), dict) and not selectors.matches(spec["selector"], pod_labels):
        ctx.error(spread, ("spec", "subsets", index, "patch"),
                  f"subset {subset['name']}: the patched pod labels no longer match the selector of {name}")
        return None
    return workload


def _keep_ordinals(target: Document, spec: Obj, spans: ordinals.Spans, ctx: Context) -> None:
    """A split StatefulSet's pods start at the first ordinal they have in Kruise (gaps between
    them, from reserved ordinals, are not kept). Kruise's own StatefulSet says so with a reserved
    prefix, which its stage turns into ordinals.start whatever Kruise's start-ordinal gate; a
    native one with ordinals.start, where the cluster has it."""
    first = spans[0][0] if spans else 0
    spec.pop("ordinals", None)
    spec.pop("reserveOrdinals", None)
    if first == 0:
        return
    if group_of(target.api_version) != "apps":
        spec["reserveOrdinals"] = [0] if first == 1 else [f"0-{first - 1}"]
    elif ctx.options.kube_version >= ordinals.NATIVE_START:
        spec["ordinals"] = {"start": first}


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


def _patch(spread: Document, path: FieldPath, template: Obj, patch: Obj, ctx: Context) -> Obj | None:
    """The subset patch as a strategic merge patch, then Kruise's typed decode of the Pod.

    As in injectWorkloadSpreadIntoPod, a patch that changes priorityClassName clears `priority`
    (the admission plugin sets it again from the new class).
    """
    for dropped in smp.prune_unknown(patch, "PodTemplateSpec")[1]:
        ctx.warning(spread, (*path, *dropped), "not a field of Kubernetes' pod types as Kruise v1.9.0 knows them; "
                                               "Kruise drops it, and so does the render", codes.PRUNED)
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
