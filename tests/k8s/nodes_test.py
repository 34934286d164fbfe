from __future__ import annotations

from kruise_render.k8s import nodes

REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
ZONE = {"key": "zone", "operator": "In", "values": ["a"]}
DISK = {"key": "disk", "operator": "Exists"}


def test_a_required_term_is_the_only_term_when_the_pod_has_none() -> None:
    pod_spec: dict = {"containers": []}
    nodes.require_node_term(pod_spec, {"matchExpressions": [ZONE]})
    assert pod_spec["affinity"] == {"nodeAffinity": {REQUIRED: {"nodeSelectorTerms": [{"matchExpressions": [ZONE]}]}}}


def test_a_required_term_is_anded_into_every_existing_term() -> None:
    first, second = {"matchFields": [DISK]}, {"matchExpressions": [DISK]}
    pod_spec: dict = {"affinity": {"nodeAffinity": {REQUIRED: {"nodeSelectorTerms": [first, second]}}}}
    nodes.require_node_term(pod_spec, {"matchExpressions": [ZONE], "matchFields": [DISK]})
    assert pod_spec["affinity"]["nodeAffinity"][REQUIRED]["nodeSelectorTerms"] == [
        {"matchFields": [DISK, DISK], "matchExpressions": [ZONE]},
        {"matchExpressions": [DISK, ZONE], "matchFields": [DISK]},
    ]


def test_subset_tolerations_come_after_the_template_s() -> None:
    pod_spec: dict = {"tolerations": [{"key": "a"}]}
    nodes.add_tolerations(pod_spec, [{"key": "b"}])
    nodes.add_tolerations(pod_spec, None)
    assert pod_spec["tolerations"] == [{"key": "a"}, {"key": "b"}]
