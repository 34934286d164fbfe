"""Every real input under ../shared/kruise-samples either renders to native objects only, or
fails with one-line reasons that name the object (issue 6, "Done when")."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render import api
from kruise_render.diagnostics import Severity
from kruise_render.identity import group_of, is_kruise
from kruise_render.options import Options
from tests.conftest import SHARED

SAMPLES = sorted((SHARED / "kruise-samples").rglob("*.yaml")) if SHARED.is_dir() else []
SAMPLES = [p for p in SAMPLES if p.name != "LICENSE.md"]

# Kinds whose stages are written in other branches (issues of the SidecarSet, UnitedDeployment and
# workload helpers). Until they are merged, these kinds reach the `unrenderable` stage and the
# samples that use them are expected failures; the lead empties this set after merging them.
OWNED_ELSEWHERE = {
    ("apps.kruise.io", "SidecarSet"),
    ("apps.kruise.io", "UnitedDeployment"),
    ("apps.kruise.io", "CloneSet"),
    ("apps.kruise.io", "StatefulSet"),
    ("apps.kruise.io", "DaemonSet"),
}
LEFTOVER = "not renderable: no stage renders"


@pytest.fixture(scope="module")
def nodes_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("nodes") / "nodes.yaml"
    path.write_text("- {name: node-a, labels: {topology.kubernetes.io/zone: zone-a}}\n- node-b\n")
    return str(path)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: str(p.relative_to(SHARED / "kruise-samples")))
def test_sample_renders_natively_or_fails_naming_the_object(sample: Path, shared_dir: Path, nodes_file: str) -> None:
    options = Options(nodes_file=nodes_file)
    sources, problems = api.read([str(sample)], options)
    result = api.render(sources, options)
    errors = [d for d in [*problems, *result.diagnostics] if d.severity is Severity.ERROR]
    pending = sorted({f"{d.kind}" for d in errors if LEFTOVER in d.message and (group_of(d.api_version or ""), d.kind) in OWNED_ELSEWHERE})
    if pending:
        pytest.xfail(f"waits for the stages of {', '.join(pending)} (other branches)")
    if not errors:
        assert result.documents, "a sample that renders must produce objects"
        assert [doc.id for doc in result.documents if is_kruise(doc.api_version)] == []
        return
    for diagnostic in errors:
        line = diagnostic.format()
        assert "\n" not in line
        assert diagnostic.file == str(sample) and diagnostic.line, line
        # The object by kind and name; by position only when it has no name (or no YAML at all).
        assert diagnostic.name or "metadata.name" in diagnostic.message or diagnostic.kind is None, line
