"""`kruise-render explain`: where each SidecarSet came from (input or context, file and line)."""
from __future__ import annotations

import json

from tests.conftest import FIXTURES, run_cli

PLATFORM = FIXTURES / "context" / "platform"


def test_explain_names_the_context_file_and_line_of_each_sidecarset() -> None:
    run = run_cli("explain", "--context", "context", "-n", "shop", "input", cwd=PLATFORM)
    assert run.code == 0, run.err
    assert run.out.startswith("SidecarSet log-agent: context context/sidecarsets.yaml:2\n"
                              "SidecarSet payments-mesh: context context/sidecarsets.yaml:23\n")
    assert ("(pod namespace shop)\n  matched      log-agent: selector logging=enabled matches\n"
            "  not matched  payments-mesh: pinned to namespace payments, the pod is in shop\n  injects: log-agent\n") in run.out


def test_explain_json_has_the_source_of_each_sidecarset() -> None:
    run = run_cli("explain", "--format", "json", "--context", "context", "-n", "shop", "input", cwd=PLATFORM)
    data = json.loads(run.out)
    assert data["sidecarSetSources"] == [
        {"name": "log-agent", "source": "context", "file": "context/sidecarsets.yaml", "line": 2},
        {"name": "payments-mesh", "source": "context", "file": "context/sidecarsets.yaml", "line": 23},
    ]
    assert {t["namespace"] for t in data["podTemplates"]} == {"shop"}
    quickstart = json.loads(run_cli("explain", "--format", "json", str(FIXTURES / "quickstart" / "input")).out)
    assert [s["source"] for s in quickstart["sidecarSetSources"]] == ["input"]


def test_report_lists_context_objects_as_not_written() -> None:
    run = run_cli("render", "--report", "-q", "--context", "context", "-n", "shop", "input", cwd=PLATFORM)
    assert run.code == 0, run.err
    lines = run.err.splitlines()
    assert "input/web.yaml:3: Deployment/web: changed (injected sidecarset/log-agent)" in lines
    assert lines[-5:] == [
        "context/namespaces.yaml:2: Namespace/shop: context, not written",
        "context/namespaces.yaml:9: Namespace/payments: context, not written",
        "context/sidecarsets.yaml:2: SidecarSet/log-agent: context, not written",
        "context/sidecarsets.yaml:23: SidecarSet/payments-mesh: context, not written",
        "context/sidecarsets.yaml:36: ConfigMap/kruise-system/log-agent-defaults: context, not written "
        "(ignored: informs nothing)",
    ]
