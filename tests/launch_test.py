"""The command line's fast path (launch.py): `render PATH...` runs without click, and must do
exactly what the click parser would have done with the same arguments."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kruise_render import launch, optionargs
from kruise_render.options import DIFF, EXPLAIN, RENDER, VALIDATE, Options, defaults
from tests.conftest import FIXTURES, ROOT

DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize("command", [RENDER, VALIDATE, EXPLAIN, DIFF, None])
def test_defaults_are_what_the_click_parser_gives(command: str | None) -> None:
    @click.command("probe")
    @optionargs.render_options(command)
    def probe(options: Options) -> Options:
        return options

    assert probe.main(args=[], standalone_mode=False) == defaults(command)


@pytest.mark.parametrize(("args", "plain"), [
    (["render", "a.yaml"], True),
    (["render", "-"], True),
    (["render", "a", "b/", "-"], True),
    (["render"], False),  # stdin: the parser refuses a terminal
    (["render", "-q", "a"], False),
    (["render", "a", "--strict"], False),
    (["render", "--", "a"], False),
    (["render", "-o", "out", "a"], False),
    (["render", "--help"], False),
    (["validate", "a"], False),
    (["version"], False),
    ([], False),
])
def test_plain_render(args: list[str], plain: bool) -> None:
    assert launch.plain_render(args) is plain


def _run(entry: str, args: list[str], stdin: bytes = b"", cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    code = f"import sys\nfrom {entry} import main\nsys.exit(main(sys.argv[1:]))\n"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, env=env, cwd=cwd,
                          timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("args", [
    [str(FIXTURES / "quickstart" / "input")],
    [str(DATA / "varied.yaml"), str(DATA / "crlf.yaml")],
    ["-"],
    ["no-such-file.yaml"],
    [str(FIXTURES / "invalid")],
    [str(FIXTURES / "sidecarset")],
])
def test_the_fast_path_answers_as_the_click_parser(args: list[str]) -> None:
    stdin = (DATA / "varied.yaml").read_bytes()
    fast = _run("kruise_render.launch", ["render", *args], stdin)
    slow = _run("kruise_render.cli", ["render", *args], stdin)
    assert fast == slow
    assert fast[0] in (0, 1)


def test_an_internal_error_on_the_fast_path_is_one_line_and_exit_3(tmp_path: Path) -> None:
    code = ("import sys\nfrom kruise_render import pipeline\n"
            "pipeline.STAGES = ((\"broken\", lambda docs, ctx: 1 / 0),)\n"
            "from kruise_render.launch import main\nsys.exit(main(sys.argv[1:]))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code, "render", str(DATA / "varied.yaml")], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr == "kruise-render: internal error (a bug, please report it): ZeroDivisionError: division by zero\n"
