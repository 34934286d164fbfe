"""Context objects (--context, --nodes): read like inputs, inform the render, never written."""
from __future__ import annotations

from pathlib import Path

import yaml

from kruise_render import api
from kruise_render.options import Options
from kruise_render.yaml import codec
from kruise_render.yaml.reader import Source
from tests.conftest import FIXTURES, run_cli
from tests.stages.helpers import errors, warnings

CASES = FIXTURES / "context"
NAMESPACES = CASES / "namespace-labels" / "context" / "namespaces.yaml"


def _render(text: str, *contexts: Path, **options: object) -> api.Result:
    return api.render([Source("in.yaml", text)], Options(context_paths=tuple(map(str, contexts)), **options))  # type: ignore[arg-type]


def _write(path: Path, *objects: dict[str, object]) -> Path:
    path.write_text("---\n".join(codec.dump(obj) for obj in objects))
    return path


def _line(path: Path, index: int) -> int:
    """The first line of the `index`th document that _write wrote."""
    starts = [1] + [n + 2 for n, line in enumerate(path.read_text().splitlines()) if line == "---"]
    return starts[index]


def _deployment(name: str = "web", namespace: str | None = None, labels: dict[str, str] | None = None) -> dict[str, object]:
    meta: dict[str, object] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    pod_labels = {"app": name, **(labels or {})}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
            "spec": {"selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": pod_labels},
                                  "spec": {"containers": [{"name": name, "image": f"{name}:1"}]}}}}


def _sidecarset(name: str = "agent", **spec: object) -> dict[str, object]:
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "containers": [{"name": name, "image": f"{name}:1"}], **spec}}


def _namespace(name: str, **labels: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def _containers(result: api.Result, name: str = "web") -> list[str]:
    doc = next(d for d in result.documents if d.name == name)
    return [c["name"] for c in doc.data["spec"]["template"]["spec"]["containers"]]


def test_context_objects_are_never_written_and_the_report_says_so(tmp_path: Path) -> None:
    platform = _write(tmp_path / "platform.yaml", _sidecarset(), _namespace("shop", team="shop"))
    result = _render(codec.dump(_deployment()), platform)
    assert result.ok, errors(result)
    assert [d.kind for d in result.documents] == ["Deployment"]
    assert _containers(result) == ["agent", "web"]
    assert api.account(result) == [
        "in.yaml:1: Deployment/web: changed (injected sidecarset/agent)",
        f"{platform}:1: SidecarSet/agent: context, not written",
        f"{platform}:{_line(platform, 1)}: Namespace/shop: context, not written",
    ]


def test_kubectl_get_namespaces_output_works_unchanged() -> None:
    """A List with resourceVersion "", items with uid, resourceVersion, creationTimestamp,
    managedFields and status (kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/api/core/v1/types.go
    Namespace; kubectl get -o yaml prints a v1 List): nothing in it is an error or a warning."""
    mesh = _sidecarset("mesh", namespaceSelector={"matchLabels": {"istio-injection": "enabled"}})
    stream = "---\n".join(codec.dump(o) for o in (mesh, _deployment(namespace="shop", labels={"app": "web"})))
    without = _render(stream)
    assert _containers(without) == ["web"]
    assert any("has no Namespace object in the input or the context" in w for w in warnings(without))
    result = _render(stream, NAMESPACES)
    assert result.ok and warnings(result) == []
    assert _containers(result) == ["mesh", "web"]
    assert [line.split(": ", 1)[1] for line in api.account(result)[2:]] == [
        f"Namespace/{name}: context, not written" for name in ("default", "kruise-system", "shop", "tools")]


def test_server_fields_are_taken_off_context_objects_only(tmp_path: Path) -> None:
    captured = _sidecarset()
    captured["metadata"] |= {"uid": "u", "resourceVersion": "7", "generation": 2, "creationTimestamp": "2025-01-01T00:00:00Z",
                             "managedFields": [{"manager": "kubectl"}], "selfLink": "/apis/x"}
    captured["status"] = {"matchedPods": 3}
    result = _render(codec.dump(_deployment()), _write(tmp_path / "c.yaml", captured))
    assert result.ok, errors(result)
    assert result.context_objects[0].data["metadata"] == {"name": "agent"}
    assert "status" not in result.context_objects[0].data


def test_a_captured_sidecarset_injects_what_its_source_injects() -> None:
    """fixtures/context/captured-sidecarset holds `kubectl get sidecarsets -o yaml` (server
    defaults of openkruise/kruise@v1.9.0 apis/apps/defaults/v1beta1.go, hash annotations, status);
    the platform case holds its source. The injected Deployment is the same."""
    captured = run_cli("render", *_args(CASES / "captured-sidecarset"), "input", cwd=CASES / "captured-sidecarset")
    source = run_cli("render", "--context", str(CASES / "platform" / "context" / "sidecarsets.yaml"), "-q", "input",
                     cwd=CASES / "captured-sidecarset")
    assert captured.code == 0 and source.code == 0, captured.err + source.err
    assert captured.out == source.out


def _args(case: Path) -> list[str]:
    return [line for line in (case / "args").read_text().splitlines() if line]


def test_other_kinds_are_ignored_with_one_warning_per_kind(tmp_path: Path) -> None:
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "kruise-system"}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
    other = dict(configmap, metadata={"name": "b"})
    path = _write(tmp_path / "platform.yaml", configmap, other, secret)
    result = _render(codec.dump(_deployment()), path)
    assert result.ok
    found = warnings(result)
    assert len(found) == 2
    assert found[0].startswith(f"{path}:1: ConfigMap/a: warning: ConfigMap: ignored in context (2 objects)")
    assert "Secret: ignored in context (1 object)" in found[1]
    assert api.account(result)[-1].endswith("context, not written (ignored: informs nothing)")


