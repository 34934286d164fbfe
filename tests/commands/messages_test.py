"""Mistakes whose message points at the fix: a kustomize directory, an unrendered Helm template, a
tab, a misspelt Kruise kind, a namespace on the cluster-scoped SidecarSet; and a missing optional
dependency, which exits 2 with the install command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.stages.validate_test import CLONESET

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
@pytest.mark.parametrize("kustomization", [
    "resources: [a.yaml]\n",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: app\nresources: [a.yaml]\n",
])
def test_a_kustomize_directory_says_to_build_it_first(tmp_path: Path, kustomization: str) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text(kustomization)
    (tmp_path / "app" / "a.yaml").write_text(CONFIGMAP)
    run = run_cli("render", "app", cwd=tmp_path)
    assert run.code == 1 and run.out == ""
    assert run.err.splitlines()[-1].startswith("app/kustomization.yaml:1: ")
    assert run.err.endswith("a kustomization, not a manifest: kustomize builds this directory, kruise-render renders "
                            "what it built: kubectl kustomize app | kruise-render render -\n")


def test_fluxs_kustomization_is_an_object_like_any_other(tmp_path: Path) -> None:
    flux = ("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n"
            "spec:\n  path: ./apps\n")
    (tmp_path / "kustomization.yaml").write_text(flux)
    run = run_cli("render", "kustomization.yaml", cwd=tmp_path)
    assert (run.code, run.out, run.err) == (0, flux, "")


@pytest.mark.parametrize("template", [
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    "{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    {{- include \"chart.labels\" . | nindent 4 }}\n",
])
def test_an_unrendered_helm_template_is_named_with_the_fix(tmp_path: Path, template: str) -> None:
    (tmp_path / "deployment.yaml").write_text(template)
    run = run_cli("render", "--diagnostics-format", "json", "deployment.yaml", cwd=tmp_path)
    assert run.code == 1
    [record] = [json.loads(line) for line in run.err.splitlines()]
    assert record["code"] == "KR006" and record["message"].startswith("an unrendered Helm template")
    assert "helm template RELEASE CHART | kruise-render render -" in record["message"]
    row = next(i for i, line in enumerate(template.splitlines()) if "{{" in line)
    assert (record["line"], record["column"]) == (row + 1, template.splitlines()[row].index("{{") + 1)


def test_quoted_template_text_in_valid_yaml_is_left_alone() -> None:
    """Prometheus rules and Argo Workflows carry {{ ... }} in strings: valid YAML is never a Helm error."""
    rule = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  summary: "{{ $labels.instance }} down"\n'
    run = run_cli("render", "-", stdin=rule)
    assert (run.code, run.out) == (0, rule)


@pytest.mark.parametrize(("text", "line", "column"), [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n", 4, 1),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  \tlabels: {}\n", 5, 3),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n\t\n", 5, 1),
])
def test_a_tab_is_named_with_its_column(text: str, line: int, column: int) -> None:
    run = run_cli("render", "-", stdin=text)
    assert run.code == 1
    assert run.err == f"<stdin>:{line}: tab character at column {column}; YAML indents with spaces\n"


@pytest.mark.parametrize(("kind", "hint"), [("Cloneset", "CloneSet"), ("cloneset", "CloneSet"), ("CLONESET", "CloneSet"),
                                            ("SidecarSets", "SidecarSet"), ("Statefulset", "StatefulSet")])
@pytest.mark.parametrize("command", ["render", "validate"])
def test_a_misspelt_kruise_kind_gets_did_you_mean(command: str, kind: str, hint: str) -> None:
    run = run_cli(command, "-", stdin=CLONESET.replace("kind: CloneSet", f"kind: {kind}"))
    assert run.code == 1
    assert f"(did you mean {hint}?)" in run.err and run.err.count("\n") == 1


def test_a_sidecarset_namespace_is_warned_as_ignored() -> None:
    sidecarset = ("apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata:\n  name: agent\n  namespace: shop\n"
                  "spec:\n  selector:\n    matchLabels: {app: web}\n  containers:\n    - name: agent\n      image: a:1\n")
    run = run_cli("render", "-", stdin=sidecarset + "---\n" + CLONESET)
    assert run.code == 0
    assert run.err.splitlines()[0] == (
        "<stdin>:5: SidecarSet/agent: metadata.namespace: warning: ignored: SidecarSets are cluster-scoped, so the API "
        "server drops metadata.namespace and this SidecarSet still injects into every namespace; to limit it, use "
        "spec.namespace or spec.namespaceSelector")
    assert "name: agent" in run.out  # injected all the same, into a pod of another namespace than `shop`


def test_a_missing_optional_dependency_exits_2_with_the_install_command(tmp_path: Path) -> None:
    """kubernetes-validate hidden as if not installed (a None in sys.modules: find_spec finds nothing,
    import fails), in a process of its own."""
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['kubernetes_validate'] = None\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for command in (["render"], ["validate"]):
        run = subprocess.run([sys.executable, "-m", "kruise_render", *command, "--validate-output", "-"],
                             input=CONFIGMAP, capture_output=True, text=True, env=env, timeout=60)
        assert run.returncode == 2 and run.stdout == "", run.stderr
        assert run.stderr == ("kruise-render: --validate-output needs the package kubernetes-validate, which is not "
                              "installed: pip install 'kruise-render[validate]'\n")
    plain = subprocess.run([sys.executable, "-m", "kruise_render", "render", "-"], input=CONFIGMAP, capture_output=True,
                           text=True, env=env, timeout=60)
    assert (plain.returncode, plain.stdout) == (0, CONFIGMAP)
