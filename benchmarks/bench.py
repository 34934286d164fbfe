"""kruise-render throughput next to a bare libyaml parse, a ruamel round trip and kubectl kustomize.

    python benchmarks/bench.py                     # 1k and 10k documents
    python benchmarks/bench.py --sizes 1000,10000,50000
    python benchmarks/bench.py --passthrough       # no Kruise objects: pure passthrough speed
    python benchmarks/bench.py --sizes 20 --corpus-dir /tmp/c   # smoke run

Every measurement runs in its own child process over the same generated files, so peak RSS is
that child's own (`os.wait4` rusage). Times are wall clock and CPU (user+sys) of the child; the
machine may be shared, so ratios are given for both. The best of `--repeat` runs counts.
Rows:
- libyaml parse: PyYAML CSafeLoader `load_all` of every file (the floor: reading at C speed);
- render: the real CLI, `python -m kruise_render render DIR` (this checkout's code);
- render+edit: the same pipeline with half of the workloads edited the way SidecarSet
  injection edits them (a pod annotation, a container, a volume), so the edit path's cost shows
  even when no stage changes anything;
- ruamel rt: ruamel.yaml round-trip load+dump (preserve_quotes), on at most `--ruamel-max`
  documents (it runs at ~70 docs/s; larger corpora are measured on a prefix and say so);
- kubectl kustomize: over a kustomization listing the same files (only up to `--kustomize-max`);
- diff: `kruise-render diff --base-dir` between the corpus and a copy whose SidecarSet log-agent
  has a new image (a pull request that rolls a sixth of the workloads), against the cost of
  rendering both corpora (the render row plus a render of the copy); the target is < 2x.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import corpus_gen  # noqa: E402  (sibling module; benchmarks/ is not a package)

_PARSE = """
import sys, yaml
n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        n += sum(1 for d in yaml.load_all(f.read(), Loader=yaml.CSafeLoader) if d is not None)
print(n)
"""

_RUAMEL = """
import io, sys
from ruamel.yaml import YAML
yaml = YAML(typ="rt")
yaml.preserve_quotes = True
yaml.width = 1_000_000
n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        docs = list(yaml.load_all(f.read()))
    out = io.StringIO()
    yaml.dump_all(docs, out)
    n += len(docs)
