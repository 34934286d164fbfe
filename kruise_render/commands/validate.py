"""`kruise-render validate`: check the inputs only (the pre-commit hook's command).

With --validate-output it also renders, without writing anything, and checks every object the
render would emit against Kubernetes' schemas: both sides in one command.
"""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render import api
from kruise_render.commands.output import print_problems
from kruise_render.options import Options


def run(paths: Sequence[str], options: Options, quiet: bool = False) -> int:
    sources, problems = api.read(paths, options)
    if options.validate_output:
        found = api.render(sources, options).problems
    else:
        found = api.validate(sources, options)
    diagnostics = list(problems) + found
    print_problems(diagnostics, quiet)
    return 1 if api.has_errors(diagnostics) else 0
