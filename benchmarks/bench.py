"""kruise-render's speed and memory next to a bare libyaml parse and kubectl kustomize, with
every target of docs/performance.md checked side by side in one run.

    python benchmarks/bench.py                      # every target: start-up, 5,000, 10,000, 50,000
    python benchmarks/bench.py --sizes 1000,10000   # chosen sizes only (targets of those sizes)
    python benchmarks/bench.py --passthrough --sizes 10000 --no-edit   # no Kruise objects at all
    python benchmarks/bench.py --sizes 20 --corpus-dir /tmp/c          # smoke run

Every measurement runs in its own child process over the same generated files, so peak RSS is
that child's own (`os.wait4` rusage). kruise-render runs as an installed console script would:
from bytecode (compiled first), in a bare virtual environment that sees this checkout and the
current interpreter's packages (no editable-install hook, no `python -m`). The machine may be
shared, so what is compared runs in pairs, A B A B ..., and each ratio is the median of the
pair ratios (`--repeat` pairs); the load average is printed at the start and the end.

Rows:
- start-up: the quickstart render (`fixtures/quickstart/input`) against `kubectl kustomize
  kustomize-plugin/example/app` (wall time, `--startup-runs` pairs), and `kruise-render version`;
- libyaml parse: PyYAML CSafeLoader `load_all` of every file (the floor: reading at C speed);
- render: the real CLI, `kruise-render render -q DIR`;
- render (mostly-native corpus): the same corpus without SidecarSets, so 95 % of the documents
  need no stage, against its own parse (the "below the parse" aim; `--no-native` skips it);
- render+edit: the same pipeline with half of the workloads edited the way SidecarSet
  injection edits them (a pod annotation, a container, a volume), so the edit path's cost shows
  even when no stage changes anything;
- ruamel rt: ruamel.yaml round-trip load+dump (preserve_quotes), on at most `--ruamel-max`
  documents (it runs at ~100 docs/s; larger corpora are measured on a prefix and say so);
- kubectl kustomize: over a kustomization listing the same files (only up to `--kustomize-max`);
- diff: `kruise-render diff --base-dir` between the corpus and a copy whose SidecarSet log-agent
  has a new image (a pull request that rolls a sixth of the workloads), against the cost of
  rendering both corpora (the render row plus a render of the copy); the target is < 2x.
The edit, ruamel, kustomize and diff rows run for sizes up to `--extra-max` only.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
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

# What pip writes for a console script (pip/_internal/operations/install/wheel.py), entry point
# from pyproject.toml.
_SCRIPT = """# -*- coding: utf-8 -*-
import re
import sys
from {module} import {function}
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit({function}())
"""

# Targets (issue "Speed, round two"; docs/performance.md).
STARTUP_X_KUSTOMIZE = 1.5
VERSION_S = 0.12
X_PARSE = {5_000: 2.0, 10_000: 1.8}
SCALING_50K_10K = 5.5


@dataclasses.dataclass
class Measure:
    name: str
    docs: int
    wall: float
    cpu: float
    rss_mb: float
    note: str = ""
    x_wall: float | None = None  # median pair ratio against the parse row, when run in pairs
    x_cpu: float | None = None


@dataclasses.dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    tail: str
    errors: str


def run_child(argv: Sequence[str], cwd: str | None = None, stdout: str | None = None,
              ok: tuple[int, ...] = (0,)) -> Run:
    """Run one child; its wall and CPU seconds and peak RSS from its own rusage."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up is measured from bytecode
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
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tail, errors)


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.rss_mb for r in runs), runs[-1].tail, runs[-1].errors)


def paired(a: Sequence[str], b: Sequence[str], repeat: int, warmup: int = 0, a_kw: dict | None = None,
           b_kw: dict | None = None) -> tuple[Run, Run, float, float]:
    """A and B in turn, `repeat` times after `warmup` unmeasured pairs: (median A, median B,
    median of the A/B wall ratios, median of the A/B CPU ratios)."""
    for _ in range(warmup):
        run_child(a, **(a_kw or {}))
        run_child(b, **(b_kw or {}))
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(run_child(a, **(a_kw or {})))
        runs_b.append(run_child(b, **(b_kw or {})))
    x_wall = statistics.median(x.wall / y.wall for x, y in zip(runs_a, runs_b, strict=True))
    x_cpu = statistics.median(x.cpu / y.cpu for x, y in zip(runs_a, runs_b, strict=True))
    return median_run(runs_a), median_run(runs_b), x_wall, x_cpu


