"""What Kruise's UnitedDeployment admission webhook rejects on create, as FieldErrors.

pkg/webhook/uniteddeployment/validating/uniteddeployment_validation.go@v1.9.0
(`validateUnitedDeploymentSpec`, `validateSubsetTemplate`, `validateSubsetReplicas`). Only the
create-time rules apply: a renderer has no previous object to compare with. Messages name the
subset; paths point at the field. The problems are collected, not raised: one run reports all.
"""
from __future__ import annotations

from typing import Any

from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.k8s import selectors
from kruise_render.k8s.naming import is_dns1123_label
from kruise_render.k8s.podtemplate import UNITED_DEPLOYMENT_TEMPLATES
from kruise_render.obj import Obj, get_list, get_map, maps
from kruise_render.uniteddeployment.allocate import (
    AllocationError,
    parse_replicas,
    uses_min_max,
)

_CAPACITY_UNLIMITED = 1_000_000  # the webhook counts an unset maxReplicas as this in its sums
_STATEFUL = ("statefulSetTemplate", "advancedStatefulSetTemplate")
_TAINT_EFFECTS = ("", "NoSchedule", "PreferNoSchedule", "NoExecute")

SUBSETS: FieldPath = ("spec", "topology", "subsets")


def subset_list(spec: Obj) -> list[Any]:
    return get_list(spec, "topology", "subsets")


def subset_configs(spec: Obj) -> list[Obj]:
    """The subsets that are mappings (validation reported the others)."""
    return [subset for _, subset in maps(subset_list(spec))]


def template_keys(spec: Obj) -> list[str]:
    template = get_map(spec, "template")
    return [key for key in UNITED_DEPLOYMENT_TEMPLATES if template.get(key) is not None]


def is_adaptive(spec: Obj) -> bool:
    return get_map(spec, "topology", "scheduleStrategy").get("type") == "Adaptive"


def reserves_pods(spec: Obj) -> bool:
    adaptive = get_map(spec, "topology", "scheduleStrategy", "adaptive")
    return is_adaptive(spec) and adaptive.get("reserveUnschedulablePods") is True


def total_replicas(spec: Obj) -> int | None:
    value = spec.get("replicas")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def validate(spec: Any) -> list[FieldError]:
    if not isinstance(spec, dict):
        return [FieldError("must be a mapping", ("spec",))]
    problems: list[FieldError] = []
    replicas = spec.get("replicas")
    if replicas is not None and (isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0):
        problems.append(FieldError(f"must be a non-negative integer, got {replicas!r}", ("spec", "replicas")))
    problems += _selector(spec)
    problems += _templates(spec)
    if reserves_pods(spec) and any(key in _STATEFUL for key in template_keys(spec)):
        problems.append(FieldError("reserveUnschedulablePods only supports deploymentTemplate and cloneSetTemplate",
                                   ("spec", "topology", "scheduleStrategy")))
    topology = spec.get("topology")
    if topology is not None and not isinstance(topology, dict):
        problems.append(FieldError("must be a mapping", ("spec", "topology")))
    elif topology is not None and topology.get("subsets") is not None and not isinstance(topology.get("subsets"), list):
        problems.append(FieldError("must be a list", SUBSETS))
    problems += _subsets(spec)
    problems += _replicas(spec)
    problems += _partitions(spec)
    return problems


def _selector(spec: Obj) -> list[FieldError]:
    selector = spec.get("selector")
    if selector is None:
        return [FieldError("is required", ("spec", "selector"))]
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        return [FieldError(str(exc), ("spec", "selector", *exc.path))]
    if selectors.is_empty(selector):
        return [FieldError("must not be empty (Kruise rejects an empty selector)", ("spec", "selector"))]
    return []


