"""One subset workload, built as Kruise's subset adapters build it (§3.3–§3.6 of the UD spec).

pkg/controller/uniteddeployment/adapter/{statefulset,advanced_statefulset,cloneset,deployment}_adapter.go
`ApplySubsetTemplate` and adapter_util.go (`attachNodeAffinity`, `attachTolerations`), v1.9.0.
Differences on purpose (decided for a static render): a fixed `metadata.name` `<ud>-<subset>`
instead of `generateName`, our own revision hash, and no ownerReferences (there is no UID).
"""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from kruise_render.k8s import gojson, nodes, smp
from kruise_render.k8s.podtemplate import (
    UNITED_DEPLOYMENT_TEMPLATES,
    ensure_template_parts,
)
from kruise_render.uniteddeployment.validation import mapping

SUBSET_NAME_LABEL = "apps.kruise.io/subset-name"
REVISION_LABEL = "apps.kruise.io/controller-revision-hash"
SUBSET_PATCH_ANNOTATION = "apps.kruise.io/subset-patch"

_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery util/rand SafeEncodeString
_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, 0x01000193


@dataclasses.dataclass(frozen=True)
class SubsetPlan:
    name: str
    config: Mapping[str, Any]  # the subset entry of spec.topology.subsets
    replicas: int
    partition: int


def revision(ud_name: str, template: Any) -> str:
    """`<ud-name>-<hash>`: the shape of Kruise's ControllerRevision name (revision.go), hashing
    only spec.template as Kruise does. FNV-1 32 of the canonical JSON plus the collision count
    "0", decimal, safe-encoded. Stable, but not byte-identical to Kruise (which hashes Go's typed
    JSON including defaulted fields)."""
    data = gojson.dumps({"spec": {"template": {**mapping(template), "$patch": "replace"}}}) + "0"
    value = _FNV_OFFSET
    for byte in data.encode("utf-8"):
        value = (value * _FNV_PRIME) & 0xFFFFFFFF
        value ^= byte
    encoded = "".join(_SAFE_ALPHABET[ord(ch) % len(_SAFE_ALPHABET)] for ch in str(value))
    return f"{ud_name[:223]}-{encoded}"


def build(ud: Mapping[str, Any], template_key: str, plan: SubsetPlan, revision_value: str) -> dict[str, Any]:
    """The subset workload (Kruise kind for advancedStatefulSet/cloneSet templates).

    Raises smp.StrategicMergeError when the subset's patch is invalid (Kruise creates nothing then).
    """
    api_version, kind = UNITED_DEPLOYMENT_TEMPLATES[template_key]
    ud_meta = mapping(ud.get("metadata"))
    ud_spec = mapping(ud.get("spec"))
    workload = mapping(mapping(ud_spec.get("template")).get(template_key))
    template_meta = mapping(workload.get("metadata"))

    labels = dict(mapping(template_meta.get("labels")))
    selector = copy.deepcopy(dict(mapping(ud_spec.get("selector"))))
    labels.update(mapping(selector.get("matchLabels")))
    labels[REVISION_LABEL] = revision_value
    labels[SUBSET_NAME_LABEL] = plan.name
    annotations = dict(mapping(template_meta.get("annotations")))
    patch = plan.config.get("patch")
    annotations[SUBSET_PATCH_ANNOTATION] = "" if patch is None else gojson.dumps(patch)

    metadata: dict[str, Any] = {"name": f"{ud_meta.get('name')}-{plan.name}"}
    if ud_meta.get("namespace"):
        metadata["namespace"] = ud_meta["namespace"]
    metadata["labels"] = labels
    metadata["annotations"] = annotations

    selector["matchLabels"] = {**mapping(selector.get("matchLabels")), SUBSET_NAME_LABEL: plan.name}
    selector = {"matchLabels": selector.pop("matchLabels"), **selector}
    body = copy.deepcopy(mapping(workload.get("spec")))
    spec: dict[str, Any] = {"replicas": plan.replicas, "selector": selector}
    spec.update((k, v) for k, v in body.items() if k not in ("replicas", "selector"))
    _set_partition(template_key, body, spec, plan.partition)

    pod = dict(mapping(spec.get("template")))
    pod_meta, pod_spec = ensure_template_parts(pod)
    pod_meta["labels"] = {**mapping(pod_meta.get("labels")), SUBSET_NAME_LABEL: plan.name, REVISION_LABEL: revision_value}
    expressions = mapping(plan.config.get("nodeSelectorTerm")).get("matchExpressions")
    if expressions:  # attachNodeAffinity: only the matchExpressions
        nodes.require_node_term(pod_spec, {"matchExpressions": expressions})
    nodes.add_tolerations(pod_spec, plan.config.get("tolerations"))  # attachTolerations
    if patch is not None:
        pod = smp.apply(pod, mapping(patch), "PodTemplateSpec")
    spec["template"] = smp.prune_unknown(pod, "PodTemplateSpec")[0]  # Kruise's typed decode
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}


def _set_partition(template_key: str, template_spec: Mapping[str, Any], spec: dict[str, Any], partition: int) -> None:
    """The per-kind partition rule of the adapters (Deployment has none)."""
    if template_key == "deploymentTemplate":
        return
    strategy = spec.get("updateStrategy")
    strategy = dict(strategy) if isinstance(strategy, Mapping) else {}
    if template_key == "cloneSetTemplate":
        strategy["partition"] = partition  # always, overriding any template value (an int)
        spec["updateStrategy"] = strategy
        return
    template_type = mapping(template_spec.get("updateStrategy")).get("type")
    if template_type not in (None, "", "RollingUpdate"):
        return  # OnDelete: no partition
    if template_key == "statefulSetTemplate":
        strategy = {"type": "RollingUpdate", **{k: v for k, v in strategy.items() if k != "type"}}
    rolling = strategy.get("rollingUpdate")
    strategy["rollingUpdate"] = {**(dict(rolling) if isinstance(rolling, Mapping) else {}), "partition": partition}
    spec["updateStrategy"] = strategy
