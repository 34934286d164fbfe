from __future__ import annotations

from kruise_render.diff.workloads import replicas, rollout


def test_statefulset_partition_and_ondelete() -> None:
    """Kubernetes StatefulSet RollingUpdate replaces ordinals >= partition; OnDelete none."""
    sts = {"spec": {"replicas": 5, "updateStrategy": {"rollingUpdate": {"partition": 2}}}}
    result = rollout("apps", "StatefulSet", sts)
    assert result is not None and (result.rolls, result.pods) == (True, 3)
    held = rollout("apps", "StatefulSet", {"spec": {"replicas": 2, "updateStrategy": {"rollingUpdate": {"partition": 4}}}})
    assert held is not None and (held.rolls, held.pods) == (False, 0)
    on_delete = rollout("apps", "StatefulSet", {"spec": {"updateStrategy": {"type": "OnDelete"}}})
    assert on_delete is not None and not on_delete.rolls


def test_deployment_default_replicas_daemonset_every_node_others() -> None:
    deployment = rollout("apps", "Deployment", {"spec": {}})
    assert deployment is not None and (deployment.rolls, deployment.pods) == (True, 1)
    daemonset = rollout("apps", "DaemonSet", {"spec": {}})
    assert daemonset is not None and daemonset.every_node
    replicaset = rollout("apps", "ReplicaSet", {"spec": {"replicas": 3}})
    assert replicaset is not None and not replicaset.rolls
    assert rollout("batch", "Job", {"spec": {}}) is None
    assert replicas("apps", "DaemonSet", {"spec": {"replicas": 3}}) is None
    assert replicas("apps", "Deployment", {"spec": {"replicas": True}}) == 1
