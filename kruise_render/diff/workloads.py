"""What a changed pod template does to the running pods of each native workload kind.

Kubernetes v1.32 controllers (kubernetes/kubernetes@v1.32.0 pkg/controller/...):
- Deployment: a new ReplicaSet replaces every pod (RollingUpdate, or Recreate: all stop first);
- StatefulSet: RollingUpdate replaces the pods with ordinal >= partition (replicas − partition
  pods); OnDelete replaces none until they are deleted;
- DaemonSet: RollingUpdate replaces the pod on every node; OnDelete none;
- ReplicaSet, ReplicationController: only pods created later get the new template;
- CronJob: the next Job gets it; Job and Pod cannot change it in place (diff/immutable.py).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kruise_render.obj import get_map

_REPLICATED = {("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "ReplicaSet"), ("", "ReplicationController")}


@dataclasses.dataclass(frozen=True)
class Rollout:
    rolls: bool  # running pods are replaced now
    pods: int | None  # how many; None: one per node (DaemonSet)
    how: str  # for people: "rolling update", "Recreate", "OnDelete: only when pods are deleted", ...

    @property
    def every_node(self) -> bool:
        return self.rolls and self.pods is None


def replicas(group: str, kind: str, data: Mapping[str, Any]) -> int | None:
    """spec.replicas with the apiserver's default 1, for the kinds that have it."""
    if (group, kind) not in _REPLICATED:
        return None
    value = get_map(data, "spec").get("replicas")
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def rollout(group: str, kind: str, data: Mapping[str, Any]) -> Rollout | None:
    """What a pod template change of this object does; None for kinds with no running pods to
    replace (Job, Pod: the template is immutable there)."""
    spec = get_map(data, "spec")
    count = replicas(group, kind, data)
    if (group, kind) == ("apps", "Deployment"):
        recreate = get_map(spec, "strategy").get("type") == "Recreate"
        return Rollout(True, count, "Recreate: every pod stops first" if recreate else "rolling update")
    if (group, kind) == ("apps", "StatefulSet"):
        strategy = get_map(spec, "updateStrategy")
        if strategy.get("type") == "OnDelete":
            return Rollout(False, 0, "OnDelete: pods change only when deleted")
        partition = get_map(strategy, "rollingUpdate").get("partition")
        held = partition if isinstance(partition, int) and not isinstance(partition, bool) and partition > 0 else 0
        total = count or 0
        how = f"rolling update, partition {held} keeps {min(held, total)} of {total} pods" if held else "rolling update"
        return Rollout(total > held, max(0, total - held), how)
    if (group, kind) == ("apps", "DaemonSet"):
        if get_map(spec, "updateStrategy").get("type") == "OnDelete":
            return Rollout(False, 0, "OnDelete: pods change only when deleted")
        return Rollout(True, None, "rolling update on every node")
    if (group, kind) in (("apps", "ReplicaSet"), ("", "ReplicationController")):
        return Rollout(False, 0, "only pods created later get the new template")
    if (group, kind) == ("batch", "CronJob"):
        return Rollout(False, 0, "the next Job run gets the new template")
    return None
