"""The command line's entry point (`kruise-render`, `python -m kruise_render`).

`kruise-render render PATH...` with no option is what the kustomize plugin scripts, pre-commit
hooks and most pipelines run, once per application and build, so its start-up counts: it runs
here without click, whose import and command tree cost about a third of a small render
(docs/performance.md, "Start-up"). Everything else (any option, help, the other commands) goes
to cli.py's click parser. Both ways give the same Options (options.defaults, checked against
the parser in tests/launch_test.py) and end through exits.guarded.

The cycle collector (docs/performance.md, "Start-up"): off while a command starts, since the
imports make tens of thousands of long-lived objects that its collections would walk for nothing.
A plain render keeps it off to the end, as rendering.py and api.py pause it for all their work
anyway (what makes reference cycles there runs the collector itself: gcpause.collect_young,
.resumed); any other command gets it back before it runs. When this process is the command
(`argv` None), everything alive at the end is frozen: the interpreter's collections at exit
then walk nothing, where they used to cost about a tenth of a small render.
"""
from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` (None: this process's own arguments) and return its exit code."""
    try:
        return _command(list(sys.argv[1:] if argv is None else argv))
    finally:
        if argv is None:
            gc.freeze()  # the process ends next: its objects need no collection


def _command(args: list[str]) -> int:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if plain_render(args):
            from kruise_render import exits

            return exits.guarded(lambda: _render(args[1:]))
        from kruise_render import cli
    finally:
        if was_enabled:
            gc.enable()
    return cli.main(args)


def plain_render(args: Sequence[str]) -> bool:
    """`render` and at least one PATH (a file, a directory or `-`), nothing that could be an option."""
    return len(args) >= 2 and args[0] == "render" and all(arg == "-" or not arg.startswith("-") for arg in args[1:])


def _render(paths: Sequence[str]) -> int:
    from kruise_render.commands import render
    from kruise_render.options import RENDER, defaults

    return render.run(tuple(paths), defaults(RENDER))
