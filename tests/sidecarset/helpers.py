"""Render YAML text in-process and look at the result (shared by the SidecarSet tests)."""
from __future__ import annotations

from typing import Any

import yaml

from kruise_render import api
from kruise_render.options import Options
from kruise_render.yaml.reader import Source


def render(text: str, **options: Any) -> api.Result:
    return api.render([Source("input.yaml", text)], Options(**options))


def objects(text: str, **options: Any) -> list[dict[str, Any]]:
    result = render(text, **options)
    assert result.ok, [d.format() for d in result.problems]
    return [yaml.safe_load(doc) for doc in result.stream().split("\n---\n") if doc.strip()]


def messages(text: str, **options: Any) -> list[str]:
    return [d.format() for d in render(text, **options).problems]


def pod(text: str, **options: Any) -> dict[str, Any]:
    """The one Pod of the output."""
    found = [o for o in objects(text, **options) if o.get("kind") == "Pod"]
    assert len(found) == 1, found
    return found[0]
