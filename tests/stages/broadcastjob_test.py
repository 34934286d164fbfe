from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render.k8s import nodes
from kruise_render.options import Limits
from kruise_render.stages.broadcastjob import job_name
from tests.stages.otherkinds_support import kinds, render


def bcj(spec: str = "", pod: str = "") -> str:
    return f"""
apiVersion: apps.kruise.io/v1alpha1
kind: BroadcastJob
metadata: {{name: bj}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: c, image: busybox}}]
{pod}
{spec}
"""


@pytest.fixture
def node_file(tmp_path: Path) -> str:
    path = tmp_path / "nodes.yaml"
    path.write_text("- n2\n- {name: n1, labels: {zone: a}}\n- {name: n3, taints: [{key: k, effect: NoSchedule}]}\n")
    return str(path)


def test_one_job_per_fitting_node_in_name_order(node_file: str) -> None:
    out = render(bcj(), nodes_file=node_file)
    assert out.errors == []
    assert kinds(out) == ["Job/bj-n1", "Job/bj-n2"]
    pod = out.objects[0]["spec"]["template"]
    assert pod["metadata"]["labels"] == {"broadcastjob-name": "bj"}
    assert pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]
    }
    assert out.objects[0]["spec"]["backoffLimit"] == 0


def test_required_affinity_selects_nodes_and_is_replaced_by_the_pin(node_file: str) -> None:
    pod = (
        "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
        "            nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]\n"
        "          preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: x, "
        "operator: Exists}]}}]"
    )
    out = render(bcj(pod=pod), nodes_file=node_file)
    assert kinds(out) == ["Job/bj-n1"]
    affinity = out.objects[0]["spec"]["template"]["spec"]["affinity"]["nodeAffinity"]
    required = affinity["requiredDuringSchedulingIgnoredDuringExecution"]
    assert required["nodeSelectorTerms"][0]["matchFields"][0]["values"] == ["n1"]
    assert affinity["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"] == 1


def test_policies_map_to_job_fields(node_file: str) -> None:
    spec = ("  paused: true\n  completionPolicy: {type: Always, activeDeadlineSeconds: 5, ttlSecondsAfterFinished: 7}\n"
            "  failurePolicy: {type: Continue, restartLimit: 3}")
    out = render(bcj(spec).replace("restartPolicy: Never", "restartPolicy: OnFailure"), nodes_file=node_file)
    assert out.warnings == []
    job_spec = out.objects[0]["spec"]
    assert {k: v for k, v in job_spec.items() if k != "template"} == {
        "activeDeadlineSeconds": 5, "ttlSecondsAfterFinished": 7, "backoffLimit": 3, "suspend": True,
    }


def test_never_completion_and_limited_parallelism_are_not_expressible(node_file: str) -> None:
    out = render(bcj("  completionPolicy: {type: Never}\n  parallelism: 1"), nodes_file=node_file)
    assert len(out.errors) == 2
    assert "parallelism: runs at most 1 of the 2 node pods" in out.errors[0]
    assert "completionPolicy.type: Never keeps" in out.errors[1]


def test_fail_fast_across_nodes_is_a_warning(node_file: str) -> None:
    out = render(bcj(), nodes_file=node_file)
    assert any("FailFast" in w for w in out.warnings)


def test_without_nodes_the_error_names_the_object() -> None:
    out = render(bcj())
    assert out.errors == ["in.yaml:2: BroadcastJob/bj: a BroadcastJob runs one pod per node: give the Node objects with "
                          "--context (e.g. the output of `kubectl get nodes -o yaml`) or --nodes FILE to render it as "
                          "one Job per node"]


def test_restart_policy_always_cannot_be_a_job(node_file: str) -> None:
    out = render(bcj().replace("restartPolicy: Never", "restartPolicy: Always"), nodes_file=node_file)
    assert "restartPolicy: must be Never or OnFailure" in out.errors[0]


def test_a_bad_nodes_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("- a\n---\n- {labels: {x: y}}\n")
    out = render(bcj(), nodes_file=str(path))
    assert out.errors == [f"{path}:2: --nodes: item 0: a node without a name"]


def test_node_objects_and_lists_are_read(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Node\nmetadata: {name: b, labels: {x: z}}\nspec: {unschedulable: true}\n---\n"
        "apiVersion: v1\nkind: NodeList\nitems: [{apiVersion: v1, kind: Node, metadata: {name: a}}]\n"
    )
    loaded = nodes.load(str(path), Limits())
    assert [(n.name, dict(n.labels), n.unschedulable) for n in loaded] == [("a", {}, False), ("b", {"x": "z"}, True)]


def test_fits_checks_node_name_selector_taints_and_unschedulable() -> None:
    node = nodes.Node("n", {"disk": "ssd"}, ({"key": "t", "value": "v", "effect": "NoExecute"},), unschedulable=True)
    tolerate_all = [{"operator": "Exists"}]
    assert nodes.fits({"tolerations": tolerate_all, "nodeSelector": {"disk": "ssd"}}, node)
    assert not nodes.fits({"tolerations": tolerate_all, "nodeName": "other"}, node)
    assert not nodes.fits({"tolerations": tolerate_all, "nodeSelector": {"disk": "hdd"}}, node)
    assert not nodes.fits({"tolerations": [{"key": "t", "operator": "Equal", "value": "v"}]}, node)
    unschedulable = {"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}
    assert nodes.fits({"tolerations": [{"key": "t", "value": "v"}, unschedulable]}, node)


def test_long_job_names_are_cut_deterministically() -> None:
    node = "ip-10-0-0-1.eu-west-1.compute.internal-with-a-very-long-suffix"
    name = job_name("broadcast", node)
    assert len(name) <= 63 and name.endswith("-c403954f") and name == job_name("broadcast", node)
    assert job_name("bj", "n1") == "bj-n1"
