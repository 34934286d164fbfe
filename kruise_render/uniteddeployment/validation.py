"""What Kruise's UnitedDeployment admission webhook rejects on create, as (path, message) pairs.

pkg/webhook/uniteddeployment/validating/uniteddeployment_validation.go@v1.9.0
(`validateUnitedDeploymentSpec`, `validateSubsetTemplate`, `validateSubsetReplicas`). Only the
create-time rules apply: a renderer has no previous object to compare with. Messages name the
subset; paths point at the field.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kruise_render.diagnostics import FieldPath
from kruise_render.k8s import selectors
from kruise_render.k8s.naming import is_dns1123_label
from kruise_render.k8s.podtemplate import UNITED_DEPLOYMENT_TEMPLATES
from kruise_render.uniteddeployment.allocate import (
    AllocationError,
    parse_replicas,
    uses_min_max,
)

Problem = tuple[FieldPath, str]

_CAPACITY_UNLIMITED = 1_000_000  # the webhook counts an unset maxReplicas as this in its sums
_STATEFUL = ("statefulSetTemplate", "advancedStatefulSetTemplate")
_TAINT_EFFECTS = ("", "NoSchedule", "PreferNoSchedule", "NoExecute")

SUBSETS: FieldPath = ("spec", "topology", "subsets")


def mapping(value: Any) -> Mapping[str, Any]:
    """The value if it is a mapping, else an empty one (shape errors are reported separately)."""
    return value if isinstance(value, Mapping) else {}


def subset_list(spec: Mapping[str, Any]) -> list[Any]:
    subsets = mapping(spec.get("topology")).get("subsets")
    return subsets if isinstance(subsets, list) else []


def template_keys(spec: Mapping[str, Any]) -> list[str]:
    template = mapping(spec.get("template"))
    return [key for key in UNITED_DEPLOYMENT_TEMPLATES if template.get(key) is not None]


def is_adaptive(spec: Mapping[str, Any]) -> bool:
    strategy = mapping(mapping(spec.get("topology")).get("scheduleStrategy"))
    return strategy.get("type") == "Adaptive"


def reserves_pods(spec: Mapping[str, Any]) -> bool:
    strategy = mapping(mapping(spec.get("topology")).get("scheduleStrategy"))
    return is_adaptive(spec) and mapping(strategy.get("adaptive")).get("reserveUnschedulablePods") is True


def total_replicas(spec: Mapping[str, Any]) -> int | None:
    value = spec.get("replicas")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def validate(spec: Any) -> list[Problem]:
    if not isinstance(spec, Mapping):
        return [(("spec",), "must be a mapping")]
    problems: list[Problem] = []
    replicas = spec.get("replicas")
    if replicas is not None and (isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0):
        problems.append((("spec", "replicas"), f"must be a non-negative integer, got {replicas!r}"))
    problems += _selector(spec)
    problems += _templates(spec)
    if reserves_pods(spec) and any(key in _STATEFUL for key in template_keys(spec)):
        problems.append((("spec", "topology", "scheduleStrategy"),
                         "reserveUnschedulablePods only supports deploymentTemplate and cloneSetTemplate"))
    topology = spec.get("topology")
    if topology is not None and not isinstance(topology, Mapping):
        problems.append((("spec", "topology"), "must be a mapping"))
    elif topology is not None and mapping(topology).get("subsets") is not None and not isinstance(topology.get("subsets"), list):
        problems.append((SUBSETS, "must be a list"))
    problems += _subsets(spec)
    problems += _replicas(spec)
    problems += _partitions(spec)
    return problems


def _selector(spec: Mapping[str, Any]) -> list[Problem]:
    selector = spec.get("selector")
    if selector is None:
        return [(("spec", "selector"), "is required")]
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        return [(("spec", "selector") + tuple(exc.path), str(exc))]
    if selectors.is_empty(selector):
        return [(("spec", "selector"), "must not be empty (Kruise rejects an empty selector)")]
    return []


def _templates(spec: Mapping[str, Any]) -> list[Problem]:
    template = spec.get("template")
    keys = template_keys(spec)
    if not isinstance(template, Mapping) or not keys:
        return [(("spec", "template"), "needs one of " + ", ".join(UNITED_DEPLOYMENT_TEMPLATES))]
    if len(keys) > 1:
        return [(("spec", "template"), "must hold only one of " + ", ".join(keys))]
    key = keys[0]
    base: FieldPath = ("spec", "template", key)
    workload = template[key]
    if not isinstance(workload, Mapping) or not isinstance(workload.get("spec", {}), Mapping):
        return [(base, "must be a mapping with metadata and spec")]
    problems: list[Problem] = []
    selector = spec.get("selector")
    valid_selector = isinstance(selector, Mapping) and not _selector(spec)
    metadata = mapping(workload.get("metadata"))
    body = mapping(workload.get("spec"))
    pod = mapping(body.get("template"))
    if key != "cloneSetTemplate":  # Kruise's webhook has no cloneSetTemplate branch
        if valid_selector and not selectors.matches(selector, mapping(metadata.get("labels"))):
            problems.append((base + ("metadata", "labels"), "selector does not match the template's labels"))
        if valid_selector and not selectors.matches(selector, mapping(mapping(pod.get("metadata")).get("labels"))):
            problems.append((base + ("spec", "template", "metadata", "labels"),
                             "selector does not match the pod template's labels"))
        if body.get("replicas") is not None:
            problems.append((base + ("spec", "replicas"), f"must not be set: replicas in {key} will not be used"))
    if key in _STATEFUL:
        strategy = mapping(body.get("updateStrategy"))
        if strategy.get("type") == "RollingUpdate" and mapping(strategy.get("rollingUpdate")).get("partition") is not None:
            problems.append((base + ("spec", "updateStrategy", "rollingUpdate", "partition"),
                             f"must not be set: partition in {key} will not be used "
                             "(use spec.updateStrategy.manualUpdate.partitions)"))
    return problems


def _subsets(spec: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    adaptive = is_adaptive(spec)
    for i, subset in enumerate(subset_list(spec)):
        here = SUBSETS + (i,)
        if not isinstance(subset, Mapping):
            problems.append((here, "must be a mapping"))
            continue
        name = subset.get("name")
        label = f"subset {name}" if isinstance(name, str) and name else f"subset [{i}]"
        if not isinstance(name, str) or not name:
            problems.append((here + ("name",), "is required"))
        elif name in seen:
            problems.append((here + ("name",), f"duplicate subset name {name}"))
        elif not is_dns1123_label(name):
            problems.append((here + ("name",), f"{label}: must be a DNS-1123 label (lower case alphanumerics "
                                               "and '-', at most 63 characters)"))
        if isinstance(name, str):
            seen.add(name)
        term = subset.get("nodeSelectorTerm")
        if term is not None:
            try:
                selectors.validate_node_selector_term(term)
            except selectors.SelectorError as exc:
                problems.append((here + ("nodeSelectorTerm",) + tuple(exc.path), f"{label}: {exc}"))
        problems += [(here + ("tolerations",) + path, f"{label}: {message}")
                     for path, message in _tolerations(subset.get("tolerations"))]
        if adaptive and subset.get("replicas") is not None:
            problems.append((here + ("replicas",), f"{label}: must not be set with scheduleStrategy Adaptive "
                                                   "(use minReplicas/maxReplicas)"))
        patch = subset.get("patch")
        if patch is not None and not isinstance(patch, Mapping):
            problems.append((here + ("patch",), f"{label}: must be a mapping (a patch of the pod template)"))
    return problems


def _tolerations(tolerations: Any) -> list[Problem]:
    """ValidateTolerations, the parts that do not need Kubernetes' name grammar."""
    if tolerations is None:
        return []
    if not isinstance(tolerations, list):
        return [((), "must be a list")]
    problems: list[Problem] = []
    for i, toleration in enumerate(tolerations):
        if not isinstance(toleration, Mapping):
            problems.append(((i,), "must be a mapping"))
            continue
        operator = toleration.get("operator") or "Equal"
        if operator not in ("Equal", "Exists"):
            problems.append(((i, "operator"), f"must be Equal or Exists, got {operator!r}"))
        if not toleration.get("key") and operator != "Exists":
            problems.append(((i, "operator"), "must be Exists when key is empty"))
        if operator == "Exists" and toleration.get("value"):
            problems.append(((i, "value"), "must be empty when operator is Exists"))
        effect = toleration.get("effect") or ""
        if effect not in _TAINT_EFFECTS:
            problems.append(((i, "effect"), f"must be one of NoSchedule, PreferNoSchedule, NoExecute, got {effect!r}"))
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            problems.append(((i, "effect"), "must be NoExecute when tolerationSeconds is set"))
    return problems


