"""`kruise-render diff`: render two sides, say what the change does to the cluster.

Exit codes follow `kubectl diff`: 0 no differences, 1 differences, 2 an error (a render error
on either side, named; a bad revision or path), 3 a bug.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from kruise_render import api, optionargs
from kruise_render.commands.check import find_config, load_targets
from kruise_render.diagnostics import KruiseRenderError, RenderError, Severity, one_line
from kruise_render.diff import jsonout, markdown, model, sides, text
from kruise_render.diff.model import Diff, SideProblem
from kruise_render.options import Options

EXIT_SAME, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


def run(paths: Sequence[str], options: Options, *, base: str | None = None, head: str | None = None,
        base_dir: str | None = None, head_dir: str | None = None, fmt: str = "text", details: bool = False,
        no_color: bool = False, quiet: bool = False) -> int:
    try:
        base_side = _side(base, base_dir, "--base", "--base-dir", default=sides.default_base)
        head_side = _side(head, head_dir, "--head", "--head-dir", default=sides.worktree)
        diff = model.combine([_one(base_side, head_side, job_paths, job_options, target)
                              for target, job_paths, job_options in _jobs(paths, options)])
    except KruiseRenderError as exc:
        click.echo(f"kruise-render diff: {one_line(str(exc))}", err=True)
        return EXIT_ERROR
    diff.base_label, diff.head_label = base_side.label, head_side.label
    labels = {"base": base_side.label, "head": head_side.label}
    shown = {id(w) for cause in diff.causes for w in cause.warnings}  # every format shows them with their cause
    for problem in diff.errors + ([] if quiet else [w for w in diff.warnings if id(w.problem) not in shown]):
        click.echo(f"{problem.side} ({one_line(labels[problem.side])}): {problem.problem.format()}", err=True)
    if fmt == "json":
        click.echo(jsonout.report(diff), nl=False)
    elif diff.ok:
        color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
        output = markdown.report(diff, details) if fmt == "markdown" else text.report(diff, color, details)
        click.echo(output, nl=False, color=color)
    if not diff.ok:
        sides_failed = sorted({p.side for p in diff.errors})
        click.echo(f"kruise-render diff: cannot compare: the {' and '.join(sides_failed)} side"
                   f"{'s do' if len(sides_failed) > 1 else ' does'} not render", err=True)
        return EXIT_ERROR
    return EXIT_DIFFERENT if diff.differs else EXIT_SAME


def _side(rev: str | None, directory: str | None, rev_flag: str, dir_flag: str, default: object) -> sides.Side:
    if rev is not None and directory is not None:
        raise RenderError(f"{rev_flag} and {dir_flag} exclude each other")
    if directory is not None:
        return sides.directory(directory)
    if rev is not None:
        return sides.revision(rev)
    return default()  # type: ignore[operator, no-any-return]


def _jobs(paths: Sequence[str], options: Options) -> list[tuple[str | None, list[str], Options]]:
    """Without PATHs: every target of .kruise-render.yaml (its args are its options), or `.`."""
    if paths:
        return [(None, list(paths), options)]
    try:
        config = find_config(os.getcwd())
    except RenderError:
        return [(None, ["."], options)]
    if options != Options():
        raise RenderError(f"render options come from each target's args in {config}; "
                          "give PATHs to diff with options from the command line")
    return [(target.output, [target.source], optionargs.parse_args(target.args, f"{target.output}: args"))
            for target in load_targets(config)]


def _one(base: sides.Side, head: sides.Side, paths: list[str], options: Options, target: str | None) -> Diff:
    with sides.opened(base, paths, options) as old, sides.opened(head, paths, options) as new:
        both = [p for p in paths if p in old.missing and p in new.missing]
        if both:
            raise RenderError(f"{', '.join(both)}: no such file or directory on either side "
                              f"({base.label}, {head.label})")
        read_errors = [SideProblem(name, opened.tidy(p)) for name, opened in (("base", old), ("head", new))
                       for p in opened.problems if p.severity is Severity.ERROR]
        if read_errors:
            return Diff(errors=read_errors)
        diff = api.diff(old.sources, new.sources, new.options, base_options=old.options, target=target)
        tidy = {"base": old.tidy, "head": new.tidy}
        diff.errors = [SideProblem(p.side, tidy[p.side](p.problem)) for p in diff.errors]
        diff.warnings = [SideProblem(p.side, tidy[p.side](p.problem)) for p in diff.warnings]
        return diff
