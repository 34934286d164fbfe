"""`kruise-render fn`: kruise-render as a KRM function (kpt, standalone kustomize) or, with
`--config FILE`, as a kustomize legacy exec transformer plugin (`kubectl kustomize`).

KRM mode (functions-spec.md): a ResourceList on stdin, a ResourceList on stdout with the
rendered `items` and one `results` entry per warning and error; exit 1 when any error (kpt
treats exit 0 as success whatever the results say). On error the items go back unchanged.

Legacy mode (kustomize `execplugin.go`): argv carries the plugin's own config file, stdin the
resources so far as a YAML stream, stdout must be the complete resulting set; kustomize matches
the output to its input by GVK, namespace and name, appends new objects and deletes missing ones.
"""
from __future__ import annotations

from typing import BinaryIO

from kruise_render import api
from kruise_render.commands.output import print_problems, read_input, write_output


def run(config_file: str | None, quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    if config_file is not None:
        return _run_legacy(config_file, quiet, stdin, stdout)
    # Read whole (a non-blocking pipe too) and never past the input limit: /dev/zero stops.
    answer = api.render_resource_list(read_input(stdin))
    print_problems(answer.problems, quiet)
    write_output(answer.text(), stdout)
    return 0 if answer.ok else 1


def _run_legacy(config_file: str, quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    result = api.render_paths(["-"], api.plugin_options(config_file), stdin=stdin, krm_items=True)
    print_problems(result.problems, quiet)
    if not result.ok:
        return 1
    write_output(result.stream(), stdout)
    return 0
