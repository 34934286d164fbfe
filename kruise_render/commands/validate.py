"""`kruise-render validate`: check the inputs only (the pre-commit hook's command).

With --validate-output it also renders, without writing anything, and checks every object the
render would emit against Kubernetes' schemas: both sides in one command. With
--skip-non-kubernetes (the hook) documents that are no manifest at all are passed over, with one
note per run.
"""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render import Options, api
from kruise_render.commands.output import print_problems


def run(paths: Sequence[str], options: Options, quiet: bool = False, diagnostics: str = "text",
        skip_foreign: bool = False) -> int:
    result = api.validate_paths(paths, options, skip_foreign=skip_foreign)
    print_problems(result.problems, quiet, diagnostics)
    return 0 if result.ok else 1