def _replicas(spec: Mapping[str, Any]) -> list[Problem]:
    """validateSubsetReplicas: percentages, the fixed sums and the min/max rules."""
    total = total_replicas(spec)
    if spec.get("replicas") is not None and total is None:
        return []  # reported as spec.replicas already
    subsets = [s for s in subset_list(spec) if isinstance(s, Mapping)]
    problems: list[Problem] = []
    sum_replicas = sum_min = sum_max = 0
    count_replicas = count_max = 0
    for i, subset in enumerate(subset_list(spec)):
        if not isinstance(subset, Mapping):
            continue
        label = f"subset {subset.get('name')}"
        values: dict[str, int] = {}
        for field in ("replicas", "minReplicas", "maxReplicas"):
            if subset.get(field) is None:
                continue
            try:
                values[field] = parse_replicas(total, subset[field])
            except AllocationError as exc:
                problems.append((SUBSETS + (i, field), f"{label}: {field} {exc}"))
                values[field] = 0
        count_replicas += "replicas" in values
        count_max += "maxReplicas" in values
        sum_replicas += values.get("replicas", 0)
        low, high = values.get("minReplicas", 0), values.get("maxReplicas", _CAPACITY_UNLIMITED)
        sum_min += low
        sum_max += high
        if low > high:
            problems.append((SUBSETS + (i, "minReplicas"),
                             f"{label}: minReplicas ({low}) must not be greater than maxReplicas ({high})"))
    if problems:
        return problems  # the sums below would only repeat an unreadable value
    if count_replicas and uses_min_max(subsets):
        problems.append((SUBSETS, "replicas and minReplicas/maxReplicas are mutually exclusive in one UnitedDeployment"))
        return problems
    if uses_min_max(subsets):
        if total is None:
            problems.append((SUBSETS, "spec.replicas must be set when subsets use minReplicas/maxReplicas"))
        if count_max >= len(subsets):
            problems.append((SUBSETS, "at least one subset must leave maxReplicas unset"))
        if sum_min > sum_max:
            problems.append((SUBSETS, f"the sum of minReplicas ({sum_min}) is greater than the sum of maxReplicas ({sum_max})"))
    elif total is not None:
        if sum_replicas > total:
            problems.append((SUBSETS, f"the subsets specify {sum_replicas} replicas, more than spec.replicas ({total})"))
        elif subsets and count_replicas == len(subsets) and sum_replicas != total:
            problems.append((SUBSETS, f"every subset specifies replicas and they add up to {sum_replicas}, "
                                      f"not to spec.replicas ({total})"))
    elif count_replicas != len(subsets):
        unspecified = [str(s.get("name")) for s in subsets if s.get("replicas") is None]
        problems.append((SUBSETS, "spec.replicas is not set, so every subset must specify replicas "
                                 f"(unspecified: {', '.join(unspecified)})"))
    return problems


def _partitions(spec: Mapping[str, Any]) -> list[Problem]:
    manual = mapping(spec.get("updateStrategy")).get("manualUpdate")
    partitions = mapping(manual).get("partitions")
    if partitions is None:
        return []
    where: FieldPath = ("spec", "updateStrategy", "manualUpdate", "partitions")
    if not isinstance(partitions, Mapping):
        return [(where, "must be a mapping of subset name to partition")]
    names = {s.get("name") for s in subset_list(spec) if isinstance(s, Mapping) and isinstance(s.get("name"), str)}
    problems: list[Problem] = []
    for name, value in partitions.items():
        if name not in names:
            problems.append((where + (name,), f"subset {name} does not exist"))
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append((where + (name,), f"subset {name}: partition must be a non-negative integer, got {value!r}"))
    return problems
