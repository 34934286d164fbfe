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


# --- the nodes file names any readable file: nothing of it may leak into output or messages ---

import pytest  # noqa: E402

from kruise_render.options import Limits  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

SECRET = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl"
BROADCASTJOB = """\
apiVersion: apps.kruise.io/v1alpha1
kind: BroadcastJob
metadata: {name: bj}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
"""
HOSTILE_FILES = {
    "token": SECRET,
    "lowercase-token": "5f4dcc3b5aa765d61d8327deb882cf99x",
    "passwd": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
    "dotenv": f"DATABASE_URL=postgres://u:{SECRET}@db/app\nAPI_KEY={SECRET}\n",
    "list-of-secret": f"- {SECRET}\n",
    "mapping-secret": f"name: {SECRET}\n",
    "node-secret": f"kind: Node\nmetadata: {{name: {SECRET}}}\n",
    "kind-secret": f"kind: {SECRET}\n",
    "kind-with-newline": 'kind: "Pod\\nsecret-continues-here"\n',
    "number": "12345\n",
}


@pytest.mark.parametrize("content", list(HOSTILE_FILES.values()), ids=list(HOSTILE_FILES))
def test_a_file_that_is_no_node_list_is_refused_without_showing_it(tmp_path, content: str) -> None:
    (tmp_path / "secret").write_text(content)
    (tmp_path / "bj.yaml").write_text(BROADCASTJOB)
    result = run_cli("render", "--nodes", str(tmp_path / "secret"), str(tmp_path / "bj.yaml"))
    assert result.code == 1 and result.out == ""
    assert len(result.err.splitlines()) == 1 and "--nodes" in result.err
    for line in content.splitlines():
        for word in line.replace(":", " ").replace("=", " ").replace("/", " ").replace("@", " ").split():
            if len(word) >= 8:
                assert word not in result.err, result.err


def test_node_names_must_be_valid_node_names(tmp_path) -> None:
    # Kubernetes ValidateNodeName: a DNS-1123 subdomain (k8s.io/kubernetes@v1.32.0 pkg/apis/core/validation).
    path = tmp_path / "nodes.yaml"
    for bad in ("Node-A", "a_b", "-a", "a" * 254, "a\nb", "'a b'", "'a\\x00'"):
        path.write_text(f"- ok\n- {bad}\n" if "\n" not in bad else f'- ok\n- "{bad.replace(chr(10), chr(92) + "n")}"\n')
        with pytest.raises(nodes.NodesFileError, match="item 1: not a valid node name"):
            nodes.load(str(path), Limits())
    path.write_text("- a.b-c\n- " + "a" * 253 + "\n")
    assert [n.name for n in nodes.load(str(path), Limits())] == ["a.b-c", "a" * 253]


def test_reads_stop_at_the_size_limit() -> None:
    with pytest.raises(nodes.NodesFileError, match="larger than 1000 bytes"):
        nodes.load("/dev/zero", Limits(max_total_bytes=1000))


def test_dev_zero_is_refused_quickly_and_in_bounded_memory(tmp_path) -> None:
    (tmp_path / "bj.yaml").write_text(BROADCASTJOB)
    result = run_cli("render", "--max-total-size", "10000000", "--nodes", "/dev/zero", str(tmp_path / "bj.yaml"),
                     timeout=30)
    assert result.code == 1 and result.err == "/dev/zero: --nodes: larger than 10000000 bytes (raise with --max-total-size)\n"


def test_documents_past_the_document_limit_are_refused(tmp_path) -> None:
    path = tmp_path / "nodes.yaml"
    path.write_text("- a\n---\n- " + "b" * 200 + "\n")
    with pytest.raises(nodes.NodesFileError, match="document larger than 100 bytes"):
        nodes.load(str(path), Limits(max_document_bytes=100))
