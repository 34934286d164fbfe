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
