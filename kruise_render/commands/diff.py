"""`kruise-render diff`: render two sides, say what the change does to the cluster (api.diff_paths).

Exit codes follow `kubectl diff`: 0 no differences, 1 differences, 2 an error (a render error
on either side, named; a bad revision or path), 3 a bug.
"""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render import KruiseRenderError, Options, api
from kruise_render.commands.output import print_notes, print_text, wants_color

EXIT_SAME, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


def run(paths: Sequence[str], options: Options, *, base: str | None = None, head: str | None = None,
        base_dir: str | None = None, head_dir: str | None = None, fmt: str = "text", details: bool = False,
        no_color: bool = False, quiet: bool = False) -> int:
    try:
        diff = api.diff_paths(paths, options, base=base, head=head, base_dir=base_dir, head_dir=head_dir)
    except KruiseRenderError as exc:
        print_notes([f"kruise-render diff: {exc}"])
        return EXIT_ERROR
    labels = {"base": diff.base_label, "head": diff.head_label}
    shown = {id(w) for cause in diff.causes for w in cause.warnings}  # every format shows them with their cause
    print_notes(f"{problem.side} ({labels[problem.side]}): {problem.problem.format()}"
                for problem in diff.errors + ([] if quiet else [w for w in diff.warnings if id(w.problem) not in shown]))
    if fmt == "json":
        print_text(api.diff_report(diff, "json"))
    elif diff.ok:
        color = wants_color(no_color)
        print_text(api.diff_report(diff, fmt, color=color, details=details), color=color)
    if not diff.ok:
        sides_failed = sorted({p.side for p in diff.errors})
        print_notes([f"kruise-render diff: cannot compare: the {' and '.join(sides_failed)} side"
                     f"{'s do' if len(sides_failed) > 1 else ' does'} not render"])
        return EXIT_ERROR
    return EXIT_DIFFERENT if diff.differs else EXIT_SAME
