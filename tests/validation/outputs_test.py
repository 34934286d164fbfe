"""Output validation against Kubernetes' own schemas, and every golden output of the suite."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render import api
from kruise_render.context import Context
from kruise_render.options import Options
from kruise_render.validation import outputs
from kruise_render.yaml.reader import Source, read_documents
from tests.conftest import FIXTURES, case_args

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
"""


def _check(text: str, kube_version: tuple[int, int] = (1, 32)) -> list[str]:
    docs, problems = read_documents([Source("out.yaml", text)], Options().limits)
    assert not problems
    ctx = Context(options=Options(kube_version=kube_version, validate_output=True))
    outputs.run(docs, ctx)
    return [d.format() for d in ctx.problems]


def _golden_outputs() -> list[Path]:
    return sorted(FIXTURES.rglob("expected.yaml"))


def _kube_version(case: Path) -> tuple[int, int]:
    args = case_args(case)
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--kube-version=") else (
            args[i + 1] if arg == "--kube-version" and i + 1 < len(args) else None)
        if value:
            minor = int(value.lstrip("v").split(".")[1])
            return (1, min(max(minor, outputs.kube_minors()[0]), outputs.kube_minors()[-1]))
    return Options().kube_version


@pytest.mark.parametrize("expected", _golden_outputs(), ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_every_golden_output_passes_kubernetes_schemas(expected: Path) -> None:
    assert _check(expected.read_text(encoding="utf-8"), _kube_version(expected.parent)) == []


def test_there_are_golden_outputs_to_check() -> None:
    assert _golden_outputs()


def test_a_valid_deployment_passes() -> None:
    assert _check(DEPLOYMENT) == []


def test_wrong_types_and_unknown_fields_are_reported_at_their_lines() -> None:
    text = DEPLOYMENT.replace("replicas: 2", "replicas: two")
    text = text.replace("containerPort: 80", "containerPort: 80\n              protocl: TCP")
    assert _check(text) == [
        "out.yaml:6: Deployment/web: spec.replicas: expected an integer, got string \"two\" (Kubernetes 1.32 schema)",
        "out.yaml:20: Deployment/web: spec.template.spec.containers[0].ports[0].protocl: unknown field \"protocl\"; "
        "did you mean \"protocol\"? (Kubernetes 1.32 schema)",
    ]


def test_missing_required_field() -> None:
    text = DEPLOYMENT.replace("        - name: web\n          image", "        - image")
    assert _check(text) == [
        "out.yaml:16: Deployment/web: spec.template.spec.containers[0].name: required field is missing (Kubernetes 1.32 schema)",
    ]


def test_a_removed_api_version_is_an_error() -> None:
    text = DEPLOYMENT.replace("apps/v1", "extensions/v1beta1")
    assert _check(text) == ["out.yaml:1: Deployment/web: apiVersion: Kubernetes 1.32 does not serve Deployment as "
                            "extensions/v1beta1"]


def test_a_field_newer_than_the_target_version_is_reported() -> None:
    # StatefulSet spec.ordinals exists since Kubernetes 1.26 (alpha in 1.26, schema field from 1.26).
    text = DEPLOYMENT.replace("kind: Deployment", "kind: StatefulSet").replace("  replicas: 2\n", "  replicas: 2\n  "
                                                                                                  "serviceName: web\n  "
                                                                                                  "ordinals:\n    start: 1\n")
    assert _check(text, (1, 32)) == []
    assert _check(text, (1, 25))[0].startswith("out.yaml:8: StatefulSet/web: spec.ordinals: unknown field \"ordinals\"")


def test_kruise_objects_and_other_projects_custom_resources_are_skipped() -> None:
    text = ("apiVersion: apps.kruise.io/v1alpha1\nkind: ImagePullJob\nmetadata:\n  name: pull\nspec:\n  x: 1\n---\n"
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: cert\nspec:\n  x: 1\n")
    assert _check(text) == []


def test_an_unsupported_kube_version_is_one_error() -> None:
    assert _check(DEPLOYMENT, (1, 20)) == [
        f"--validate-output: kubernetes-validate has no schemas for Kubernetes 1.20 "
        f"(has 1.{outputs.kube_minors()[0]}-1.{outputs.kube_minors()[-1]})"
    ]


def test_a_created_object_is_named_at_its_input_line() -> None:
    docs, _ = read_documents([Source("in.yaml", DEPLOYMENT)], Options().limits)
    made = docs[0].derive({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": "80"}})
    ctx = Context(options=Options(validate_output=True))
    outputs.run([made], ctx)
    assert [d.format() for d in ctx.problems] == [
        "in.yaml:1: Deployment/web: output Service/web: spec.ports: expected a list, got string \"80\" (Kubernetes 1.32 schema)",
    ]


def test_render_with_validate_output_fails_on_an_invalid_object(tmp_path: Path, cli) -> None:
    (tmp_path / "in.yaml").write_text(DEPLOYMENT.replace("image: nginx:1.27", "image: 1.27"))
    result = cli("render", "--validate-output", "in.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out == ""
    assert result.err == ("in.yaml:17: Deployment/web: spec.template.spec.containers[0].image: expected a string, "
                          "got number 1.27 (Kubernetes 1.32 schema)\n")
    assert cli("render", "in.yaml", cwd=tmp_path).code == 0


def test_the_library_api_validates_outputs_only_when_asked() -> None:
    bad = DEPLOYMENT.replace("replicas: 2", "replicas: two")
    assert api.render([Source("in.yaml", bad)], Options()).ok
    assert not api.render([Source("in.yaml", bad)], Options(validate_output=True)).ok
