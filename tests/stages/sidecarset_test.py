"""The SidecarSet stage through the real command line: idempotence, comments, explain, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, case_args, run_cli

CASES = ["native-kinds", "kruise-kinds", "multiple-ordered", "namespaces"]


def _sidecarsets(text: str) -> str:
    return "\n---\n".join(part for part in text.split("\n---\n") if "kind: SidecarSet" in part)


@pytest.mark.parametrize("name", CASES)
def test_rendering_the_output_again_with_the_sidecarsets_changes_nothing(name: str, tmp_path: Path) -> None:
    case = FIXTURES / "sidecarset" / name
    first = run_cli("render", *case_args(case), str(case / "input.yaml"), cwd=case)
    assert first.code == 0, first.err
    again = tmp_path / "again.yaml"
    again.write_text(first.out + "---\n" + _sidecarsets((case / "input.yaml").read_text()) + "\n")
    second = run_cli("render", *case_args(case), str(again), cwd=case)
    assert second.code == 0, second.err
    assert second.out == first.out


def test_quickstart_is_idempotent(tmp_path: Path) -> None:
    source = FIXTURES / "quickstart" / "input"
    first = run_cli("render", str(source))
    assert first.code == 0, first.err
    again = tmp_path / "again.yaml"
    again.write_text(first.out + "---\n" + _sidecarsets((source / "kruise.yaml").read_text()) + "\n")
    assert run_cli("render", str(again)).out == first.out


def test_comments_of_edited_workloads_survive() -> None:
    out = run_cli("render", str(FIXTURES / "sidecarset" / "native-kinds" / "input.yaml")).out
    assert "- name: app # the application" in out or "- name: app   # the application" in out


def test_report_names_the_injected_sidecarsets() -> None:
    result = run_cli("render", "--report", str(FIXTURES / "sidecarset" / "multiple-ordered" / "input.yaml"))
    assert "Deployment/shop/web: changed (injected sidecarset/a-logs,b-metrics,z-team)" in result.err
    assert "SidecarSet/z-team: consumed" in result.err


def test_conflicting_sidecarsets_fail_the_render() -> None:
    result = run_cli("render", str(FIXTURES / "sidecarset" / "conflict" / "input.yaml"))
    assert result.code == 1 and result.out == ""
    assert "container agent already exist in first" in result.err


def test_timestamp_option_is_written_in_go_form() -> None:
    result = run_cli("render", "--timestamp", "2025-03-04T05:06:07.123+02:00",
                     str(FIXTURES / "sidecarset" / "namespaces" / "input.yaml"))
    assert '"updateTimestamp":"2025-03-04T03:06:07Z"' in result.out


def test_explain_text_lists_every_sidecarset_with_its_reason() -> None:
    result = run_cli("explain", str(FIXTURES / "sidecarset" / "namespaces" / "input.yaml"))
    assert result.code == 0, result.err
    assert "Pod/prod/web (the Pod itself) (pod namespace prod)\n  matched      prod-only: selector app=web matches" in result.out
    assert ("Pod/dev/web (the Pod itself) (pod namespace dev)\n  not matched  prod-only: namespaceSelector env=prod "
            "does not match namespace dev (kubernetes.io/metadata.name=dev)\n  injects: nothing") in result.out


def test_explain_json_covers_excluded_and_selector_reasons() -> None:
    result = run_cli("explain", "--format", "json", str(FIXTURES / "sidecarset" / "native-kinds" / "input.yaml"))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["sidecarSets"] == ["mesh"]
    reasons = {(t["object"]["kind"], t["object"]["name"]): t["sidecarSets"][0]["reason"] for t in data["podTemplates"]}
    assert reasons[("DaemonSet", "node-agent")] == "excluded-namespace"
    assert reasons[("Deployment", "plain")] == "selector"
    assert reasons[("CronJob", "cron")] == "matched"
    cron = next(t for t in data["podTemplates"] if t["object"]["name"] == "cron")
    assert cron["path"] == "spec.jobTemplate.spec.template" and cron["injectionOrder"] == ["mesh"]


def test_explain_shows_order_and_paused(tmp_path: Path) -> None:
    text = (FIXTURES / "sidecarset" / "multiple-ordered" / "input.yaml").read_text()
    text = text.replace("name: b-metrics\nspec:\n", "name: b-metrics\nspec:\n  injectionStrategy:\n    paused: true\n")
    source = tmp_path / "in.yaml"
    source.write_text(text)
    out = run_cli("explain", str(source)).out
    assert "not matched  b-metrics: spec.injectionStrategy.paused is true" in out
    assert "injects: z-team, a-logs" in out


def test_explain_without_sidecarsets(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n")
    assert run_cli("explain", str(source)).out == "no valid SidecarSet in the input or the context: nothing would be injected\n"
