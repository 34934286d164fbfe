"""Stage `resourcedistribution`: not implemented yet; objects pass through unchanged (see the open issue)."""
from __future__ import annotations

from kruise_render.context import Context
from kruise_render.document import Document


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return docs
