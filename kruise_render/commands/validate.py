"""`kruise-render validate`: check the inputs only (the pre-commit hook's command).

With --validate-output it also renders, without writing anything, and checks every object the
render would emit against Kubernetes' schemas: both sides in one command.
"""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render import Options, api
from kruise_render.commands.output import print_problems


def run(paths: Sequence[str], options: Options, quiet: bool = False) -> int:
    result = api.validate_paths(paths, options)
    print_problems(result.problems, quiet)
    return 0 if result.ok else 1
