"""Run every fuzz target for a bounded time, one after the other, and summarise.

    python fuzz/run.py [--seconds 600] [--work DIR] [TARGET ...]

TARGET is `reader`, `config` (options from configurations, the nodes file), `pipeline` (all
stages) or a stage name from kruise_render.pipeline.STAGES;
default: all of them. Each run is `nice -n 10 python fuzz/<target>.py CORPUS SEEDS
-max_total_time=N`; the corpus, log and any crash input are kept in --work/<target>/.
A crash does not end the run: its input is kept (crash-*), its signature (exception type and
innermost kruise_render frame) is listed in --work/<target>/known and not reported again, and
fuzzing goes on for the time left. Replay one with `python fuzz/<target>.py CRASH_FILE`; copy it
to fuzz/regressions/ (tests/fuzz_regress_test.py replays them all).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fuzz import configs, seeds  # noqa: E402
from kruise_render import pipeline  # noqa: E402

# Developers' read-only reference samples (../shared), used as extra seeds when present.
SHARED_SAMPLES = next(
    (p / "shared" / "kruise-samples" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "kruise-samples",
)
# Targets with a script of their own; every other target is a stage (or `pipeline`) of stage_fuzz.py.
SCRIPTS = {"reader": "reader_fuzz.py", "config": "config_fuzz.py"}
_PROGRESS = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)", re.M)
_SIGNATURE = re.compile(r"^KRUISE_FUZZ_SIGNATURE: (.+)$", re.M)


def write_seeds(directory: Path) -> None:
    """Each seed alone, all of them in one stream, and the fixtures' inputs."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, obj in seeds.SEEDS.items():
        (directory / f"{name}.yaml").write_text(yaml.safe_dump(obj, sort_keys=False))
    everything = yaml.safe_dump_all(list(seeds.SEEDS.values()), sort_keys=False)
    (directory / "all.yaml").write_text(everything)
    for name, data in configs.SEEDS.items():
        (directory / f"{name}.bin").write_bytes(data)
    for path in sorted((ROOT / "fixtures").rglob("*.yaml")):
        if "expected" not in path.name and path.stat().st_size < 64 * 1024:
            (directory / f"fixture-{abs(hash(str(path.relative_to(ROOT)))) % 10**8}.yaml").write_bytes(path.read_bytes())


def command(target: str, corpus: Path, seed_dirs: list[Path], seconds: int, work: Path) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = SCRIPTS.get(target, "stage_fuzz.py")
    if target not in SCRIPTS:
        env["KRUISE_FUZZ_STAGES"] = "all" if target == "pipeline" else target
    args = [
        "nice", "-n", "10", sys.executable, str(ROOT / "fuzz" / script), str(corpus), *map(str, seed_dirs),
        f"-max_total_time={seconds}", "-timeout=20", "-rss_limit_mb=2048", "-max_len=65536",
        f"-artifact_prefix={work}/", "-print_final_stats=1",
    ]
    return args, env


def run_target(target: str, seconds: int, work_root: Path, seed_dirs: list[Path]) -> tuple[int, str]:
    """Fuzz `target` for `seconds` in total. After a crash the input is kept, its signature is
    added to work/known, and fuzzing goes on (from the same corpus) for the time that is left."""
    work = work_root / target
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    known = work / "known"
    known.touch()
    executions, coverage, crashes, segment = 0, "", [], 0
    deadline = time.monotonic() + seconds
    while (left := int(deadline - time.monotonic())) > 5:
        segment += 1
        argv, env = command(target, corpus, seed_dirs, left, work)
        env["KRUISE_FUZZ_KNOWN"] = str(known)
        if segment == 1:
            print(f"== {target}: {' '.join(argv[3:])}", flush=True)
        log_path = work / f"log.{segment}"
        with open(log_path, "w") as log:
            code = subprocess.call(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
        text = log_path.read_text(errors="replace")
        progress = _PROGRESS.findall(text)
        if progress:
            executions += int(progress[-1][0])
            coverage = f"cov {progress[-1][1]}, ft {progress[-1][2]}"
        found = _SIGNATURE.findall(text)
        if code == 0 or not found:
            if code != 0:
                crashes.append(f"exit {code} without a signature (see {log_path})")
            break
        crashes.append(found[-1])
        with open(known, "a") as handle:
            handle.write(found[-1] + "\n")
    summary = f"{seconds} s, {segment} segment(s), executions {executions}, {coverage or 'no coverage line'}"
    return len(crashes), summary + "".join(f"\n   crash: {c}" for c in crashes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "kruise-render-fuzz")
    args = parser.parse_args()
    targets = args.targets or ["reader", "config", "pipeline", *(name for name, _ in pipeline.STAGES if name != "validate")]
    seed_dir = args.work / "seeds"
    write_seeds(seed_dir)
    extra = [d for d in (SHARED_SAMPLES / "v1.9.0", SHARED_SAMPLES / "docs") if d.is_dir()]
    failed = 0
    for target in targets:
        crashes, summary = run_target(target, args.seconds, args.work, [seed_dir, *extra])
        print(f"   {target}: {summary}", flush=True)
        failed += crashes
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