def test_the_input_wins_over_a_context_object_with_its_identity(tmp_path: Path) -> None:
    stream = "---\n".join(codec.dump(o) for o in (_namespace("shop"), _sidecarset(namespaceSelector={"matchLabels": {"x": "y"}}),
                                                  _deployment(namespace="shop")))
    context = _write(tmp_path / "ns.yaml", _namespace("shop", x="y"))
    result = _render(stream, context)
    assert _containers(result) == ["web"]
    assert f"{context}:1: Namespace/shop: warning: Namespace/shop is also in the input (in.yaml:1); the input's object is used" \
        in warnings(result)
    assert [d.kind for d in result.documents] == ["Namespace", "Deployment"]


def test_of_two_context_objects_with_one_identity_the_first_given_wins(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.yaml", _namespace("shop", x="y"))
    second = _write(tmp_path / "b.yaml", _namespace("shop"))
    stream = "---\n".join(codec.dump(o) for o in (_sidecarset(namespaceSelector={"matchLabels": {"x": "y"}}),
                                                  _deployment(namespace="shop")))
    result = _render(stream, first, second)
    assert _containers(result) == ["agent", "web"]
    assert any(w.startswith(f"{second}:1: Namespace/shop: warning:") and "first one is used" in w for w in warnings(result))
    input_sidecarset = _render(codec.dump(_deployment()), _write(tmp_path / "s.yaml", _sidecarset()))
    assert _containers(input_sidecarset) == ["agent", "web"]


def test_an_input_sidecarset_overrides_the_platform_one_of_the_same_name(tmp_path: Path) -> None:
    platform = _write(tmp_path / "p.yaml", _sidecarset("agent"))
    own = _sidecarset("agent")
    own["spec"]["containers"][0]["image"] = "agent:2"  # type: ignore[index]
    result = _render("---\n".join(codec.dump(o) for o in (own, _deployment())), platform)
    doc = result.documents[0]
    assert doc.data["spec"]["template"]["spec"]["containers"][0]["image"] == "agent:2"
    assert any("SidecarSet/agent is also in the input" in w for w in warnings(result))


def test_a_context_sidecarset_that_matches_nothing_is_not_worth_a_warning(tmp_path: Path) -> None:
    platform = _write(tmp_path / "p.yaml", _sidecarset("unrelated", selector={"matchLabels": {"app": "other"}}))
    result = _render(codec.dump(_deployment()), platform)
    assert result.ok and warnings(result) == []


def test_bad_context_objects_are_errors_at_their_file_and_line(tmp_path: Path) -> None:
    bad = _sidecarset()
    bad["spec"]["containers"][0]["image"] = 5  # type: ignore[index]
    path = _write(tmp_path / "p.yaml", _namespace("shop"), bad)
    result = _render(codec.dump(_deployment()), path)
    assert not result.ok and result.documents == []
    assert any(e.startswith(f"{path}:") and "SidecarSet/agent" in e for e in errors(result))


def test_a_context_sidecarset_has_its_nulls_dropped_like_an_input_one(tmp_path: Path) -> None:
    """The validate stage's check (nulls the API server drops: a warning each), not an error."""
    path = tmp_path / "p.yaml"
    path.write_text(codec.dump(_sidecarset()).replace("metadata:\n  name: agent\n", "metadata:\n  name: agent\n  labels:\n"))
    result = _render(codec.dump(_deployment()), path)
    assert result.ok, errors(result)
    assert _containers(result) == ["agent", "web"]
    assert [w for w in warnings(result) if "metadata.labels" in w and "null" in w], warnings(result)


def test_stdin_cannot_be_context() -> None:
    result = _render(codec.dump(_deployment()), Path("-"))
    assert errors(result) == ["--context -: stdin carries the input; give the context as a file or directory "
                              "(e.g. kubectl get namespaces -o yaml > namespaces.yaml)"]


def test_nodes_from_context_and_from_nodes_join_one_inventory(tmp_path: Path) -> None:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "b", "labels": {"disk": "ssd"}}}
    context = _write(tmp_path / "nodes.yaml", node, {**node, "metadata": {"name": "c", "labels": {"disk": "ssd"}}})
    nodes_file = tmp_path / "names.yaml"
    nodes_file.write_text("- a\n- {name: c, labels: {disk: hdd}}\n")
    job = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "BroadcastJob", "metadata": {"name": "bj"},
           "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "x", "image": "x"}]}},
                    "failurePolicy": {"type": "Continue"}}}
    result = _render(codec.dump(job), context, nodes_file=str(nodes_file))
    assert result.ok, errors(result)
    assert [d.name for d in result.documents] == ["bj-a", "bj-b", "bj-c"]
    job["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}  # type: ignore[index]
    selected = _render(codec.dump(job), context, nodes_file=str(nodes_file))
    assert [d.name for d in selected.documents] == ["bj-b"], "--nodes' c (hdd) wins over the context's c (ssd)"


def test_a_pub_target_may_come_from_context_and_is_then_not_ignored(tmp_path: Path) -> None:
    pub = {"apiVersion": "policy.kruise.io/v1alpha1", "kind": "PodUnavailableBudget", "metadata": {"name": "p"},
           "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxUnavailable": 1}}
    context = _write(tmp_path / "workloads.yaml", _deployment("web"), _deployment("other"))
    result = _render(codec.dump(pub), context)
    assert result.ok, errors(result)
    assert result.documents[0].data["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert api.account(result)[1:] == [f"{context}:1: Deployment/web: context, not written",
                                       f"{context}:{_line(context, 1)}: Deployment/other: context, not written "
                                       "(ignored: informs nothing)"]
    ignored = [w for w in warnings(result) if "ignored in context" in w]
    assert len(ignored) == 1 and "Deployment: ignored in context (1 object)" in ignored[0]


