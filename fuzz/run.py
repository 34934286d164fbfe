"""Run every fuzz target for a bounded time, one after the other, and summarise.

    python fuzz/run.py [--seconds 600] [--work DIR] [TARGET ...]

TARGET is `reader`, `pipeline` (all stages) or a stage name from kruise_render.pipeline.STAGES;
default: all of them. Each run is `nice -n 10 python fuzz/<target>.py CORPUS SEEDS
-max_total_time=N`; the corpus, log and any crash input are kept in --work/<target>/.
A crash input replays with `python fuzz/<target>.py CRASH_FILE`; add it to tests/fuzz_regress_test.py.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fuzz import seeds  # noqa: E402
from kruise_render import pipeline  # noqa: E402

# Developers' read-only reference samples (../shared), used as extra seeds when present.
SHARED_SAMPLES = next(
    (p / "shared" / "kruise-samples" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "kruise-samples",
)
_DONE = re.compile(r"^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)", re.M)


def write_seeds(directory: Path) -> None:
    """Each seed alone, all of them in one stream, and the fixtures' inputs."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, obj in seeds.SEEDS.items():
        (directory / f"{name}.yaml").write_text(yaml.safe_dump(obj, sort_keys=False))
    everything = yaml.safe_dump_all(list(seeds.SEEDS.values()), sort_keys=False)
    (directory / "all.yaml").write_text(everything)
    for path in sorted((ROOT / "fixtures").rglob("*.yaml")):
        if "expected" not in path.name and path.stat().st_size < 64 * 1024:
            (directory / f"fixture-{abs(hash(str(path.relative_to(ROOT)))) % 10**8}.yaml").write_bytes(path.read_bytes())


def command(target: str, corpus: Path, seed_dirs: list[Path], seconds: int, work: Path) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = "reader_fuzz.py" if target == "reader" else "stage_fuzz.py"
    if target != "reader":
        env["KRUISE_FUZZ_STAGES"] = "all" if target == "pipeline" else target
    args = [
        "nice", "-n", "10", sys.executable, str(ROOT / "fuzz" / script), str(corpus), *map(str, seed_dirs),
        f"-max_total_time={seconds}", "-timeout=20", "-rss_limit_mb=2048", "-max_len=65536",
        f"-artifact_prefix={work}/", "-print_final_stats=1",
    ]
    return args, env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "kruise-render-fuzz")
    args = parser.parse_args()
    targets = args.targets or ["reader", "pipeline", *(name for name, _ in pipeline.STAGES if name != "validate")]
    seed_dir = args.work / "seeds"
    write_seeds(seed_dir)
    extra = [d for d in (SHARED_SAMPLES / "v1.9.0", SHARED_SAMPLES / "docs") if d.is_dir()]
    failed = 0
    for target in targets:
        work = args.work / target
        corpus = work / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        argv, env = command(target, corpus, [seed_dir, *extra], args.seconds, work)
        print(f"== {target}: {' '.join(argv[3:])}", flush=True)
        with open(work / "log", "w") as log:
            code = subprocess.call(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
        text = (work / "log").read_text(errors="replace")
        done = _DONE.findall(text)
        summary = f"executions {done[-1][0]}, cov {done[-1][1]}, ft {done[-1][2]}" if done else "no DONE line"
        print(f"   exit {code}; {summary}; log {work / 'log'}", flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