def runs(argv: Sequence[str], repeat: int, **kw: object) -> Run:
    return median_run([run_child(argv, **kw) for _ in range(repeat)])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# kruise-render as installed


def _entry_point() -> tuple[str, str]:
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as handle:
        found = re.search(r'^kruise-render\s*=\s*"([\w.]+):(\w+)"', handle.read(), re.M)
    return (found.group(1), found.group(2)) if found else ("kruise_render.cli", "main")


def launcher(base: str) -> list[str]:
    """argv that starts kruise-render as a console script of an installed wheel would: a bare
    venv whose .pth names this checkout and the running interpreter's site-packages (their own
    .pth hooks, such as an editable install's, are not run), with bytecode compiled."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(ROOT, "kruise_render")],
                   check=True, stdout=subprocess.DEVNULL, env={k: v for k, v in os.environ.items()
                                                              if k != "PYTHONDONTWRITEBYTECODE"})
    venv = os.path.join(base, ".launcher")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    paths = [ROOT, *dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])]
    with open(os.path.join(purelib, "kruise-render-bench.pth"), "w", encoding="utf-8") as handle:
        handle.write("".join(f"{path}\n" for path in paths))
    module, function = _entry_point()
    script = os.path.join(venv, "bin", "kruise-render")
    with open(script, "w", encoding="utf-8") as handle:
        handle.write(f"#!{python}\n" + _SCRIPT.format(module=module, function=function))
    os.chmod(script, 0o755)
    return [script]


# ---------------------------------------------------------------------------------------------
# corpora


def corpus(base: str, size: int, seed: int, passthrough: bool, native: bool = False) -> tuple[str, list[str]]:
    """The generated corpus directory for this size (reused when already there)."""
    flavour = "passthrough" if passthrough else "native" if native else "kruise"
    root = os.path.join(base, f"{flavour}-{size}-seed{seed}")
    manifests = os.path.join(root, "manifests")
    stamp = os.path.join(root, ".complete")
    if not os.path.exists(stamp):
        shutil.rmtree(root, ignore_errors=True)
        files = corpus_gen.generate(manifests, size, seed, passthrough, native)
        rel = [os.path.relpath(f, root) for f in files]
        with open(os.path.join(root, "kustomization.yaml"), "w", encoding="utf-8") as handle:
            handle.write("resources:\n" + "".join(f"  - {r}\n" for r in rel))
        open(stamp, "w").close()
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(manifests) for f in fs if f.endswith(".yaml")
    )
    return root, files


# ---------------------------------------------------------------------------------------------
# measurements


def measure_startup(args: argparse.Namespace, kr: list[str]) -> dict[str, object]:
    quickstart = os.path.join(ROOT, "fixtures", "quickstart", "input")
    app = os.path.join(ROOT, "kustomize-plugin", "example", "app")
    result: dict[str, object] = {"runs": args.startup_runs}
    version = runs([*kr, "version"], args.startup_runs)
    result["version"] = version
    if shutil.which("kubectl") is None:
        result["skipped"] = "kubectl kustomize: kubectl not found on PATH"
        result["render"] = runs([*kr, "render", quickstart], args.startup_runs)
        return result
    render, kustomize, x_wall, x_cpu = paired([*kr, "render", quickstart], ["kubectl", "kustomize", app],
                                              args.startup_runs, warmup=1)
    result.update(render=render, kustomize=kustomize, x_wall=x_wall, x_cpu=x_cpu)
    return result


def report_startup(result: dict[str, object]) -> list[str]:
    version: Run = result["version"]  # type: ignore[assignment]
    render: Run = result["render"]  # type: ignore[assignment]
    lines = [f"== start-up ({result['runs']} runs each, medians; kustomize and render in pairs)",
             f"{'':40} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8}",
             f"{'kruise-render version':40} {version.wall:8.3f} {version.cpu:8.3f} {version.rss_mb:8.0f}",
             f"{'kruise-render render quickstart':40} {render.wall:8.3f} {render.cpu:8.3f} {render.rss_mb:8.0f}"]
    if "kustomize" in result:
        kustomize: Run = result["kustomize"]  # type: ignore[assignment]
        lines.append(f"{'kubectl kustomize example/app':40} {kustomize.wall:8.3f} {kustomize.cpu:8.3f} "
                     f"{kustomize.rss_mb:8.0f}")
    else:
        lines.append(f"skipped {result['skipped']}")
    return lines


def startup_targets(result: dict[str, object]) -> list[str]:
    version: Run = result["version"]  # type: ignore[assignment]
    lines = [_target("start-up: kruise-render version", f"{version.wall:.3f} s wall", version.wall <= VERSION_S,
                     f"<= {VERSION_S} s")]
    if "x_wall" in result:
        x_wall: float = result["x_wall"]  # type: ignore[assignment]
        x_cpu: float = result["x_cpu"]  # type: ignore[assignment]
        lines.append(_target("start-up: quickstart render / kubectl kustomize example/app",
                             f"{x_wall:.2f}x wall ({x_cpu:.2f}x cpu)", x_wall <= STARTUP_X_KUSTOMIZE,
                             f"<= {STARTUP_X_KUSTOMIZE}x wall"))
    return lines


def measure_size(size: int, args: argparse.Namespace, kr: list[str], native: bool = False) -> dict[str, object]:
    root, files = corpus(args.corpus_dir, size, args.seed, args.passthrough, native)
    manifests = os.path.join(root, "manifests")
    input_bytes = sum(os.path.getsize(f) for f in files)
    lines = 0
    for f in files:
        with open(f, "rb") as handle:
            lines += handle.read().count(b"\n")
    py = sys.executable
    rows: list[Measure] = []
    skipped: list[str] = []
    extra = size <= args.extra_max and not native

    output = os.path.join(root, "rendered.yaml")
    render, parse, x_wall, x_cpu = paired([*kr, "render", "-q", manifests], [py, "-c", _PARSE, *files], args.repeat,
                                          a_kw={"stdout": output})
    docs = int(parse.tail.strip())
    rows.append(Measure("libyaml parse (CSafeLoader load_all)", docs, parse.wall, parse.cpu, parse.rss_mb))
    name = "kruise-render render" + (" (mostly-native)" if native else "")
    rows.append(Measure(name, docs, render.wall, render.cpu, render.rss_mb,
                        f"out {os.path.getsize(output) / 1e6:.1f} MB", x_wall, x_cpu))

    if extra and not args.no_edit:
        edited = os.path.join(root, "rendered-edit.yaml")
        run = runs([py, os.path.join(HERE, "edit_driver.py"), manifests], 1, stdout=edited)
        info = json.loads(run.errors.strip().splitlines()[-1])
        rows.append(Measure(
            "render + forced edits (edit.rewrite)", docs, run.wall, run.cpu, run.rss_mb,
            f"{info['edited']} docs edited, writer {info['write_s']:.2f} s "
            f"({info['edited'] / max(info['write_s'], 1e-9):,.0f} edited docs/s), {info['fallbacks']} fallbacks",
        ))

    if extra and not args.no_ruamel:
        subset, _ = _prefix(files, args.ruamel_max)
        run = runs([py, "-c", _RUAMEL, *subset], 1)
        n = int(run.tail.strip())
        note = "" if n >= docs else f"measured on first {n} docs, times scaled x{docs / n:.1f}"
        scale = docs / n
        rows.append(Measure("ruamel round-trip load+dump", docs, run.wall * scale, run.cpu * scale, run.rss_mb, note))
    elif extra:
        skipped.append("ruamel: --no-ruamel")

    if extra and not args.no_diff:
        rows.extend(measure_diff(root, rows[1], docs, kr))
    elif extra:
        skipped.append("diff: --no-diff")

    if not extra:
        pass
    elif args.no_kustomize:
        skipped.append("kubectl kustomize: --no-kustomize")
    elif size > args.kustomize_max:
        skipped.append(f"kubectl kustomize: corpus larger than --kustomize-max {args.kustomize_max} (it grows ~n^2.3)")
    elif shutil.which("kubectl") is None:
        skipped.append("kubectl kustomize: kubectl not found on PATH")
    else:
        run = runs(["kubectl", "kustomize", root], 1, stdout=os.path.join(root, "kustomized.yaml"))
        rows.append(Measure("kubectl kustomize", docs, run.wall, run.cpu, run.rss_mb))

    return {"size": size, "docs": docs, "bytes": input_bytes, "lines": lines, "files": len(files),
            "rows": rows, "skipped": skipped, "native": native, "passthrough": args.passthrough}


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


def measure_diff(root: str, base_render: Measure, docs: int, kr: list[str]) -> list[Measure]:
    """Render of the head corpus, then the diff; the diff's note compares it with both renders."""
    head = head_corpus(root)
    out = os.path.join(root, "head-rendered.yaml")
    run = runs([*kr, "render", "-q", head], 1, stdout=out)
    head_render = Measure("kruise-render render (head corpus)", docs, run.wall, run.cpu, run.rss_mb)
    report_path = os.path.join(root, "diff.txt")
    argv = [*kr, "diff", "-q", "--no-color", "--base-dir", "manifests", "--head-dir", "head-manifests", "."]
    run = runs(argv, 1, cwd=root, stdout=report_path, ok=(0, 1))
    with open(report_path, encoding="utf-8") as handle:
        summary = [line for line in handle.read().splitlines() if " changed, " in line][-1:]
    two_wall, two_cpu = base_render.wall + head_render.wall, base_render.cpu + head_render.cpu
    note = (f"{run.wall / two_wall:.2f}x two renders wall, {run.cpu / two_cpu:.2f}x cpu (target < 2x); "
            + (summary[0] if summary else "no differences"))
    return [head_render, Measure("diff base vs head (SidecarSet bump)", docs * 2, run.wall, run.cpu, run.rss_mb, note)]


