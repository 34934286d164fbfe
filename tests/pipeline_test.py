"""The pipeline runs a stage only when the stream can give it something to do (pipeline.TRIGGERS),
so a render imports only the stages its input needs. A trigger that skipped a stage with work
would change the output: every golden case and every fuzz regression is rendered with the
triggers and with every stage forced to run, and both renders must agree byte for byte and
problem for problem."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render import api, kinds, pipeline
from kruise_render.options import Options
from tests.conftest import ROOT, case_args
from tests.golden_test import _cases


def _render(paths: list[str], options: Options) -> tuple[str, list[str]]:
    result = api.render_paths(paths, options)
    return result.stream(), [problem.format() for problem in result.problems]


def _both(paths: list[str], options: Options, monkeypatch: pytest.MonkeyPatch) -> None:
    triggered = _render(paths, options)
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "TRIGGERS", {})
        every = _render(paths, options)
    assert triggered == every


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(ROOT / "fixtures")))
def test_triggers_skip_nothing_on_the_golden_cases(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    source = "input.yaml" if (case / "input.yaml").exists() else "input"
    _both([source], api.options_from_args(case_args(case)), monkeypatch)


@pytest.mark.parametrize("case", sorted((ROOT / "fuzz" / "regressions").iterdir()), ids=lambda p: p.name)
def test_triggers_skip_nothing_on_the_fuzz_regressions(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _both([str(case)], Options(allow_lossy=True), monkeypatch)
    _both([str(case)], Options(), monkeypatch)


def test_every_stage_of_the_registry_has_its_kinds_as_trigger() -> None:
    for entry in kinds.KINDS:
        if entry.stage is not None:
            trigger = pipeline.TRIGGERS[entry.stage]
            assert isinstance(trigger, frozenset) and (entry.group, entry.kind) in trigger


def test_every_trigger_names_a_stage() -> None:
    assert set(pipeline.TRIGGERS) <= {name for name, _ in (*pipeline.STAGES, *pipeline.CHECKS)}


def test_native_objects_run_only_the_collision_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ran: list[str] = []

    def recorded(name: str, stage: pipeline.Stage) -> pipeline.Stage:
        def run(docs: list, ctx: object) -> list:
            ran.append(name)
            return stage(docs, ctx)  # type: ignore[arg-type]
        return run

    monkeypatch.setattr(pipeline, "STAGES", tuple((name, recorded(name, stage)) for name, stage in pipeline.STAGES))
    (tmp_path / "app.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
                                       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n")
    assert api.render_paths([str(tmp_path)]).ok
    assert ran == ["collisions"]
    ran.clear()
    (tmp_path / "cs.yaml").write_text("apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata:\n  name: c\n"
                                      "spec:\n  selector:\n    matchLabels: {app: c}\n  template:\n    metadata:\n"
                                      "      labels: {app: c}\n    spec:\n      containers: [{name: c, image: c}]\n")
    assert api.render_paths([str(tmp_path)]).ok
    assert "cloneset" in ran and "uniteddeployment" not in ran and "sidecarset" not in ran
    assert {"validate", "references", "gitops", "orphanselectors", "collisions"} <= set(ran)


@pytest.mark.parametrize("case", [c for c in _cases() if "SidecarSet" in "".join(
    p.read_text() for p in ([c / "input.yaml"] if (c / "input.yaml").exists() else sorted((c / "input").rglob("*.y*ml"))))],
    ids=lambda p: str(p.relative_to(ROOT / "fixtures")))
def test_sidecarset_injection_changes_no_pod_label(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What lets the orphan-selector check run before SidecarSet injection (pipeline.py)."""
    from kruise_render.k8s.podtemplate import pod_templates
    from kruise_render.yaml import codec

    monkeypatch.chdir(case)
    source = "input.yaml" if (case / "input.yaml").exists() else "input"
    result = api.render_paths([source], api.options_from_args(case_args(case)))
    injected = [doc for doc in result.documents if doc.note and "injected sidecarset/" in doc.note and doc.raw]
    for doc in injected:
        before = codec.load(doc.raw or "", Options().limits)
        assert [r.labels for r in pod_templates(before)] == [r.labels for r in pod_templates(doc.data)]
    if case.name == "quickstart":
        assert injected  # the check above is not empty everywhere
