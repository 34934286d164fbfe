"""Needs-replace rules, each with the Kubernetes validation it reproduces (kubernetes/kubernetes@v1.32.0)."""
from __future__ import annotations

from typing import Any

from kruise_render.diff.fields import compare
from kruise_render.diff.immutable import refused


def _refused(group: str, kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return refused(group, kind, old, new, compare(old, new))


def test_selector_of_deployment_replicaset_daemonset() -> None:
    """pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go ValidateUpdate."""
    old = {"spec": {"selector": {"matchLabels": {"app": "a"}}, "replicas": 1}}
    new = {"spec": {"selector": {"matchLabels": {"app": "a", "tier": "b"}}, "replicas": 2}}
    for kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        assert _refused("apps", kind, old, new) == ["spec.selector"]
    assert _refused("apps", "Deployment", old, {"spec": {**old["spec"], "replicas": 3}}) == []


def test_statefulset_allows_only_its_mutable_fields_and_defaults_are_no_change() -> None:
    """pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate."""
    old = {"spec": {"replicas": 1, "serviceName": "a", "template": {"x": 1}, "volumeClaimTemplates": [{"a": 1}]}}
    new = {"spec": {"replicas": 2, "serviceName": "b", "template": {"x": 2}, "volumeClaimTemplates": [{"a": 2}],
                    "podManagementPolicy": "OrderedReady", "minReadySeconds": 5, "updateStrategy": {"type": "OnDelete"}}}
    assert _refused("apps", "StatefulSet", old, new) == ["spec.serviceName", "spec.volumeClaimTemplates"]
    parallel = {"spec": {**old["spec"], "podManagementPolicy": "Parallel"}}
    assert _refused("apps", "StatefulSet", old, parallel) == ["spec.podManagementPolicy"]


def test_job_template_and_elastic_indexed_completions() -> None:
    """pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate, validateCompletions."""
    old = {"spec": {"completions": 2, "parallelism": 2, "completionMode": "Indexed", "template": {"a": 1}}}
    assert _refused("batch", "Job", old, {"spec": {**old["spec"], "template": {"a": 2}}}) == ["spec.template"]
    elastic = {"spec": {**old["spec"], "completions": 3, "parallelism": 3}}
    assert _refused("batch", "Job", old, elastic) == []
    plain = {"spec": {"completions": 2}}
    assert _refused("batch", "Job", plain, {"spec": {"completions": 3}}) == ["spec.completions"]


def test_service_address_set_differently_but_clearing_it_keeps_the_old_one() -> None:
    """pkg/apis/core/validation/validation.go ValidateServiceUpdate; the registry keeps an allocated IP."""
    old = {"spec": {"clusterIP": "None"}}
    assert _refused("", "Service", old, {"spec": {"clusterIP": "10.0.0.1"}}) == ["spec.clusterIP"]
    assert _refused("", "Service", old, {"spec": {}}) == []
    assert _refused("", "Service", {"spec": {}}, {"spec": {"ports": [{"port": 80}]}}) == []


def test_configmap_only_when_immutable_and_pod_images_may_change() -> None:
    assert _refused("", "ConfigMap", {"data": {"a": "1"}}, {"data": {"a": "2"}}) == []
    assert _refused("", "ConfigMap", {"immutable": True, "data": {"a": "1"}},
                    {"immutable": True, "data": {"a": "2"}}) == ["data"]
    pod = {"spec": {"containers": [{"name": "m", "image": "a", "args": ["x"]}]}}
    image = {"spec": {"containers": [{"name": "m", "image": "b", "args": ["x"]}]}}
    args = {"spec": {"containers": [{"name": "m", "image": "a", "args": ["y"]}]}}
    assert _refused("", "Pod", pod, image) == []
    assert _refused("", "Pod", pod, args) == ["spec.containers"]


def test_rolebinding_roleref_and_unknown_kinds() -> None:
    old = {"roleRef": {"name": "a"}, "subjects": []}
    assert _refused("rbac.authorization.k8s.io", "RoleBinding", old, {"roleRef": {"name": "b"}, "subjects": []}) == ["roleRef"]
    assert _refused("example.com", "Thing", {"spec": {"a": 1}}, {"spec": {"a": 2}}) == []
