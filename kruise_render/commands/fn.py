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

import copy
from typing import Any, BinaryIO

from kruise_render import api, configfile, fdio, krm, optionargs
from kruise_render.commands.output import print_problems
from kruise_render.diagnostics import Problem, RenderError, Severity, has_errors
from kruise_render.document import Document
from kruise_render.options import Limits, Options
from kruise_render.yaml import codec, reader, writer


def run(config_file: str | None, quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    if config_file is not None:
        return _run_legacy(config_file, quiet, stdin, stdout)
    return _run_krm(quiet, stdin, stdout)


def _read(stream: BinaryIO, name: str) -> Any:
    """A whole stream, never more than --max-total-size's default (`/dev/zero` stops), parsed."""
    try:
        return _load(fdio.read_limited(stream, Limits().max_total_bytes), name)
    except fdio.InputError as exc:
        raise RenderError(f"{name}: {exc}") from None


def _load(data: bytes | bytearray, name: str) -> Any:
    limits = Limits()
    if len(data) > limits.max_total_bytes:
        raise RenderError(f"{name}: larger than {limits.max_total_bytes} bytes")
    try:
        return codec.load(data.decode("utf-8"), limits)
    except UnicodeDecodeError:
        raise RenderError(f"{name}: not valid UTF-8") from None
    except codec.YamlProblem as exc:
        line = f":{exc.line + 1}" if exc.line is not None else ""
        raise RenderError(f"{name}{line}: {exc.message}") from None


def _run_krm(quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    resource_list = _read(stdin, "<stdin>")
    if not isinstance(resource_list, dict) or resource_list.get("kind") != "ResourceList":
        raise RenderError("stdin: expected a ResourceList (config.kubernetes.io/v1), as kpt and kustomize send")
    api_version = resource_list.get("apiVersion")
    if api_version not in krm.RESOURCE_LIST_VERSIONS:
        raise RenderError(f"stdin: ResourceList apiVersion {api_version!r} is not one of {', '.join(krm.RESOURCE_LIST_VERSIONS)}")
    items = resource_list.get("items") or []
    if not isinstance(items, list):
        raise RenderError("stdin: ResourceList items must be a list")
    original = copy.deepcopy(items)
    diagnostics: list[Problem] = []
    output_items = original
    try:
        options = optionargs.from_function_config(resource_list.get("functionConfig"))
    except RenderError as exc:
        diagnostics.append(Problem(Severity.ERROR, str(exc)))
    else:
        docs, problems = krm.item_documents(items)
        diagnostics.extend(Problem(Severity.ERROR, problem) for problem in problems)
        if not problems:
            books = [krm.strip(doc) for doc in docs]
            result = api.render_documents(docs, options)
            diagnostics.extend(result.problems)
            if result.ok:
                krm.restore(docs, books, result.documents)
                output_items = [doc.data for doc in result.documents]
    print_problems(diagnostics, quiet)
    failed = has_errors(diagnostics)
    out: dict[str, Any] = {"apiVersion": api_version, "kind": "ResourceList", "items": original if failed else output_items}
    if diagnostics:
        out["results"] = [krm.result(d) for d in diagnostics]
    fdio.write(stdout, codec.dump(out))
    return 1 if failed else 0


def _run_legacy(config_file: str, quiet: bool, stdin: BinaryIO, stdout: BinaryIO) -> int:
    config = configfile.load(config_file)
    options: Options = optionargs.from_function_config(config, config_file)
    sources, problems = api.read([reader.STDIN], options, stdin=stdin)
    docs, parse_problems = reader.read_documents(sources, options.limits)
    books = [krm.strip(doc) for doc in docs]
    result = api.render_documents(docs, options, [*problems, *parse_problems])
    print_problems(result.problems, quiet)
    if not result.ok:
        return 1
    output: list[Document] = result.documents
    krm.restore(docs, books, output)
    fdio.write(stdout, writer.to_stream(output))
    return 0
