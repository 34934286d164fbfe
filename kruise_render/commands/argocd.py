"""`kruise-render argocd-generate`: the render step of the Argo CD config management plugin.

Argo CD (docs/operator-manual/config-management-plugins.md) reads the plugin's stdout as the
application's manifests and treats the exit code as the only failure signal; an empty stream
with auto-prune deletes every resource of the application. So: options come from the
Application's `plugin.env` (`ARGOCD_ENV_*`) and `plugin.parameters` (`PARAM_*`), an input
without a single object is refused, and stdout carries YAML only, all or nothing.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from kruise_render import api, fdio, optionargs
from kruise_render.commands.output import print_problems
from kruise_render.diagnostics import Problem, Severity


def run(paths: Sequence[str], environ: Mapping[str, str], quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    options = optionargs.from_env(environ)
    sources, problems = api.read(paths, options, stdin=stdin)
    result = api.render(sources, options)
    result.problems[:0] = problems
    if result.ok and not problems and not result.inputs:
        where = ", ".join(paths) if paths else "stdin"
        result.problems.append(Problem(
            Severity.ERROR,
            f"no Kubernetes objects in {where} (cwd {os.getcwd()}); refusing to produce an empty manifest, "
            "which Argo CD would sync as 'delete everything'",
        ))
    print_problems(result.problems, quiet)
    if problems or not result.ok:
        return 1
    fdio.write(stdout, result.stream())
    return 0