def _prefix(files: list[str], limit: int) -> tuple[list[str], int]:
    chosen = files[: max(1, limit // corpus_gen.DOCS_PER_FILE)]
    return chosen, len(chosen)


def report(result: dict[str, object]) -> str:
    rows: list[Measure] = result["rows"]  # type: ignore[assignment]
    base = rows[0]
    mb = int(result["bytes"]) / 1e6  # type: ignore[arg-type]
    flavour = " mostly-native" if result["native"] else " passthrough" if result["passthrough"] else ""
    lines = [
        f"=={flavour} {result['docs']:,} documents, {mb:.2f} MB, {result['lines']:,} lines, {result['files']} files",
        f"{'':40} {'wall s':>8} {'cpu s':>8} {'docs/s':>8} {'x parse':>8} {'x p cpu':>8} {'RSS MB':>8}",
    ]
    for row in rows:
        x_wall = row.x_wall if row.x_wall is not None else row.wall / base.wall
        x_cpu = row.x_cpu if row.x_cpu is not None else row.cpu / base.cpu
        lines.append(
            f"{row.name:40} {row.wall:8.2f} {row.cpu:8.2f} {row.docs / row.wall:8,.0f} "
            f"{x_wall:8.2f} {x_cpu:8.2f} {row.rss_mb:8.0f}"
            + (f"  {row.note}" if row.note else "")
        )
    for reason in result["skipped"]:  # type: ignore[attr-defined]
        lines.append(f"skipped {reason}")
    return "\n".join(lines)


def _target(what: str, measured: str, ok: bool, limit: str) -> str:
    return f"target {what}: {measured} ({limit}): {'ok' if ok else 'MISSED'}"


def size_targets(result: dict[str, object]) -> list[str]:
    """The throughput, memory and below-the-parse targets this corpus answers."""
    rows: list[Measure] = result["rows"]  # type: ignore[assignment]
    render = rows[1]
    size: int = result["size"]  # type: ignore[assignment]
    mb = int(result["bytes"]) / 1e6  # type: ignore[arg-type]
    x_cpu = render.x_cpu if render.x_cpu is not None else render.cpu / rows[0].cpu
    lines = []
    if result["native"]:
        lines.append(_target(f"below the parse: mostly-native {size:,} render / libyaml parse", f"{x_cpu:.2f}x cpu",
                             x_cpu < 1.0, "< 1.0x cpu"))
        return lines
    if result["passthrough"]:
        return lines
    if size in X_PARSE:
        what = f"throughput: {size:,}" + (" mixed (SidecarSets select half the workloads)" if size == 5_000 else "")
        lines.append(_target(f"{what} render / libyaml parse", f"{x_cpu:.2f}x cpu", x_cpu <= X_PARSE[size],
                             f"<= {X_PARSE[size]}x cpu"))
    for at, factor, extra in ((10_000, 2, 60), (50_000, 3, 100)):
        if size == at:
            limit = factor * mb + extra
            lines.append(_target(f"memory: {size:,} peak RSS", f"{render.rss_mb:.0f} MB", render.rss_mb <= limit,
                                 f"<= {factor} x {mb:.2f} MB + {extra} = {limit:.0f} MB"))
    return lines


def scaling(results: list[dict[str, object]]) -> list[str]:
    by_size = {r["size"]: r for r in results if not r["native"]}
    out = []
    if 10_000 in by_size and 50_000 in by_size:
        small: Measure = by_size[10_000]["rows"][1]  # type: ignore[index]
        large: Measure = by_size[50_000]["rows"][1]  # type: ignore[index]
        ratio = large.cpu / small.cpu
        out.append(_target("scaling: render 50,000 / 10,000", f"{ratio:.2f}x cpu ({large.wall / small.wall:.2f}x wall)",
                           ratio <= SCALING_50K_10K, f"<= {SCALING_50K_10K}; linear = 5.0"))
    return out


def _load() -> str:
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,10000,50000", help="comma-separated corpus sizes (documents)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--passthrough", action="store_true", help="no Kruise objects (issue 2's passthrough number)")
    parser.add_argument("--corpus-dir", default=os.path.join(HERE, "corpus"), help="where corpora are generated (kept)")
    parser.add_argument("--repeat", type=int, default=3, help="render/parse pairs per size; medians count")
    parser.add_argument("--startup-runs", type=int, default=15, help="runs of each start-up command")
    parser.add_argument("--extra-max", type=int, default=10_000,
                        help="largest size that also gets the edit, ruamel, kustomize and diff rows")
    parser.add_argument("--ruamel-max", type=int, default=1_000, help="largest prefix the ruamel row parses")
    parser.add_argument("--kustomize-max", type=int, default=1_000)
    parser.add_argument("--no-ruamel", action="store_true")
    parser.add_argument("--no-kustomize", action="store_true")
    parser.add_argument("--no-edit", action="store_true", help="skip the forced-edit row")
    parser.add_argument("--no-diff", action="store_true", help="skip the diff rows")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up rows")
    parser.add_argument("--no-native", action="store_true", help="skip the mostly-native corpus")
    args = parser.parse_args(argv)
    os.makedirs(args.corpus_dir, exist_ok=True)
    print(f"load average at start: {_load()} ({os.cpu_count()} cpus); Python {sys.version.split()[0]}", flush=True)
    kr = launcher(args.corpus_dir)
    targets: list[str] = []
    if not args.no_startup:
        startup = measure_startup(args, kr)
        print("\n".join(report_startup(startup)), flush=True)
        targets.extend(startup_targets(startup))
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    for size in sizes:
        result = measure_size(size, args, kr)
        results.append(result)
        print(report(result), flush=True)
        targets.extend(size_targets(result))
    if not args.no_native and not args.passthrough and sizes:
        native = measure_size(10_000 if 10_000 in sizes else sizes[0], args, kr, native=True)
        print(report(native), flush=True)
        targets.extend(size_targets(native))
    targets.extend(scaling(results))
    print("== targets (docs/performance.md)")
    for line in targets:
        print(line)
    print(f"load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
