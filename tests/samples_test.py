"""Every real input under ../shared/kruise-samples either renders to native objects only, or
fails with one-line reasons that name the object (issue 6, "Done when")."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render import api, kinds
from kruise_render.diagnostics import Severity
from kruise_render.k8s.identity import is_kruise
from kruise_render.kinds import Verdict, is_served
from kruise_render.options import Options
from tests.conftest import SHARED

SAMPLES = sorted((SHARED / "kruise-samples").rglob("*.yaml")) if SHARED.is_dir() else []

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
    errors = [d for d in [*problems, *result.problems] if d.severity is Severity.ERROR]
    if not errors:
        # (A sample made only of SidecarSets renders to nothing: they are applied, then consumed.)
        assert [doc.id for doc in result.documents if is_kruise(doc.api_version)] == []
        return
    for diagnostic in errors:
        line = diagnostic.format()
        assert "\n" not in line
        assert diagnostic.file == str(sample) and diagnostic.line, line
        # The object by kind and name; by position only when it has no name (or no YAML at all).
        assert diagnostic.name or "metadata.name" in diagnostic.message or diagnostic.kind is None, line
        # Every kind and version Kruise v1.9.0 serves has a stage (or is a known runtime kind).
        assert not (LEFTOVER in diagnostic.message and is_served(diagnostic.api_version or "", diagnostic.kind or "")), line
        # A version Kruise v1.9.0 does not serve (the manuals' CloneSet v1beta1) is the object's one
        # error, at its apiVersion line, in the registry's words.
        if kinds.classify(diagnostic.api_version or "", diagnostic.kind or "") is Verdict.UNSERVED:
            assert diagnostic.path == "apiVersion", line
            assert diagnostic.message == kinds.unserved(diagnostic.api_version or "", diagnostic.kind or ""), line
            assert [e.index for e in errors].count(diagnostic.index) == 1, line