def test_a_workloadspread_target_must_be_in_the_input(tmp_path: Path) -> None:
    spread = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "WorkloadSpread", "metadata": {"name": "ws"},
              "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                       "subsets": [{"name": "a"}]}}
    result = _render(codec.dump(spread), _write(tmp_path / "w.yaml", _deployment("web")))
    assert any("is not among the input objects" in e for e in errors(result)), "a split rewrites its target: it must be written"


def test_namespace_applies_to_objects_without_one_and_is_never_written(tmp_path: Path) -> None:
    pinned = _sidecarset(namespaceSelector={"matchLabels": {"kubernetes.io/metadata.name": "shop"}})
    stream = "---\n".join(codec.dump(o) for o in (pinned, _deployment()))
    assert _containers(_render(stream)) == ["web"]
    result = _render(stream, namespace="shop")
    assert _containers(result) == ["agent", "web"]
    assert "namespace" not in result.documents[0].data["metadata"]
    assert "namespace" not in result.stream()


def test_namespace_decides_exclusions(tmp_path: Path) -> None:
    stream = "---\n".join(codec.dump(o) for o in (_sidecarset(), _deployment()))
    assert _containers(_render(stream, namespace="kube-system")) == ["web"]
    assert _containers(_render(stream, namespace="kube-system", exclude_namespaces=())) == ["agent", "web"]
    control = _write(tmp_path / "ns.yaml", _namespace("kruise-system", **{"control-plane": "openkruise"}))
    assert _containers(_render(stream, control, namespace="kruise-system")) == ["web"]


