"""`kruise-render render`: read, render, then write everything or nothing."""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render import Options, api
from kruise_render.commands.output import print_notes, print_problems, write_output


def run(
    paths: Sequence[str],
    options: Options,
    output_dir: str | None = None,
    fmt: str = "yaml",
    report: bool = False,
    quiet: bool = False,
) -> int:
    result = api.render_paths(paths, options)
    print_problems(result.problems, quiet)
    if report:
        print_notes(api.account(result))
    if not result.ok:
        return 1
    if output_dir is not None:
        result.write_dir(output_dir, fmt, protect=[p for p in paths if p != "-"])
    else:
        write_output(result.json() if fmt == "json" else result.stream())
    return 0