def _templates(spec: Obj) -> list[FieldError]:
    template = spec.get("template")
    keys = template_keys(spec)
    if not isinstance(template, dict) or not keys:
        return [FieldError("needs one of " + ", ".join(UNITED_DEPLOYMENT_TEMPLATES), ("spec", "template"))]
    if len(keys) > 1:
        return [FieldError("must hold only one of " + ", ".join(keys), ("spec", "template"))]
    key = keys[0]
    base: FieldPath = ("spec", "template", key)
    workload = template[key]
    if not isinstance(workload, dict) or not isinstance(workload.get("spec", {}), dict):
        return [FieldError("must be a mapping with metadata and spec", base)]
    problems: list[FieldError] = []
    selector = spec.get("selector")
    valid_selector = isinstance(selector, dict) and not _selector(spec)
    body = get_map(workload, "spec")
    if key != "cloneSetTemplate":  # Kruise's webhook has no cloneSetTemplate branch
        if valid_selector and not selectors.matches(selector, get_map(workload, "metadata", "labels")):
            problems.append(FieldError("selector does not match the template's labels", (*base, "metadata", "labels")))
        if valid_selector and not selectors.matches(selector, get_map(body, "template", "metadata", "labels")):
            problems.append(FieldError("selector does not match the pod template's labels",
                                       (*base, "spec", "template", "metadata", "labels")))
        if body.get("replicas") is not None:
            problems.append(FieldError(f"must not be set: replicas in {key} will not be used", (*base, "spec", "replicas")))
    if key in _STATEFUL:
        strategy = get_map(body, "updateStrategy")
        if strategy.get("type") == "RollingUpdate" and get_map(strategy, "rollingUpdate").get("partition") is not None:
            problems.append(FieldError(f"must not be set: partition in {key} will not be used "
                                       "(use spec.updateStrategy.manualUpdate.partitions)",
                                       (*base, "spec", "updateStrategy", "rollingUpdate", "partition")))
    return problems


def _subsets(spec: Obj) -> list[FieldError]:
    problems: list[FieldError] = []
    seen: set[str] = set()
    adaptive = is_adaptive(spec)
    for i, subset in enumerate(subset_list(spec)):
        here = (*SUBSETS, i)
        if not isinstance(subset, dict):
            problems.append(FieldError("must be a mapping", here))
            continue
        name = subset.get("name")
        label = f"subset {name}" if isinstance(name, str) and name else f"subset [{i}]"
        if not isinstance(name, str) or not name:
            problems.append(FieldError("is required", (*here, "name")))
        elif name in seen:
            problems.append(FieldError(f"duplicate subset name {name}", (*here, "name")))
        elif not is_dns1123_label(name):
            problems.append(FieldError(f"{label}: must be a DNS-1123 label (lower case alphanumerics "
                                       "and '-', at most 63 characters)", (*here, "name")))
        if isinstance(name, str):
            seen.add(name)
        term = subset.get("nodeSelectorTerm")
        if term is not None:
            try:
                selectors.validate_node_selector_term(term)
            except selectors.SelectorError as exc:
                problems.append(FieldError(f"{label}: {exc}", (*here, "nodeSelectorTerm", *exc.path)))
        problems += [FieldError(f"{label}: {problem.message}", (*here, "tolerations", *problem.path))
                     for problem in _tolerations(subset.get("tolerations"))]
        if adaptive and subset.get("replicas") is not None:
            problems.append(FieldError(f"{label}: must not be set with scheduleStrategy Adaptive "
                                       "(use minReplicas/maxReplicas)", (*here, "replicas")))
        patch = subset.get("patch")
        if patch is not None and not isinstance(patch, dict):
            problems.append(FieldError(f"{label}: must be a mapping (a patch of the pod template)", (*here, "patch")))
    return problems


def _tolerations(tolerations: Any) -> list[FieldError]:
    """ValidateTolerations, the parts that do not need Kubernetes' name grammar."""
    if tolerations is None:
        return []
    if not isinstance(tolerations, list):
        return [FieldError("must be a list")]
    problems: list[FieldError] = []
    for i, toleration in enumerate(tolerations):
        if not isinstance(toleration, dict):
            problems.append(FieldError("must be a mapping", (i,)))
            continue
        operator = toleration.get("operator") or "Equal"
        if operator not in ("Equal", "Exists"):
            problems.append(FieldError(f"must be Equal or Exists, got {operator!r}", (i, "operator")))
        if not toleration.get("key") and operator != "Exists":
            problems.append(FieldError("must be Exists when key is empty", (i, "operator")))
        if operator == "Exists" and toleration.get("value"):
            problems.append(FieldError("must be empty when operator is Exists", (i, "value")))
        effect = toleration.get("effect") or ""
        if effect not in _TAINT_EFFECTS:
            problems.append(FieldError(f"must be one of NoSchedule, PreferNoSchedule, NoExecute, got {effect!r}", (i, "effect")))
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            problems.append(FieldError("must be NoExecute when tolerationSeconds is set", (i, "effect")))
    return problems


