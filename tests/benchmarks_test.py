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
        [sys.executable, str(BENCH), "--sizes", "20", "--corpus-dir", str(tmp_path), "--no-kustomize",
         "--repeat", "1", "--startup-runs", "1", *args],
        capture_output=True, text=True, timeout=180,
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
    assert "kruise-render render (mostly-native)" in out and "== targets" in out and "load average at start" in out
    for target in ("start-up: kruise-render version", "below the parse: mostly-native 20"):
        assert f"target {target}" in out
    rendered = (tmp_path / "kruise-20-seed7" / "rendered-edit.yaml").read_text()
    docs = [d for d in yaml.safe_load_all(rendered) if d]
    edited = [d for d in docs if "bench.example.com/edited" in str(d)]
    assert len(edited) == int(out.split(" docs edited")[0].split()[-1]) > 0
    assert {d["kind"] for d in docs} >= {"Deployment", "StatefulSet", "Service", "ConfigMap"}


def test_passthrough_corpus_renders_byte_for_byte(tmp_path: Path) -> None:
    _bench(tmp_path, "--passthrough", "--no-ruamel", "--no-edit", "--no-startup")
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


def test_targets_are_judged_by_size() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.pop(0)

    def result(size: int, render_cpu: float, rss: float, native: bool = False) -> dict[str, object]:
        rows = [bench.Measure("parse", size, 1.0, 1.0, 20), bench.Measure("render", size, 2.0, render_cpu, rss,
                                                                             x_cpu=render_cpu)]
        return {"size": size, "bytes": 8_270_000 * size // 10_000, "rows": rows, "native": native, "passthrough": False}

    assert bench.size_targets(result(10_000, 1.7, 70)) == [
        "target throughput: 10,000 render / libyaml parse: 1.70x cpu (<= 1.8x cpu): ok",
        "target memory: 10,000 peak RSS: 70 MB (<= 2 x 8.27 MB + 60 = 77 MB): ok"]
    assert bench.size_targets(result(5_000, 2.1, 70))[0].endswith("2.10x cpu (<= 2.0x cpu): MISSED")
    assert bench.size_targets(result(50_000, 8.0, 230)) == [
        "target memory: 50,000 peak RSS: 230 MB (<= 3 x 41.35 MB + 100 = 224 MB): MISSED"]
    assert bench.size_targets(result(10_000, 0.5, 50, native=True)) == [
        "target below the parse: mostly-native 10,000 render / libyaml parse: 0.50x cpu (< 1.0x cpu): ok"]
    assert bench.scaling([result(10_000, 2.0, 1), result(50_000, 11.0, 1)]) == [
        "target scaling: render 50,000 / 10,000: 5.50x cpu (1.00x wall) (<= 5.5; linear = 5.0): ok"]
