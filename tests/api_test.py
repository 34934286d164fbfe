from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kruise_render import Options, Severity, Source, Verdict, api
from tests.conftest import FIXTURES

STREAM = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web}
spec: {replicas: two}
"""


def test_report_of_a_failed_run_says_nothing_was_written() -> None:
    result = api.render([Source("in.yaml", STREAM)], Options())
    assert not result.ok
    assert api.account(result) == [
        "in.yaml:1: ConfigMap/settings: not written (the run has errors)",
        "in.yaml:5: CloneSet/web: consumed: invalid",
    ]


def test_render_paths_keeps_read_problems_inside_the_result(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "b.yaml").write_bytes(b"\xff\xfe not text\n")
    result = api.render_paths([str(tmp_path)], Options())
    assert not result.ok and result.documents == []  # all or nothing: a.yaml is not written either
    [problem] = result.problems
    assert problem.severity is Severity.ERROR and problem.file == str(tmp_path / "b.yaml")


def test_validate_paths_renders_nothing(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(STREAM)
    for options in (Options(), Options(validate_output=True)):
        result = api.validate_paths([str(tmp_path / "in.yaml")], options)
        assert result.documents == [] and [p.path for p in result.problems] == ["spec.replicas", "spec.selector", "spec.template"]


def test_explain_answers_in_records_that_point_at_the_written_template() -> None:
    case = FIXTURES / "uniteddeployment" / "invalid-sidecar-injection" / "input.yaml"
    explanation = api.explain([str(case)], Options())
    assert explanation.ok and explanation.sidecarsets == ["log-agent"]
    assert [(str(t.object), t.path, t.line) for t in explanation.templates] == [
        ("Deployment/shop/shop-zone-a", ("spec", "template"), 36),  # the UnitedDeployment's pod template
        ("Deployment/shop/shop-zone-b", ("spec", "template"), 36),
    ]
    assert explanation.templates[0].verdicts == [Verdict("log-agent", True, "matched", "selector app=shop matches")]


def test_a_resource_list_with_an_error_comes_back_unchanged_with_its_results() -> None:
    items = [yaml.safe_load(STREAM.split("---\n")[1])]
    data = yaml.safe_dump({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items})
    answer = api.render_resource_list(data.encode())
    assert not answer.ok and answer.resource_list["items"] == items
    assert [r["field"]["path"] for r in answer.resource_list["results"]] == ["spec.replicas", "spec.selector", "spec.template"]


def test_check_reports_each_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "src.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / ".kruise-render.yaml").write_text("targets:\n- {source: src.yaml, output: out.yaml}\n")
    monkeypatch.chdir(tmp_path)
    [stale] = api.check()
    assert stale.rendered and stale.stale and stale.diff.startswith("--- /dev/null\n+++ b/out.yaml\n")
    [fixed] = api.check(fix=True)
    assert fixed.rewritten and (tmp_path / "out.yaml").read_text() == (tmp_path / "src.yaml").read_text()
    [current] = api.check()
    assert current.rendered and not current.stale and not current.rewritten
