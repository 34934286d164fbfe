"""`kruise-render validate`: read and validate the inputs only (the pre-commit hook's command)."""
from __future__ import annotations

from typing import Sequence

from kruise_render import api
from kruise_render.commands.output import print_diagnostics
from kruise_render.options import Options


def run(paths: Sequence[str], options: Options, quiet: bool = False) -> int:
    sources, problems = api.read(paths, options)
    diagnostics = list(problems) + api.validate(sources, options)
    print_diagnostics(diagnostics, quiet)
    return 1 if api.has_errors(diagnostics) else 0
