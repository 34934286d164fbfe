"""`kruise-render check`: are the rendered manifests committed in this repository current?

The targets of `.kruise-render.yaml` are rendered again and compared with what is on disk
(api.check, kruise_render/targets.py): a stale one prints a unified diff on stdout and makes the
exit code 1 (the pre-commit hook `kruise-render-check`); `--fix` rewrites stale outputs
atomically instead and exits 0.
"""
from __future__ import annotations

from kruise_render import api
from kruise_render.commands.output import print_notes, print_problems, print_text


def run(fix: bool, quiet: bool, config: str | None = None) -> int:
    failed = stale = False
    for report in api.check(config, fix):
        target = report.target
        print_problems(report.problems, quiet)
        if not report.rendered:
            print_notes([f"kruise-render check: {target.source}: cannot render, {target.output} not checked"])
            failed = True
        elif report.rewritten:
            print_notes([f"kruise-render check: rewrote {target.output}"])
        elif report.stale:
            stale = True
            print_text(report.diff)
            print_notes([f"kruise-render check: {target.output} is stale (run `kruise-render check --fix`)"])
    return 1 if failed or stale else 0
