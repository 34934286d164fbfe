"""Printing diagnostics: one line each on stderr; stdout carries only manifests."""
from __future__ import annotations

from collections.abc import Iterable

import click

from kruise_render.diagnostics import Problem, Severity


def print_problems(diagnostics: Iterable[Problem], quiet: bool = False) -> None:
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        click.echo(diagnostic.format(), err=True)
