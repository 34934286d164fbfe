"""The command line's entry point (`kruise-render`, `python -m kruise_render`).

`kruise-render render PATH...` with no option is what the kustomize plugin scripts, pre-commit
hooks and most pipelines run, once per application and build, so its start-up counts: it runs
here without click, whose import and command tree cost about a third of a small render
(docs/performance.md, "Start-up"). Everything else (any option, help, the other commands) goes
to cli.py's click parser. Both ways give the same Options (options.defaults, checked against
the parser in tests/launch_test.py) and end through exits.guarded.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from kruise_render import exits


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if plain_render(args):
        return exits.guarded(lambda: _render(args[1:]))
    from kruise_render import cli

    return cli.main(args)


def plain_render(args: Sequence[str]) -> bool:
    """`render` and at least one PATH (a file, a directory or `-`), nothing that could be an option."""
    return len(args) >= 2 and args[0] == "render" and all(arg == "-" or not arg.startswith("-") for arg in args[1:])


def _render(paths: Sequence[str]) -> int:
    from kruise_render.commands import render
    from kruise_render.options import RENDER, defaults

    return render.run(tuple(paths), defaults(RENDER))
