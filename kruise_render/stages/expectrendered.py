"""Stage `expectrendered`: with --expect-rendered, warn for each Kruise object that arrives.

`kubectl kustomize` has no --enable-exec and silently skips an exec KRM function, so a
kustomization meant to render Kruise objects can hand them on unrendered without any error
(integration.md §1.2). A later step that expects rendered input says so loudly instead.
The objects are still rendered: the warning is about the earlier step, not about the output.
"""
from __future__ import annotations

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import is_kruise


def run(docs: list[Document], ctx: Context) -> list[Document]:
    if not ctx.options.expect_rendered:
        return docs
    for doc in docs:
        if is_kruise(doc.api_version):
            ctx.warning(
                doc,
                ("apiVersion",),
                f"{doc.api_version} object reached kruise-render unrendered although an earlier step should have "
                "rendered it (kubectl kustomize silently skips exec KRM functions: use the legacy exec plugin, "
                "or kustomize --enable-alpha-plugins --enable-exec)",
                codes.UNRENDERED,
            )
    return docs
