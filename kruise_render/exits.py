"""How a command of the command line ends: its exit code, and one line on stderr for what stopped
it, never a traceback. One place for both doors in (launch.py's fast path and cli.py's parser).

Exit codes: 0 ok, 1 problems in the input (or a stale check), 2 usage errors (and a missing
optional dependency), 3 a bug in kruise-render.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

from kruise_render import fdio
from kruise_render.diagnostics import InternalError, MissingDependency, RenderError, one_line

OK, PROBLEMS, USAGE, BUG = 0, 1, 2, 3


def say(line: str) -> None:
    """One line on stderr (what click.echo(line, err=True) writes)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def guarded(run: Callable[[], int]) -> int:
    """`run()`'s exit code; whatever stops it mapped to the exit code and line that say why."""
    try:
        with fdio.whole_stdout():
            return run()
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else PROBLEMS
    except MissingDependency as exc:
        say(f"kruise-render: {exc}")
        return USAGE
    except RenderError as exc:
        say(f"kruise-render: {one_line(str(exc))}")
        return PROBLEMS
    except BrokenPipeError:
        return PROBLEMS
    except (InternalError, Exception) as exc:
        detail = one_line(str(exc).splitlines()[0][:200]) if str(exc) else ""
        say(f"kruise-render: internal error (a bug, please report it): {type(exc).__name__}: {detail}")
        return BUG