print(n)
"""


@dataclasses.dataclass
class Measure:
    name: str
    docs: int
    wall: float
    cpu: float
    rss_mb: float
    note: str = ""


def run_child(argv: Sequence[str], cwd: str | None = None, stdout: str | None = None,
              ok: tuple[int, ...] = (0,)) -> tuple[float, float, float, str, str]:
    """Run one child; (wall s, cpu s, peak RSS MB, stdout tail, stderr) from its own rusage."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        out_path = stdout or os.path.join(tmp, "out")
        err_path = os.path.join(tmp, "err")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        with open(err_path, encoding="utf-8", errors="replace") as handle:
            errors = handle.read()
        with open(out_path, "rb") as handle:
            handle.seek(max(0, os.path.getsize(out_path) - 200))
            tail = handle.read().decode("utf-8", "replace")
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv[:4])} exited {proc.returncode}: {errors[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tail, errors


def best(argv: Sequence[str], repeat: int, **kw: object) -> tuple[float, float, float, str, str]:
    runs = [run_child(argv, **kw) for _ in range(repeat)]  # type: ignore[arg-type]
    return min(runs, key=lambda r: r[1])


def corpus(base: str, size: int, seed: int, passthrough: bool) -> tuple[str, list[str]]:
    """The generated corpus directory for this size (reused when already there)."""
    root = os.path.join(base, f"{'passthrough' if passthrough else 'kruise'}-{size}-seed{seed}")
    manifests = os.path.join(root, "manifests")
    stamp = os.path.join(root, ".complete")
    if not os.path.exists(stamp):
        shutil.rmtree(root, ignore_errors=True)
        files = corpus_gen.generate(manifests, size, seed, passthrough)
        rel = [os.path.relpath(f, root) for f in files]
        with open(os.path.join(root, "kustomization.yaml"), "w", encoding="utf-8") as handle:
            handle.write("resources:\n" + "".join(f"  - {r}\n" for r in rel))
        open(stamp, "w").close()
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(manifests) for f in fs if f.endswith(".yaml")
    )
    return root, files


def measure_size(size: int, args: argparse.Namespace) -> dict[str, object]:
    root, files = corpus(args.corpus_dir, size, args.seed, args.passthrough)
    manifests = os.path.join(root, "manifests")
    input_bytes = sum(os.path.getsize(f) for f in files)
    lines = 0
    for f in files:
        with open(f, "rb") as handle:
            lines += handle.read().count(b"\n")
    py = sys.executable
    rows: list[Measure] = []
    skipped: list[str] = []

    wall, cpu, rss, out, _ = best([py, "-c", _PARSE, *files], args.repeat)
    docs = int(out.strip())
    rows.append(Measure("libyaml parse (CSafeLoader load_all)", docs, wall, cpu, rss))

    output = os.path.join(root, "rendered.yaml")
    wall, cpu, rss, _, err = best([py, "-m", "kruise_render", "render", "-q", manifests], args.repeat, stdout=output)
    rows.append(Measure("kruise-render render", docs, wall, cpu, rss, f"out {os.path.getsize(output) / 1e6:.1f} MB"))

    if not args.no_edit:
        edited = os.path.join(root, "rendered-edit.yaml")
        wall, cpu, rss, _, err = best([py, os.path.join(HERE, "edit_driver.py"), manifests], args.repeat, stdout=edited)
        info = json.loads(err.strip().splitlines()[-1])
        rows.append(Measure(
            "render + forced edits (edit.rewrite)", docs, wall, cpu, rss,
            f"{info['edited']} docs edited, writer {info['write_s']:.2f} s "
            f"({info['edited'] / max(info['write_s'], 1e-9):,.0f} edited docs/s), {info['fallbacks']} fallbacks",
        ))

    if not args.no_ruamel:
        subset, _ = _prefix(files, args.ruamel_max)
        wall, cpu, rss, out, _ = best([py, "-c", _RUAMEL, *subset], 1)
        n = int(out.strip())
        note = "" if n >= docs else f"measured on first {n} docs, times scaled x{docs / n:.1f}"
        scale = docs / n
        rows.append(Measure("ruamel round-trip load+dump", docs, wall * scale, cpu * scale, rss, note))
    else:
        skipped.append("ruamel: --no-ruamel")

    if not args.no_diff:
        rows.extend(measure_diff(root, rows[1], docs, args.repeat))
    else:
        skipped.append("diff: --no-diff")

    if args.no_kustomize:
        skipped.append("kubectl kustomize: --no-kustomize")
    elif size > args.kustomize_max:
        skipped.append(f"kubectl kustomize: corpus larger than --kustomize-max {args.kustomize_max} (it grows ~n^2.3)")
    elif shutil.which("kubectl") is None:
        skipped.append("kubectl kustomize: kubectl not found on PATH")
    else:
        wall, cpu, rss, _, _ = best(["kubectl", "kustomize", root], 1, stdout=os.path.join(root, "kustomized.yaml"))
        rows.append(Measure("kubectl kustomize", docs, wall, cpu, rss))

    return {"size": size, "docs": docs, "bytes": input_bytes, "lines": lines, "files": len(files),
            "rows": rows, "skipped": skipped}


def head_corpus(root: str) -> str:
    """The corpus with SidecarSet log-agent's image bumped: the pull request `diff` measures."""
    head = os.path.join(root, "head-manifests")
    if not os.path.isdir(head):
        shutil.copytree(os.path.join(root, "manifests"), head + ".tmp")
        old = "registry.example.com/infra/log-agent:2.1"
        for folder, _, names in os.walk(head + ".tmp"):
            for name in names:
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
                if old in text:
                    with open(path, "w", encoding="utf-8") as handle:
                        handle.write(text.replace(old, old[:-1] + "2"))
        os.rename(head + ".tmp", head)
    return head


def measure_diff(root: str, base_render: Measure, docs: int, repeat: int) -> list[Measure]:
    """Render of the head corpus, then the diff; the diff's note compares it with both renders."""
    py = sys.executable
    head = head_corpus(root)
    out = os.path.join(root, "head-rendered.yaml")
    wall, cpu, rss, _, _ = best([py, "-m", "kruise_render", "render", "-q", head], repeat, stdout=out)
    head_render = Measure("kruise-render render (head corpus)", docs, wall, cpu, rss)
    report_path = os.path.join(root, "diff.txt")
    argv = [py, "-m", "kruise_render", "diff", "-q", "--no-color", "--base-dir", "manifests", "--head-dir", "head-manifests", "."]
    wall, cpu, rss, _, _ = best(argv, repeat, cwd=root, stdout=report_path, ok=(0, 1))
    with open(report_path, encoding="utf-8") as handle:
        summary = [line for line in handle.read().splitlines() if " changed, " in line][-1:]
    two_wall, two_cpu = base_render.wall + head_render.wall, base_render.cpu + head_render.cpu
    note = (f"{wall / two_wall:.2f}x two renders wall, {cpu / two_cpu:.2f}x cpu (target < 2x); "
            + (summary[0] if summary else "no differences"))
    return [head_render, Measure("diff base vs head (SidecarSet bump)", docs * 2, wall, cpu, rss, note)]


def _prefix(files: list[str], limit: int) -> tuple[list[str], int]:
    chosen = files[: max(1, limit // corpus_gen.DOCS_PER_FILE)]
    return chosen, len(chosen)


def report(result: dict[str, object]) -> str:
    rows: list[Measure] = result["rows"]  # type: ignore[assignment]
    base = rows[0]
    mb = int(result["bytes"]) / 1e6  # type: ignore[arg-type]
    lines = [
        f"== {result['docs']:,} documents, {mb:.2f} MB, {result['lines']:,} lines, {result['files']} files",
        f"{'':40} {'wall s':>8} {'cpu s':>8} {'docs/s':>8} {'x parse':>8} {'x p cpu':>8} {'RSS MB':>8}",
    ]
    for row in rows:
        lines.append(
            f"{row.name:40} {row.wall:8.2f} {row.cpu:8.2f} {row.docs / row.wall:8,.0f} "
            f"{row.wall / base.wall:8.2f} {row.cpu / base.cpu:8.2f} {row.rss_mb:8.0f}"
            + (f"  {row.note}" if row.note else "")
        )
    for reason in result["skipped"]:  # type: ignore[attr-defined]
        lines.append(f"skipped {reason}")
    for row in (r for r in rows if r.name.startswith(("kruise-render", "render +"))):
        limit = 3 * mb + 100
        lines.append(
            f"target {row.name}: time <= 3x parse: {row.wall / base.wall:.2f}x wall, {row.cpu / base.cpu:.2f}x cpu; "
            f"peak RSS {row.rss_mb:.0f} MB <= 3 x input + 100 = {limit:.0f} MB: {'ok' if row.rss_mb <= limit else 'MISSED'}"
        )
    return "\n".join(lines)


def scaling(results: list[dict[str, object]]) -> list[str]:
    by_size = {r["size"]: r for r in results}
    out = []
    for small, large in ((10_000, 50_000), (1_000, 10_000)):
        if small in by_size and large in by_size:
            for index in (0, 1, 2):
                a = by_size[small]["rows"]  # type: ignore[index]
                b = by_size[large]["rows"]  # type: ignore[index]
                if index < len(a) and index < len(b):
                    out.append(
                        f"scaling {b[index].name} {large:,}/{small:,}: {b[index].wall / a[index].wall:.2f}x wall, "
                        f"{b[index].cpu / a[index].cpu:.2f}x cpu (linear = {large / small:.1f}; target <= 5.5 for 50k/10k)"
                    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (documents)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--passthrough", action="store_true", help="no Kruise objects (issue 2's passthrough number)")
    parser.add_argument("--corpus-dir", default=os.path.join(HERE, "corpus"), help="where corpora are generated (kept)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the lowest CPU time counts")
    parser.add_argument("--ruamel-max", type=int, default=10_000, help="largest prefix the ruamel row parses")
    parser.add_argument("--kustomize-max", type=int, default=1_000)
    parser.add_argument("--no-ruamel", action="store_true")
    parser.add_argument("--no-kustomize", action="store_true")
    parser.add_argument("--no-edit", action="store_true", help="skip the forced-edit row")
    parser.add_argument("--no-diff", action="store_true", help="skip the diff rows")
    args = parser.parse_args(argv)
    results = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        result = measure_size(size, args)
        results.append(result)
        print(report(result), flush=True)
    for line in scaling(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