def _replicas(spec: Obj) -> list[FieldError]:
    """validateSubsetReplicas: percentages, the fixed sums and the min/max rules."""
    total = total_replicas(spec)
    if spec.get("replicas") is not None and total is None:
        return []  # reported as spec.replicas already
    subsets = subset_configs(spec)
    problems: list[FieldError] = []
    sum_replicas = sum_min = sum_max = 0
    count_replicas = count_max = 0
    for i, subset in maps(subset_list(spec)):
        label = f"subset {subset.get('name')}"
        values: dict[str, int] = {}
        for field in ("replicas", "minReplicas", "maxReplicas"):
            if subset.get(field) is None:
                continue
            try:
                values[field] = parse_replicas(total, subset[field])
            except AllocationError as exc:
                problems.append(FieldError(f"{label}: {field} {exc}", (*SUBSETS, i, field)))
                values[field] = 0
        count_replicas += "replicas" in values
        count_max += "maxReplicas" in values
        sum_replicas += values.get("replicas", 0)
        low, high = values.get("minReplicas", 0), values.get("maxReplicas", _CAPACITY_UNLIMITED)
        sum_min += low
        sum_max += high
        if low > high:
            problems.append(FieldError(f"{label}: minReplicas ({low}) must not be greater than maxReplicas ({high})",
                                       (*SUBSETS, i, "minReplicas")))
    if problems:
        return problems  # the sums below would only repeat an unreadable value
    if count_replicas and uses_min_max(subsets):
        problems.append(FieldError("replicas and minReplicas/maxReplicas are mutually exclusive in one UnitedDeployment",
                                   SUBSETS))
        return problems
    if uses_min_max(subsets):
        if total is None:
            problems.append(FieldError("spec.replicas must be set when subsets use minReplicas/maxReplicas", SUBSETS))
        if count_max >= len(subsets):
            problems.append(FieldError("at least one subset must leave maxReplicas unset", SUBSETS))
        if sum_min > sum_max:
            problems.append(FieldError(f"the sum of minReplicas ({sum_min}) is greater than the sum of maxReplicas "
                                       f"({sum_max})", SUBSETS))
    elif total is not None:
        if sum_replicas > total:
            problems.append(FieldError(f"the subsets specify {sum_replicas} replicas, more than spec.replicas ({total})",
                                       SUBSETS))
        elif subsets and count_replicas == len(subsets) and sum_replicas != total:
            problems.append(FieldError(f"every subset specifies replicas and they add up to {sum_replicas}, "
                                       f"not to spec.replicas ({total})", SUBSETS))
    elif count_replicas != len(subsets):
        unspecified = [str(s.get("name")) for s in subsets if s.get("replicas") is None]
        problems.append(FieldError("spec.replicas is not set, so every subset must specify replicas "
                                   f"(unspecified: {', '.join(unspecified)})", SUBSETS))
    return problems


def _partitions(spec: Obj) -> list[FieldError]:
    partitions = get_map(spec, "updateStrategy", "manualUpdate").get("partitions")
    if partitions is None:
        return []
    where: FieldPath = ("spec", "updateStrategy", "manualUpdate", "partitions")
    if not isinstance(partitions, dict):
        return [FieldError("must be a mapping of subset name to partition", where)]
    names = {s.get("name") for s in subset_configs(spec) if isinstance(s.get("name"), str)}
    problems: list[FieldError] = []
    for name, value in partitions.items():
        if name not in names:
            problems.append(FieldError(f"subset {name} does not exist", (*where, name)))
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(FieldError(f"subset {name}: partition must be a non-negative integer, got {value!r}",
                                       (*where, name)))
    return problems