def test_namespace_decides_collisions() -> None:
    stream = "---\n".join(codec.dump(o) for o in (_deployment(), _deployment(namespace="shop")))
    assert _render(stream).ok
    collided = _render(stream, namespace="shop")
    assert any("Deployment/shop/web is already in the output" in e for e in errors(collided))


def test_namespace_decides_resource_distribution_clashes(tmp_path: Path) -> None:
    rd = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "ResourceDistribution", "metadata": {"name": "rd"},
          "spec": {"resource": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}},
                   "targets": {"includedNamespaces": {"list": [{"name": "shop"}]}}}}
    mine = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}}
    stream = "---\n".join(codec.dump(o) for o in (rd, mine))
    assert _render(stream).ok
    assert any("already exists in the input" in e for e in errors(_render(stream, namespace="shop")))


def test_validate_reports_context_problems(tmp_path: Path) -> None:
    bad = _sidecarset()
    bad["spec"]["containerz"] = []  # type: ignore[index]
    path = _write(tmp_path / "p.yaml", bad)
    source = tmp_path / "in.yaml"
    source.write_text(codec.dump(_deployment()))
    run = run_cli("validate", "--context", str(path), str(source))
    assert run.code == 1
    assert "SidecarSet/agent: spec.containerz: unknown field" in run.err and run.err.startswith(f"{path}:")


def test_context_paths_are_read_with_the_input_limits(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.yaml", _namespace("shop", big="x" * 400))
    result = _render(codec.dump(_deployment()), path, limits=_limits(max_document_bytes=400))
    assert errors(result) == [f"{path}:1: document larger than 400 bytes (raise with --max-document-size)"]


def _limits(**values: int) -> object:
    from kruise_render.options import Limits

    return Limits(**values)


def test_every_golden_context_case_writes_no_context_object() -> None:
    for case in sorted(CASES.iterdir()):
        expected = case / "expected.yaml"
        if not expected.exists() or not (case / "context").is_dir():
            continue
        written = {(o["kind"], o["metadata"]["name"]) for o in yaml.safe_load_all(expected.read_text()) if o}
        for path in (case / "context").rglob("*.yaml"):
            for obj in yaml.safe_load_all(path.read_text()):
                for item in (obj or {}).get("items") or [obj]:
                    if item and (item["kind"], item["metadata"]["name"]) in written:
                        raise AssertionError(f"{case.name}: context object {item['kind']}/{item['metadata']['name']} was written")
