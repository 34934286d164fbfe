"""`kruise-render check` through the real command line, in throwaway repositories."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

APP = """\
# the app
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
"""


def _repo(tmp_path: Path, config: str) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.yaml").write_text(APP)
    (tmp_path / ".kruise-render.yaml").write_text(config)
    return tmp_path


def test_stale_file_prints_a_diff_and_fix_rewrites_it(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "targets:\n- source: src\n  output: out/rendered.yaml\n  args: [--kube-version=1.30]\n")
    (repo / "out").mkdir()
    (repo / "out" / "rendered.yaml").write_text(APP.replace('"1"', '"0"'))
    stale = run_cli("check", cwd=repo)
    assert stale.code == 1
    assert stale.out.startswith("--- a/out/rendered.yaml\n+++ b/out/rendered.yaml\n")
    assert '-  a: "0"\n+  a: "1"\n' in stale.out
    assert stale.err == ("out/rendered.yaml: stale: it differs from what its source renders to (diff on stdout); run "
                         "`kruise-render check --fix`, or with pre-commit give the kruise-render-check hook "
                         "`args: [--fix]`, then commit the result\n")
    assert (repo / "out" / "rendered.yaml").read_text() == APP.replace('"1"', '"0"')

    fixed = run_cli("check", "--fix", cwd=repo)
    assert fixed.code == 0, fixed.err
    assert (repo / "out" / "rendered.yaml").read_text() == run_cli("render", "src", cwd=repo).out
    assert run_cli("check", cwd=repo).code == 0


def test_directory_output_is_one_file_per_object_and_found_from_a_subdirectory(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "targets:\n- source: src/app.yaml\n  output: rendered/\n")
    missing = run_cli("check", cwd=repo / "src")
    assert missing.code == 1
    assert f"--- /dev/null\n+++ b/{repo}/rendered/configmap-settings.yaml\n" in missing.out
    assert run_cli("check", "--fix", cwd=repo).code == 0
    assert sorted(p.name for p in (repo / "rendered").iterdir()) == ["configmap-settings.yaml", "service-web.yaml"]
    (repo / "rendered" / "service-old.yaml").write_text("kind: Service\n")
    extra = run_cli("check", cwd=repo)
    assert extra.code == 1
    assert "--- a/rendered/service-old.yaml\n+++ /dev/null\n" in extra.out


def test_render_errors_fail_the_check_without_touching_the_output(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "targets:\n- source: src\n  output: rendered.yaml\n")
    (repo / "src" / "broken.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n")
    run = run_cli("check", "--fix", cwd=repo)
    assert run.code == 1
    assert "src/broken.yaml:4: " in run.err
    assert "rendered.yaml: not checked: its source src does not render (see above)" in run.err
    assert not (repo / "rendered.yaml").exists()


def test_missing_or_malformed_config_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    run = run_cli("check", cwd=tmp_path)
    assert run.code == 1
    assert "no .kruise-render.yaml in" in run.err
    (tmp_path / ".kruise-render.yaml").write_text("targets:\n- source: a\n  output: b\n  extra: 1\n")
    bad = run_cli("check", cwd=tmp_path)
    assert bad.code == 1
    assert "targets[0]: expected a mapping with keys source, output, args" in bad.err


def test_bad_target_args_are_reported(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "targets:\n- source: src\n  output: r.yaml\n  args: [--kube-version=x]\n")
    run = run_cli("check", cwd=repo)
    assert run.code == 1
    assert "r.yaml: args: Invalid value for '--kube-version'" in run.err


def test_output_outside_the_config_directory_is_refused(tmp_path: Path) -> None:
    for i, output in enumerate(("../escape.yaml", "/tmp/elsewhere/", ".")):
        (tmp_path / str(i)).mkdir()
        repo = _repo(tmp_path / str(i), f"targets:\n- source: src\n  output: {output}\n")
        run = run_cli("check", "--fix", cwd=repo)
        assert run.code == 1, output
        assert f"targets[0]: output {output!r} is outside" in run.err
    assert not (tmp_path / "escape.yaml").exists()


PLATFORM = """\
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata:
  name: agent
spec:
  selector: {matchLabels: {app: web}}
  containers:
  - {name: agent, image: agent:1}
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web:1}]}
"""


def test_args_context_is_taken_from_the_config_directory_and_stays_in_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "platform").mkdir()
    (tmp_path / "platform" / "sidecarsets.yaml").write_text(PLATFORM)
    app = tmp_path / "apps" / "shop"
    (app / "src").mkdir(parents=True)
    (app / "src" / "web.yaml").write_text(DEPLOYMENT)
    (app / ".kruise-render.yaml").write_text(
        "targets:\n- source: src\n  output: rendered.yaml\n  args: [--context=../../platform, -n, shop]\n")
    fixed = run_cli("check", "--fix", cwd=app / "src")  # found from a subdirectory: paths still from the config's
    assert fixed.code == 0, fixed.err
    rendered = (app / "rendered.yaml").read_text()
    assert "name: agent" in rendered and "SidecarSet" not in rendered and "namespace" not in rendered
    assert run_cli("check", cwd=app).code == 0

    (app / ".kruise-render.yaml").write_text("targets:\n- source: src\n  output: rendered.yaml\n  args: [--context=../../..]\n")
    escaped = run_cli("check", cwd=app)
    assert escaped.code == 1 and escaped.out == ""
    assert f"rendered.yaml: args: --context: '../../..' leads outside the repository ({tmp_path})" in escaped.err
    (app / "link").symlink_to(tmp_path.parent)
    (app / ".kruise-render.yaml").write_text("targets:\n- source: src\n  output: rendered.yaml\n  args: [--nodes=link/x]\n")
    assert "leads outside the repository" in run_cli("check", cwd=app).err
