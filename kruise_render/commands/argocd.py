"""`kruise-render argocd-generate` and `argocd-discover`: the Argo CD config management plugin's steps.

Argo CD (docs/operator-manual/config-management-plugins.md) reads the plugin's stdout as the
application's manifests and treats the exit code as the only failure signal; an empty stream
with auto-prune deletes every resource of the application. So: options come from the
Application's `plugin.env` (`ARGOCD_ENV_*`) and `plugin.parameters` (`PARAM_*`), an input
without a single object is refused, and stdout carries YAML only, all or nothing. Without
PATHs, generate builds the application in the working directory (kruise_render/argocd/build.py);
with PATHs (`-` for stdin) it renders them as given.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from kruise_render import api
from kruise_render.argocd import build, checkout, discover, settings
from kruise_render.commands.output import print_problems
from kruise_render.diagnostics import Problem, RenderError, Severity


def run(paths: Sequence[str], environ: Mapping[str, str], quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    notes: list[str] = []
    options = settings.render_options(environ, notes.append)
    where = checkout.locate(environ)
    options = settings.confine_paths(options, environ, where)
    if paths:
        sources, problems = api.read(paths, options, stdin=stdin)
    else:
        built = build.manifests(where, environ, options.limits, notes.append)
        sources, problems = ([built], []) if built is not None else api.read(["."], options)
    result = api.render(sources, options)
    result.problems[:0] = [Problem(Severity.WARNING, note) for note in notes] + problems
    if result.ok and not problems and not result.inputs:
        what = ", ".join(paths) if paths else sources[0].name if sources else "the application's directory"
        result.problems.append(Problem(
            Severity.ERROR,
            f"no Kubernetes objects in {what} (cwd {os.getcwd()}); refusing to produce an empty manifest, "
            "which Argo CD would sync as 'delete everything'",
        ))
    print_problems(result.problems, quiet)
    if problems or not result.ok:
        return 1
    stdout.write(result.stream().encode("utf-8"))
    stdout.flush()
    return 0


def run_discover(environ: Mapping[str, str], stdout: BinaryIO) -> int:
    """Print where the first OpenKruise object is (Argo CD: output means "claimed"); never fails."""
    try:
        where = checkout.locate(environ)
    except RenderError:  # an odd ARGOCD_APP_SOURCE_PATH: look no further than the directory itself
        app = os.path.realpath(os.getcwd())
        where = checkout.Checkout(root=app, app=app)
    found = discover.claim(where)
    if found is not None:
        stdout.write(f"{found}\n".encode("utf-8", "replace"))
        stdout.flush()
    return 0
