"""`kruise-render validate`: inputs only, every problem, exit 1; nothing on stdout."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES
from tests.stages.validate_test import CLONESET

GOOD = CLONESET


def test_valid_inputs_exit_0_silently(cli) -> None:
    result = cli("validate", str(FIXTURES / "quickstart" / "input"))
    assert (result.code, result.out, result.err) == (0, "", "")


def test_every_error_of_every_file_and_exit_1(tmp_path: Path, cli) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.replace("replicas: 3", "replicas: -1"))
    (tmp_path / "b.yaml").write_text(GOOD + "---\n" + GOOD.replace("name: web\n          image", "nmae: web\n          image"))
    result = cli("validate", "a.yaml", "b.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        "a.yaml:6: CloneSet/web: spec.replicas: must be at least 0; got number -1",
        "b.yaml:37: CloneSet/web: spec.template.spec.containers[0].name: required field is missing",
    ]


def test_a_directory_and_stdin(tmp_path: Path, cli) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "x.yaml").write_text(GOOD.replace("app: web\n  template", "app: [web]\n  template"))
    assert cli("validate", "dir", cwd=tmp_path).err == (
        "dir/x.yaml:9: CloneSet/web: spec.selector.matchLabels.app: expected a string, got a list\n")
    result = cli("validate", stdin=GOOD.replace("kind: CloneSet", "kind: CloneSet\nspce: {}"))
    assert result.code == 1
    assert result.err.startswith("<stdin>:3: CloneSet/web: spce: unknown field \"spce\"; did you mean \"spec\"?")


def test_unreadable_yaml_is_reported_too(tmp_path: Path, cli) -> None:
    (tmp_path / "bad.yaml").write_text("a: [\n")
    result = cli("validate", "bad.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.err.startswith("bad.yaml:")


def test_render_problems_are_not_validate_problems(tmp_path: Path, cli) -> None:
    # Valid per schema, whatever the expanders later think of it: validate checks the inputs only.
    (tmp_path / "in.yaml").write_text(GOOD)
    assert cli("validate", "in.yaml", cwd=tmp_path).code == 0


def test_validate_output_also_checks_what_the_render_would_emit(tmp_path: Path, cli) -> None:
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"
                  "spec:\n  selector:\n    matchLabels: {a: b}\n"
                  "  template:\n    metadata:\n      labels: {a: b}\n"
                  "    spec:\n      containers:\n        - name: c\n          image: 5\n")
    (tmp_path / "in.yaml").write_text(deployment)
    assert cli("validate", "in.yaml", cwd=tmp_path).code == 0
    result = cli("validate", "--validate-output", "in.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out == ""
    assert result.err == ("in.yaml:14: Deployment/d: spec.template.spec.containers[0].image: expected a string, got number 5 "
                          "(Kubernetes 1.32 schema)\n")


def test_the_pre_commit_hook_skips_what_is_no_manifest_with_one_note(tmp_path: Path, cli) -> None:
    """pre-commit hands the hook every YAML and JSON file of a repository."""
    files = {
        "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
        "mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - emoji:\n      index: !!python/name:material.emoji.twemoji\n",
        "package.json": '{"name": "x", "version": "1.0.0"}\n',
        "playbook.yml": "- hosts: all\n  tasks: []\n",
        "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
        "app/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n",
        "app/web.yaml": GOOD,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    names = sorted(files)
    run = cli("validate", "--skip-non-kubernetes", *names, cwd=tmp_path)
    assert (run.code, run.out) == (0, "")
    assert run.err == ("info: skipped 6 documents that are no Kubernetes manifest (no apiVersion and kind, or an "
                       "unrendered Helm template): app/kustomization.yaml:1, chart/templates/cm.yaml:1, "
                       "docker-compose.yml:1, mkdocs.yml:1, package.json:1, and 1 more\n")
    assert cli("validate", "--skip-non-kubernetes", "-q", *names, cwd=tmp_path).err == ""
    broken = cli("validate", "--skip-non-kubernetes", "app/web.yaml", "-", cwd=tmp_path,
                 stdin="apiVersion: v1\nkind: ConfigMap\n")  # half an object is still reported
    assert broken.code == 1 and broken.err == "<stdin>:1: ConfigMap/?: missing or empty metadata.name\n"
    without = cli("validate", *names, cwd=tmp_path)
    assert without.code == 1 and "docker-compose.yml:1: missing or empty apiVersion, kind, metadata.name" in without.err
