"""One subset workload, built as Kruise's subset adapters build it (§3.3–§3.6 of the UD spec).

pkg/controller/uniteddeployment/adapter/{statefulset,advanced_statefulset,cloneset,deployment}_adapter.go
`ApplySubsetTemplate` and adapter_util.go (`attachNodeAffinity`, `attachTolerations`), v1.9.0.
Differences on purpose (decided for a static render): a fixed `metadata.name` `<ud>-<subset>`
instead of `generateName`, our own revision hash, and no ownerReferences (there is no UID).
"""
from __future__ import annotations

from typing import Any

from kruise_render.k8s import gojson, nodes, smp
from kruise_render.k8s.podtemplate import (
    UNITED_DEPLOYMENT_TEMPLATES,
    ensure_template_parts,
)
from kruise_render.obj import Obj, copied, get_map
from kruise_render.record import FrozenRecord

SUBSET_NAME_LABEL = "apps.kruise.io/subset-name"
REVISION_LABEL = "apps.kruise.io/controller-revision-hash"
SUBSET_PATCH_ANNOTATION = "apps.kruise.io/subset-patch"

_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery util/rand SafeEncodeString
_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, 0x01000193


class SubsetPlan(FrozenRecord):
    __slots__ = ("config", "name", "partition", "replicas")
    name: str
    config: Obj  # the subset entry of spec.topology.subsets
    replicas: int
    partition: int

    def __init__(self, name: str, config: Obj, replicas: int, partition: int) -> None:
        self._init(name, config, replicas, partition)


def revision(ud_name: str, template: Any) -> str:
    """`<ud-name>-<hash>`: the shape of Kruise's ControllerRevision name (revision.go), hashing
    only spec.template as Kruise does. FNV-1 32 of the canonical JSON plus the collision count
    "0", decimal, safe-encoded. Stable, but not byte-identical to Kruise (which hashes Go's typed
    JSON including defaulted fields)."""
    data = gojson.dumps({"spec": {"template": {**get_map(template), "$patch": "replace"}}}) + "0"
    value = _FNV_OFFSET
    for byte in data.encode("utf-8"):
        value = (value * _FNV_PRIME) & 0xFFFFFFFF
        value ^= byte
    encoded = "".join(_SAFE_ALPHABET[ord(ch) % len(_SAFE_ALPHABET)] for ch in str(value))
    return f"{ud_name[:223]}-{encoded}"


def build(ud: Obj, template_key: str, plan: SubsetPlan, revision_value: str) -> Obj:
    """The subset workload (Kruise kind for advancedStatefulSet/cloneSet templates).

    Raises smp.StrategicMergeError when the subset's patch is invalid (Kruise creates nothing then).
    """
    api_version, kind = UNITED_DEPLOYMENT_TEMPLATES[template_key]
    ud_meta = get_map(ud, "metadata")
    ud_spec = get_map(ud, "spec")
    workload = get_map(ud_spec, "template", template_key)
    template_meta = get_map(workload, "metadata")

    labels = dict(get_map(template_meta, "labels"))
    selector = copied(get_map(ud_spec, "selector"))
    labels.update(get_map(selector, "matchLabels"))
    labels[REVISION_LABEL] = revision_value
    labels[SUBSET_NAME_LABEL] = plan.name
    annotations = dict(get_map(template_meta, "annotations"))
    patch = plan.config.get("patch")
    annotations[SUBSET_PATCH_ANNOTATION] = "" if patch is None else gojson.dumps(patch)

    metadata: Obj = {"name": f"{ud_meta.get('name')}-{plan.name}"}
    if ud_meta.get("namespace"):
        metadata["namespace"] = ud_meta["namespace"]
    metadata["labels"] = labels
    metadata["annotations"] = annotations

    selector["matchLabels"] = {**get_map(selector, "matchLabels"), SUBSET_NAME_LABEL: plan.name}
    selector = {"matchLabels": selector.pop("matchLabels"), **selector}
    body = copied(get_map(workload, "spec"))
    spec: Obj = {"replicas": plan.replicas, "selector": selector}
    spec.update((k, v) for k, v in body.items() if k not in ("replicas", "selector"))
    _set_partition(template_key, body, spec, plan.partition)

    pod = dict(get_map(spec, "template"))
    pod_meta, pod_spec = ensure_template_parts(pod)
    pod_meta["labels"] = {**get_map(pod_meta, "labels"), SUBSET_NAME_LABEL: plan.name, REVISION_LABEL: revision_value}
    expressions = get_map(plan.config, "nodeSelectorTerm").get("matchExpressions")
    if expressions:  # attachNodeAffinity: only the matchExpressions
        nodes.require_node_term(pod_spec, {"matchExpressions": expressions})
    nodes.add_tolerations(pod_spec, plan.config.get("tolerations"))  # attachTolerations
    if patch is not None:
        pod = smp.apply(pod, get_map(patch), "PodTemplateSpec")
    spec["template"] = smp.prune_unknown(pod, "PodTemplateSpec")[0]  # Kruise's typed decode
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}


def _set_partition(template_key: str, template_spec: Obj, spec: Obj, partition: int) -> None:
    """The per-kind partition rule of the adapters (Deployment has none)."""
    if template_key == "deploymentTemplate":
        return
    strategy = dict(get_map(spec, "updateStrategy"))
    if template_key == "cloneSetTemplate":
        strategy["partition"] = partition  # always, overriding any template value (an int)
        spec["updateStrategy"] = strategy
        return
    template_type = get_map(template_spec, "updateStrategy").get("type")
    if template_type not in (None, "", "RollingUpdate"):
        return  # OnDelete: no partition
    if template_key == "statefulSetTemplate":
        strategy = {"type": "RollingUpdate", **{k: v for k, v in strategy.items() if k != "type"}}
    strategy["rollingUpdate"] = {**get_map(strategy, "rollingUpdate"), "partition": partition}
    spec["updateStrategy"] = strategy
