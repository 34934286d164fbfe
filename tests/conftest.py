from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# ../shared next to the checkout; KRUISE_RENDER_SHARED points elsewhere (e.g. from a git worktree).
SHARED = Path(os.environ.get("KRUISE_RENDER_SHARED") or ROOT.parent / "shared")


def case_args(case: Path) -> list[str]:
    """A golden case's `args` file: extra CLI arguments, one per line (blank and `#` lines skipped)."""
    args_file = case / "args"
    if not args_file.exists():
        return []
    return [line.strip() for line in args_file.read_text().splitlines() if line.strip() and not line.startswith("#")]


class Run:
    def __init__(self, proc: subprocess.CompletedProcess[bytes]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")
        self.stdout_bytes = proc.stdout


def run_cli(*args: str, stdin: bytes | str | None = None, cwd: str | Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """Run the real command line in a subprocess, as a user would."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    full_env = dict(os.environ)
    full_env.setdefault("PYTHONHASHSEED", "random")
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "kruise_render", *args],
        input=data if data is not None else b"",
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )
    return Run(proc)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"compares with OpenKruise's own CRDs and samples, which are not in this repository; "
                    f"to run it, point KRUISE_RENDER_SHARED at a folder with kruise-crds/ and kruise-samples/ "
                    f"(looked in {SHARED})")
    return SHARED


@pytest.fixture
def deep_tree():
    """`make(top, depth, name, text)`: `top/d/d/…/d/name` (depth levels of `d`), made and removed
    one level at a time: os.makedirs and shutil.rmtree (pytest's own clean-up) recurse, and die
    on a tree 1,200 levels deep."""
    made: list[tuple[Path, int, str]] = []

    def make(top: Path, depth: int, name: str, text: str) -> Path:
        here = os.getcwd()
        top.mkdir(parents=True, exist_ok=True)
        os.chdir(top)
        try:
            for _ in range(depth):
                os.mkdir("d")
                os.chdir("d")
            with open(name, "w") as handle:
                handle.write(text)
        finally:
            os.chdir(here)
        made.append((top, depth, name))
        return top

    yield make
    here = os.getcwd()
    try:
        for top, depth, name in made:
            os.chdir(top)
            for _ in range(depth):
                os.chdir("d")
            os.remove(name)
            for _ in range(depth):
                os.chdir("..")
                os.rmdir("d")
    finally:
        os.chdir(here)


def kruise_crds(shared: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> openAPIV3Schema, for every served version of every Kruise v1.9.0 CRD
    under `shared` (openkruise/kruise@v1.9.0:config/crd/bases)."""
    found = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted((shared / "kruise-crds" / "v1.9.0").glob("*.yaml")):
        crd = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            found[(f"{group}/{version['name']}", kind)] = version["schema"]["openAPIV3Schema"]
    return found
