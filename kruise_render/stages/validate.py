"""Stage `validate`: every Kruise object is checked against schemas/ before any expansion.

Why first: a typo in a SidecarSet or UnitedDeployment must never become a silently different
render. Invalid objects are reported (all of them, one line per violation) and taken out of the
stream with `ctx.consume(doc, "invalid")`, so later stages only ever see well-formed input; the
errors already make the run fail with empty output.
"""
from __future__ import annotations

from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import is_kruise
from kruise_render.validation import inputs


def run(docs: list[Document], ctx: Context) -> list[Document]:
    valid: list[Document] = []
    for doc in docs:
        violations = inputs.in_order(doc) if is_kruise(doc.api_version) else []
        if not violations:
            valid.append(doc)
            continue
        for violation in violations:
            ctx.error(doc, violation.path, violation.message)
        ctx.consume(doc, "invalid")
    return valid
