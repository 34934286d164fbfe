"""Rendering one workload through the real pipeline, for the table-driven stage tests."""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml

from kruise_render import api
from kruise_render.context import Context
from kruise_render.diagnostics import Severity
from kruise_render.document import Document
from kruise_render.options import Limits, Options
from kruise_render.yaml import codec
from kruise_render.yaml.reader import Source, read_documents


def with_field(obj: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `obj` with the dotted `path` set (created as needed); None deletes it."""
    out = copy.deepcopy(obj)
    node = out
    *parents, last = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return out


def render(obj: dict[str, Any], **options: Any) -> api.Result:
    return api.render([Source("in.yaml", codec.dump(obj))], Options(**options))


def run_stage(stage: Callable[[list[Document], Context], list[Document]], *objects: dict[str, Any],
              options: Options | None = None) -> tuple[list[Document], Context]:
    """`objects` as one stream through `stage` alone (no validate stage before it): output and Context."""
    text = "---\n".join(yaml.safe_dump(o, sort_keys=False) for o in objects)
    docs, problems = read_documents([Source("in.yaml", text)], Limits())
    assert not problems
    ctx = Context() if options is None else Context(options=options)
    return stage(docs, ctx), ctx


def only(result: api.Result) -> dict[str, Any]:
    assert result.ok, messages(result)
    assert len(result.documents) == 1
    return result.documents[0].data


def messages(result: api.Result, severity: Severity | None = None) -> list[str]:
    return [d.format() for d in result.problems if severity is None or d.severity is severity]


def errors(result: api.Result) -> list[str]:
    return messages(result, Severity.ERROR)


def warnings(result: api.Result) -> list[str]:
    return messages(result, Severity.WARNING)


def get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node
