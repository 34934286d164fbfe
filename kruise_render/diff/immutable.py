"""Fields whose change the apiserver refuses on an existing object: `kubectl apply` fails, the
object must be deleted and created again ("needs replace").

Each rule reproduces one update validation of Kubernetes v1.32 (kubernetes/kubernetes@v1.32.0):
- Deployment, ReplicaSet, DaemonSet `spec.selector`: pkg/registry/apps/{deployment,replicaset,
  daemonset}/strategy.go `ValidateUpdate` (immutable in every apps version but extensions/v1beta1);
- StatefulSet: pkg/apis/apps/validation/validation.go `ValidateStatefulSetUpdate` allows only
  replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
  minReadySeconds to change;
- Job: pkg/apis/batch/validation/validation.go `ValidateJobSpecUpdate` (selector, template,
  completions unless an Indexed Job changes it together with parallelism, completionMode,
  podFailurePolicy, backoffLimitPerIndex, managedBy, successPolicy). A suspended Job may change
  its scheduling directives; a manifest cannot say whether the Job already started, so the rule
  is the general one;
- Service `spec.clusterIP`/`clusterIPs`: pkg/apis/core/validation/validation.go
  `ValidateServiceUpdate` (a cluster-assigned address is kept when the manifest leaves it out);
- ConfigMap and Secret with `immutable: true`: `ValidateConfigMapUpdate`/`ValidateSecretUpdate`;
- PersistentVolumeClaim: `ValidatePersistentVolumeClaimUpdate` (only resources.requests and
  volumeAttributesClassName change in place);
- Pod: `ValidatePodUpdate` (images, activeDeadlineSeconds, tolerations, terminationGracePeriodSeconds);
- RoleBinding, ClusterRoleBinding `roleRef`: pkg/apis/rbac/validation/validation.go;
- StorageClass: pkg/apis/storage/validation/validation.go `ValidateStorageClassUpdate`.
An absent field and its apiserver default are the same value here (a StatefulSet without
podManagementPolicy has OrderedReady), so writing a default out is not a replace.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from kruise_render.diff.fields import MISSING, FieldChange, FieldPath, Named, format_path, starts_with

ANY = "*"


@dataclasses.dataclass(frozen=True)
class Rule:
    frozen: tuple[FieldPath, ...] = ()  # these may not change
    # Below `within`, only paths matching one of `mutable` may change (ANY matches one part).
    within: FieldPath | None = None
    mutable: tuple[tuple[str, ...], ...] = ()
    defaults: Mapping[FieldPath, Any] = dataclasses.field(default_factory=dict)
    only_if: FieldPath | None = None  # the rule holds only when this is true in the base object


_SELECTOR = Rule(frozen=(("spec", "selector"),))

RULES: dict[tuple[str, str], Rule] = {
    ("apps", "Deployment"): _SELECTOR,
    ("apps", "ReplicaSet"): _SELECTOR,
    ("apps", "DaemonSet"): _SELECTOR,
    ("apps", "StatefulSet"): Rule(
        within=("spec",),
        mutable=(("replicas",), ("ordinals",), ("template",), ("updateStrategy",),
                 ("persistentVolumeClaimRetentionPolicy",), ("minReadySeconds",)),
        defaults={("spec", "podManagementPolicy"): "OrderedReady", ("spec", "revisionHistoryLimit"): 10},
    ),
    ("batch", "Job"): Rule(
        frozen=(("spec", "selector"), ("spec", "template"), ("spec", "completions"), ("spec", "completionMode"),
                ("spec", "podFailurePolicy"), ("spec", "backoffLimitPerIndex"), ("spec", "managedBy"),
                ("spec", "successPolicy")),
        defaults={("spec", "completionMode"): "NonIndexed"},
    ),
    ("", "ConfigMap"): Rule(frozen=(("data",), ("binaryData",), ("immutable",)), only_if=("immutable",)),
    ("", "Secret"): Rule(frozen=(("data",), ("stringData",), ("type",), ("immutable",)), only_if=("immutable",)),
    ("", "PersistentVolumeClaim"): Rule(
        within=("spec",), mutable=(("resources", "requests"), ("volumeAttributesClassName",))),
    ("", "Pod"): Rule(
        within=("spec",),
        mutable=(("containers", ANY, "image"), ("initContainers", ANY, "image"), ("activeDeadlineSeconds",),
                 ("tolerations",), ("terminationGracePeriodSeconds",))),
    ("rbac.authorization.k8s.io", "RoleBinding"): Rule(frozen=(("roleRef",),)),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): Rule(frozen=(("roleRef",),)),
    ("storage.k8s.io", "StorageClass"): Rule(
        frozen=(("provisioner",), ("parameters",), ("reclaimPolicy",), ("volumeBindingMode",))),
}

_SERVICE_IPS: tuple[FieldPath, ...] = (("spec", "clusterIP"), ("spec", "clusterIPs"))


def refused(group: str, kind: str, base: Mapping[str, Any], head: Mapping[str, Any],
            changes: Sequence[FieldChange]) -> list[str]:
    """The fields among `changes` that the apiserver will not change in place (sorted, unique)."""
    if (group, kind) == ("", "Service"):
        return _service(changes)
    rule = RULES.get((group, kind))
    if rule is None or (rule.only_if is not None and _get(base, rule.only_if) is not True):
        return []
    found: set[str] = set()
    for change in changes:
        if _is_default(rule, change):
            continue
        for frozen in rule.frozen:
            if starts_with(change.path, frozen) or starts_with(frozen, change.path):
                found.add(format_path(frozen if starts_with(change.path, frozen) else change.path))
        if rule.within is not None and starts_with(change.path, rule.within):
            rest = change.path[len(rule.within):]
            if not any(_matches(rest, pattern) for pattern in rule.mutable):
                found.add(format_path(change.path[: len(rule.within) + 1]))
    if (group, kind) == ("batch", "Job") and _elastic_indexed(head):
        found.discard("spec.completions")
    return sorted(found)


def _service(changes: Sequence[FieldChange]) -> list[str]:
    """An address the manifest now sets, different from before (clearing it keeps the old one)."""
    return sorted({format_path(c.path[:2]) for c in changes
                   if c.path[:2] in _SERVICE_IPS and c.head not in (MISSING, None, "", [])})


def _matches(path: FieldPath, pattern: tuple[str, ...]) -> bool:
    if len(path) < len(pattern):
        return False
    for part, want in zip(path, pattern):  # noqa: B905  (path may be longer: a prefix match)
        name = part.name if isinstance(part, Named) else part
        if want != ANY and name != want:
            return False
    return True


def _is_default(rule: Rule, change: FieldChange) -> bool:
    default = rule.defaults.get(change.path, MISSING)
    if default is MISSING:
        return False
    return {change.base, change.head} <= {MISSING, default} if _hashable(default) else False


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _elastic_indexed(head: Mapping[str, Any]) -> bool:
    """Kubernetes >= 1.27 (`validateCompletions`): an Indexed Job may change completions when
    the new completions equal the new parallelism."""
    completions = _get(head, ("spec", "completions"))
    return (_get(head, ("spec", "completionMode")) == "Indexed" and isinstance(completions, int)
            and completions == _get(head, ("spec", "parallelism")))


def _get(obj: Mapping[str, Any], path: FieldPath) -> Any:
    value: Any = obj
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value
