"""`--strict`: warnings are errors (exit 1, nothing written) for render, validate, check and fn;
an input without objects is a warning everywhere (an error under --strict, and for Argo CD)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from tests.stages.validate_test import CLONESET

LONELY_SIDECARSET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: log-agent
spec:
  selector:
    matchLabels: {app: nothing-here}
  containers:
    - name: agent
      image: agent:1
"""
EMPTY = "# nothing but a comment\n---\n"
MATCHED_NOTHING = ("<stdin>:6: SidecarSet/log-agent: spec.selector: warning: this SidecarSet matched no pod template "
                   "in the input (`kruise-render explain` shows why)\n")


def test_a_warning_does_not_fail_a_render_unless_strict() -> None:
    plain = run_cli("render", "-", stdin=LONELY_SIDECARSET)
    assert (plain.code, plain.out, plain.err) == (0, "", MATCHED_NOTHING)
    strict = run_cli("render", "--strict", "-", stdin=LONELY_SIDECARSET + "---\n" + CLONESET)
    assert strict.code == 1 and strict.out == ""
    assert strict.err == MATCHED_NOTHING.replace("warning: ", "").replace("shows why)", "shows why) (--strict)")


def test_strict_writes_no_output_directory(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(LONELY_SIDECARSET + "---\n" + CLONESET)
    run = run_cli("render", "--strict", "-o", "out", "in.yaml", cwd=tmp_path)
    assert run.code == 1 and not (tmp_path / "out").exists()


def test_expect_rendered_fails_validate_only_with_strict() -> None:
    """The documented way to catch a render an earlier step skipped (kubectl kustomize and exec functions)."""
    warned = run_cli("validate", "--expect-rendered", "-", stdin=CLONESET)
    assert warned.code == 0 and "warning: apps.kruise.io/v1alpha1 object reached kruise-render unrendered" in warned.err
    failed = run_cli("validate", "--strict", "--expect-rendered", "-", stdin=CLONESET)
    assert failed.code == 1
    assert failed.err.startswith("<stdin>:1: CloneSet/web: apiVersion: apps.kruise.io/v1alpha1 object reached")
    assert failed.err.endswith("(--strict)\n")


@pytest.mark.parametrize("command", ["render", "validate"])
def test_empty_input_is_a_warning_and_an_error_under_strict(command: str) -> None:
    warned = run_cli(command, "-", stdin=EMPTY)
    assert (warned.code, warned.out, warned.err) == (0, "", "warning: no Kubernetes objects in the input\n")
    failed = run_cli(command, "--strict", "-", stdin=EMPTY)
    assert (failed.code, failed.err) == (1, "no Kubernetes objects in the input (--strict)\n")


def test_an_unreadable_input_is_not_also_called_empty(tmp_path: Path) -> None:
    run = run_cli("render", "--strict", "missing.yaml", cwd=tmp_path)
    assert run.err == "missing.yaml: cannot read: no such file or directory\n"


def _resource_list(items: str, config: str) -> str:
    listed = "".join("- " + item.replace("\n", "\n  ").rstrip() + "\n" for item in items.split("---\n") if item.strip())
    return ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:" + ("\n" + listed if listed else " []\n")
            + "functionConfig:\n  apiVersion: kruise-render.io/v1alpha1\n  kind: KruiseRender\n"
            + "  metadata: {name: render}\n" + config)


def test_fn_strict_from_the_function_config() -> None:
    lenient = yaml.safe_load(run_cli("fn", stdin=_resource_list(LONELY_SIDECARSET, "")).out)
    assert [(r["severity"], r["tags"]["code"]) for r in lenient["results"]] == [("warning", "KR211")]
    run = run_cli("fn", stdin=_resource_list(LONELY_SIDECARSET, "  strict: true\n"))
    assert run.code == 1
    out = yaml.safe_load(run.out)
    assert out["items"][0]["kind"] == "SidecarSet"  # on error the items go back unchanged
    assert [(r["severity"], r["tags"]["code"]) for r in out["results"]] == [("error", "KR211")]


def test_fn_empty_items_is_a_warning_result() -> None:
    out = yaml.safe_load(run_cli("fn", stdin=_resource_list("", "")).out)
    assert out["results"] == [{"message": "no Kubernetes objects in the input", "severity": "warning",
                               "tags": {"code": "KR012"}}]
    assert run_cli("fn", stdin=_resource_list("", "  strict: true\n")).code == 1


def _repo(tmp_path: Path, args: str = "") -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "in.yaml").write_text(LONELY_SIDECARSET + "---\n" + CLONESET)
    (tmp_path / ".kruise-render.yaml").write_text(f"targets:\n- source: src\n  output: out.yaml\n  args: [{args}]\n")
    assert run_cli("check", "--fix", cwd=tmp_path).code == 0
    return tmp_path


def test_check_strict_for_every_target_or_in_a_targets_args(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "a")
    assert run_cli("check", cwd=repo).code == 0
    run = run_cli("check", "--strict", cwd=repo)
    assert run.code == 1 and "matched no pod template in the input (`kruise-render explain` shows why) (--strict)" in run.err
    assert "out.yaml: not checked" in run.err
    own = _repo(tmp_path / "b")
    (own / ".kruise-render.yaml").write_text("targets:\n- source: src\n  output: out.yaml\n  args: [--strict]\n")
    assert run_cli("check", cwd=own).code == 1


def test_argo_cd_refuses_empty_input_once(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "empty.yaml").write_text(EMPTY)
    env = {"ARGOCD_APP_SOURCE_PATH": "app"}
    run = run_cli("argocd-generate", cwd=tmp_path / "app", env={**os.environ, **env})
    assert run.code == 1 and run.out == ""
    assert run.err.count("no Kubernetes objects") == 1 and "refusing to produce an empty manifest" in run.err


def test_argo_cd_strict_makes_its_notes_errors_too(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "in.yaml").write_text(CLONESET)
    env = {"ARGOCD_APP_SOURCE_PATH": "app", "KUBE_VERSION": "banana"}
    lenient = run_cli("argocd-generate", cwd=tmp_path / "app", env={**os.environ, **env})
    assert lenient.code == 0 and "warning: KUBE_VERSION='banana' is not a Kubernetes 1.x version" in lenient.err
    strict = run_cli("argocd-generate", cwd=tmp_path / "app", env={**os.environ, **env, "ARGOCD_ENV_STRICT": "true"})
    assert strict.code == 1 and strict.out == "" and "(--strict)" in strict.err


def test_explain_says_when_its_input_is_empty_too() -> None:
    run = run_cli("explain", "-", stdin=EMPTY)
    assert run.code == 0 and run.err == "warning: no Kubernetes objects in the input\n"
