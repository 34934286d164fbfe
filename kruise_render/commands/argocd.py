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

from collections.abc import Mapping, Sequence
from typing import BinaryIO

from kruise_render import api
from kruise_render.commands.output import print_problems, write_output


def run(paths: Sequence[str], environ: Mapping[str, str], quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    result = api.argocd_generate(paths, environ, stdin=stdin)
    print_problems(result.problems, quiet)
    if not result.ok:
        return 1
    write_output(result.stream(), stdout)
    return 0


def run_discover(environ: Mapping[str, str], stdout: BinaryIO) -> int:
    """Print where the first OpenKruise object is (Argo CD: output means "claimed"); never fails."""
    found = api.argocd_discover(environ)
    if found is not None:
        # A path may hold bytes that are not UTF-8 (surrogate escapes): shown replaced, never a crash.
        write_output(f"{found}\n".encode("utf-8", "replace").decode("utf-8"), stdout)
    return 0
