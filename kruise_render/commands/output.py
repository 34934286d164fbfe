"""Everything the commands print: problems and notes one line each on stderr; stdout carries
only what the command produces (manifests, a ResourceList, a diff, an explanation)."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import BinaryIO

import click

from kruise_render import Problem, Severity

_CHUNK = 1 << 20


def print_problems(problems: Iterable[Problem], quiet: bool = False) -> None:
    for problem in problems:
        if quiet and problem.severity is not Severity.ERROR:
            continue
        click.echo(problem.format(), err=True)


def print_notes(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line, err=True)


def print_text(text: str, color: bool | None = None) -> None:
    """`text` on stdout as is; ANSI colours kept only with `color` (None: when stdout is a terminal)."""
    click.echo(text, nl=False, color=color)


def wants_color(no_color: bool) -> bool:
    """Colours unless --no-color or NO_COLOR (no-color.org), and only on a terminal."""
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def write_output(text: str | Iterable[str], out: BinaryIO | None = None) -> None:
    """`text` (or its parts, in order) on stdout (or `out`) as UTF-8, in pieces: never a second,
    encoded copy of it all, nor of all the parts joined."""
    stream = sys.stdout.buffer if out is None else out
    for part in [text] if isinstance(text, str) else text:
        for start in range(0, len(part), _CHUNK):
            stream.write(part[start:start + _CHUNK].encode("utf-8"))
    stream.flush()
