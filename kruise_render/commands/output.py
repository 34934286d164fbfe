"""Everything the commands print: problems and notes one line each on stderr; stdout carries
only what the command produces (manifests, a ResourceList, a diff, an explanation)."""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from typing import BinaryIO

from kruise_render import Problem, Severity, one_line

_BATCH = 1 << 20  # characters of output joined before one write


def print_problems(problems: Iterable[Problem], quiet: bool = False, fmt: str = "text") -> None:
    """Problems on stderr in `fmt` (commands/diagnostics.py): one line each, or for `sarif` one
    log of them all (so a command calls it once); `quiet` leaves out all but errors."""
    shown = [problem for problem in problems if not quiet or problem.severity is Severity.ERROR]
    if not shown and fmt != "sarif":
        return  # nothing to print: click is not even loaded (a clean render's start-up)
    import click

    if fmt == "text":
        for problem in shown:
            click.echo(problem.format(), err=True)
        return
    from kruise_render.commands import diagnostics

    if fmt == "sarif":
        click.echo(json.dumps(diagnostics.sarif_log(shown), indent=2, ensure_ascii=True), err=True)  # as json_line
        return
    line = {"json": diagnostics.json_line, "github": diagnostics.github_line}[fmt]
    for problem in shown:
        click.echo(line(problem), err=True)


def print_notes(lines: Iterable[str]) -> None:
    import click

    for line in lines:
        click.echo(one_line(line), err=True)  # paths and names in notes come from the input


def print_text(text: str, color: bool | None = None) -> None:
    """`text` on stdout as is; ANSI colours kept only with `color` (None: when stdout is a terminal)."""
    import click

    click.echo(text, nl=False, color=color)


def wants_color(no_color: bool) -> bool:
    """Colours unless --no-color or NO_COLOR (no-color.org), and only on a terminal."""
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def write_output(text: str | Iterable[str], out: BinaryIO | None = None) -> None:
    """`text` on stdout (or `out`) as UTF-8, whole or an OutputError (exit 1, one line). Given in
    parts (Result.stream_parts), it is written in turn, about a megabyte at a time: never the
    whole output in memory at once."""
    from kruise_render import api  # not at start-up: `version` prints without loading the render

    if isinstance(text, str):
        api.write_output(text, out)
        return
    batch: list[str] = []
    size = 0
    for part in text:
        batch.append(part)
        size += len(part)
        if size >= _BATCH:
            api.write_output("".join(batch), out)
            batch, size = [], 0
    if batch:
        api.write_output("".join(batch), out)


def read_input(stream: BinaryIO) -> bytearray:
    """A whole input stream (stdin), never more than the default --max-total-size + 1 bytes."""
    from kruise_render import api

    return api.read_input(stream)
