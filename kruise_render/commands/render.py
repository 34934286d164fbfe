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
    diagnostics: str = "text",
) -> int:
    result = api.render_paths(paths, options)
    print_problems(result.problems, quiet, diagnostics)
    if report:
        print_notes(api.account(result))
    if not result.ok:
        return 1
    if output_dir is not None:
        written = result.write_dir(output_dir, fmt, protect=[p for p in paths if p != "-"])
        if not quiet and diagnostics == "text":
            print_notes([f"wrote {written} file{'' if written == 1 else 's'} to {output_dir.rstrip('/')}/"])
    else:
        write_output(result.json() if fmt == "json" else result.stream_parts())
    return 0
