"""`kruise-render render`: read, render, then write everything or nothing."""
from __future__ import annotations

from collections.abc import Sequence

import click

from kruise_render import api, fdio
from kruise_render.commands.output import print_problems
from kruise_render.options import Options
from kruise_render.yaml import writer


def run(
    paths: Sequence[str],
    options: Options,
    output_dir: str | None = None,
    fmt: str = "yaml",
    report: bool = False,
    quiet: bool = False,
) -> int:
    sources, problems = api.read(paths, options)
    result = api.render(sources, options)
    del sources  # the documents keep their own text; the whole input need not stay (peak memory)
    result.problems[:0] = problems
    print_problems(result.problems, quiet)
    if report:
        for line in api.account(result):
            click.echo(line, err=True)
    if not result.ok or problems:
        return 1
    if output_dir is not None:
        writer.write_dir(output_dir, result.files(fmt), protect=[p for p in paths if p != "-"])
        return 0
    fdio.write_stdout(result.json() if fmt == "json" else result.stream())
    return 0
