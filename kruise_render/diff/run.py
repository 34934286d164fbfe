"""`kruise-render diff` as a library: two renders of the same PATHs at two points, compared.

A side is a git revision, a directory whose PATHs are read, or the working tree (sides.py);
without PATHs every target of `.kruise-render.yaml` is compared with its own args. The two
renders become a Diff in compute.py; text.py, markdown.py and jsonout.py write it.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from kruise_render import targets
from kruise_render.diagnostics import RenderError, Severity
from kruise_render.diff import compute, jsonout, markdown, model, sides, text
from kruise_render.diff.model import Diff, SideProblem
from kruise_render.options import Options
from kruise_render.rendering import render_documents
from kruise_render.yaml import gcpause, reader
from kruise_render.yaml.reader import Source


def compare_sources(
    base_sources: Sequence[Source], head_sources: Sequence[Source], options: Options | None = None,
    *, base_options: Options | None = None, target: str | None = None,
) -> Diff:
    """Render both sides with the same options and compare the rendered objects by identity
    (kruise_render/diff/). `base_options` differs only where an option names a file that the
    base side has in another place (a git revision's temporary copy)."""
    options = options or Options()
    base = _render_side(base_sources, base_options or options)
    head = _render_side(head_sources, options)
    return compute.between(base, head, options.limits, target)


def _render_side(sources: Sequence[Source], options: Options) -> compute.Side:
    """A render, with each input's identity as written (some stages convert inputs in place)."""
    with gcpause.paused():
        documents, problems = reader.read_documents(sources, options.limits)
    written = compute.identities(documents)
    return compute.Side(render_documents(documents, options, problems), written)


def compare_paths(
    paths: Sequence[str], options: Options | None = None, *, base: str | None = None, head: str | None = None,
    base_dir: str | None = None, head_dir: str | None = None,
) -> Diff:
    """`kruise-render diff`: PATHs rendered at two points and compared (`compare_sources`).

    A side is a git revision (`base`, `head`), a directory whose PATHs are read (`base_dir`,
    `head_dir`), or by default the merge base with the default branch and the working tree
    (kruise_render/diff/sides.py). Without PATHs: every target of `.kruise-render.yaml` with its
    own args, else `.`. Render errors of either side are inside the Diff; a bad revision, path
    or option raises RenderError.
    """
    options = options or Options()
    base_side = _side(base, base_dir, "--base", "--base-dir", sides.default_base)
    head_side = _side(head, head_dir, "--head", "--head-dir", sides.worktree)
    found = model.combine([_one(base_side, head_side, job_paths, job_options, target)
                           for target, job_paths, job_options in _jobs(paths, options)])
    found.base_label, found.head_label = base_side.label, head_side.label
    return found


def report(found: Diff, fmt: str = "text", *, color: bool = False, details: bool = False) -> str:
    """A Diff as `kruise-render diff` prints it: "text" (ANSI colours with `color`), "markdown"
    (a pull-request comment) or "json" (docs/diff.md); `details` adds a unified diff per object."""
    if fmt == "json":
        return jsonout.report(found)
    if fmt == "markdown":
        return markdown.report(found, details)
    return text.report(found, color, details)


def _side(rev: str | None, directory: str | None, rev_flag: str, dir_flag: str,
               default: Callable[[], sides.Side]) -> sides.Side:
    if rev is not None and directory is not None:
        raise RenderError(f"{rev_flag} and {dir_flag} exclude each other")
    if directory is not None:
        return sides.directory(directory)
    if rev is not None:
        return sides.revision(rev)
    return default()


def _jobs(paths: Sequence[str], options: Options) -> list[tuple[str | None, list[str], Options]]:
    """Without PATHs: every target of .kruise-render.yaml (its args are its options), or `.`."""
    if paths:
        return [(None, list(paths), options)]
    try:
        config = targets.find_config(os.getcwd())
    except RenderError:
        return [(None, ["."], options)]
    if options != Options():
        raise RenderError(f"render options come from each target's args in {config}; "
                          "give PATHs to diff with options from the command line")
    return [(target.output, [target.source], targets.options(target)) for target in targets.load_targets(config)]


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
        found = compare_sources(old.sources, new.sources, new.options, base_options=old.options, target=target)
        tidy = {"base": old.tidy, "head": new.tidy}
        found.errors = [SideProblem(p.side, tidy[p.side](p.problem)) for p in found.errors]
        found.warnings = [SideProblem(p.side, tidy[p.side](p.problem)) for p in found.warnings]
        return found
