"""`kruise-render check`: are the rendered manifests committed in this repository current?

The targets of `.kruise-render.yaml` are rendered again and compared with what is on disk
(api.check, kruise_render/targets.py): a stale one prints a unified diff on stdout and makes the
exit code 1 (the pre-commit hook `kruise-render-check`); `--fix` rewrites stale outputs
atomically instead and exits 0. Each target's outcome is a problem of its own (stale, rewritten,
not checked), so that `--diagnostics-format` reports it with the render's.
"""
from __future__ import annotations

from kruise_render import Problem, api
from kruise_render.commands.output import print_problems, print_text


def run(fix: bool, quiet: bool, config: str | None = None, strict: bool = False, diagnostics: str = "text") -> int:
    failed = False
    collected: list[Problem] = []  # a SARIF log is one document: printed at the end
    for report in api.check(config, fix, strict=strict):
        outcome = report.outcome
        problems = [*report.problems, *([outcome] if outcome is not None else [])]
        failed = failed or not report.ok
        if report.stale:
            print_text(report.diff)
        if diagnostics == "sarif":
            collected.extend(problems)
        else:
            print_problems(problems, quiet, diagnostics)
    if diagnostics == "sarif":
        print_problems(collected, quiet, diagnostics)
    return 1 if failed else 0
