"""Stand-in tools: `helm` (no helm can be installed where kruise-render is developed) and
`kustomize` (no standalone binary either). Each records every call (arguments, working
directory, environment names) and answers `template`/`build` with a fixed stream, its stderr text
and exit code; other calls (`helm dependency build`) only get recorded."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

SCRIPT = """#!{python}
import json, os, sys
here = {here!r}
with open(os.path.join(here, "calls.jsonl"), "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": sorted(os.environ)}}) + "\\n")
if sys.argv[1:2] in (["template"], ["build"]):
    sys.stderr.write(open(os.path.join(here, "stderr")).read())
    sys.stdout.write(open(os.path.join(here, "stream")).read())
    sys.exit(int(open(os.path.join(here, "exit")).read()))
"""


@dataclasses.dataclass
class StandIn:
    bin_dir: Path

    @property
    def calls(self) -> list[dict[str, Any]]:
        log = self.bin_dir / "calls.jsonl"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def helm(directory: Path, stream: str, exit_code: int = 0, stderr: str = "") -> StandIn:
    """A bin directory holding the stand-in `helm`; put it first on PATH."""
    return tool(directory, "helm", stream, exit_code, stderr)


def tool(directory: Path, name: str, stream: str, exit_code: int = 0, stderr: str = "") -> StandIn:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "stream").write_text(stream)
    (directory / "stderr").write_text(stderr)
    (directory / "exit").write_text(str(exit_code))
    script = directory / name
    script.write_text(SCRIPT.format(python=sys.executable, here=str(directory)))
    script.chmod(0o755)
    return StandIn(directory)
