"""The benchmark script runs end to end on a tiny corpus (no timing is asserted anywhere)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench.py"


def _bench(tmp_path: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "20", "--corpus-dir", str(tmp_path), "--no-kustomize", *args],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_bench_reports_every_row_on_a_tiny_corpus(tmp_path: Path) -> None:
    out = _bench(tmp_path)
    for row in ("libyaml parse", "kruise-render render", "render + forced edits", "ruamel round-trip",
                "kruise-render render (head corpus)", "diff base vs head (SidecarSet bump)"):
        assert row in out
    assert "x two renders wall" in out and " changed, " in out
    assert "0 fallbacks" in out
    assert "skipped kubectl kustomize: --no-kustomize" in out
    rendered = (tmp_path / "kruise-20-seed7" / "rendered-edit.yaml").read_text()
    docs = [d for d in yaml.safe_load_all(rendered) if d]
    edited = [d for d in docs if "bench.example.com/edited" in str(d)]
    assert len(edited) == int(out.split(" docs edited")[0].split()[-1]) > 0
    assert {d["kind"] for d in docs} >= {"Deployment", "StatefulSet", "Service", "ConfigMap"}


def test_passthrough_corpus_renders_byte_for_byte(tmp_path: Path) -> None:
    _bench(tmp_path, "--passthrough", "--no-ruamel", "--no-edit")
    corpus = tmp_path / "passthrough-20-seed7"
    source = "---\n".join(p.read_text() for p in sorted((corpus / "manifests").rglob("*.yaml")))
    assert (corpus / "rendered.yaml").read_text() == source
    assert "apps.kruise.io" not in source


def test_corpus_generation_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus_gen
    finally:
        sys.path.pop(0)
    first = [Path(f).read_text() for f in corpus_gen.generate(str(tmp_path / "a"), 150)]
    second = [Path(f).read_text() for f in corpus_gen.generate(str(tmp_path / "b"), 150)]
    assert first == second
    docs = [d for text in first for d in yaml.safe_load_all(text)]
    kinds = [d["kind"] for d in docs]
    assert len(docs) == 150 and kinds.count("SidecarSet") == 3
    assert {"Deployment", "StatefulSet", "Service", "ConfigMap", "CloneSet", "UnitedDeployment"} <= set(kinds)
