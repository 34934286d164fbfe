"""Stage `validate`: every Kruise object is checked before any expansion.

Why first: a typo in a SidecarSet or UnitedDeployment must never become a silently different
render. In this order:
- the version: a Kruise kind at an apiVersion Kruise v1.9.0 does not serve (`kinds.unserved`:
  CloneSet apps.kruise.io/v1beta1, UnitedDeployment apps.kruise.io/v9) is one error at its
  apiVersion line, whatever the kind; a v1.9.0 cluster would not accept it, so no stage renders it
  and no option passes it through;
- nulls the API server drops before Kruise sees the object (`labels:` with no value) are dropped,
  with a warning each (validation/nulls.py);
- the fields, against schemas/.
Invalid objects are reported (all of them, one line per violation) and taken out of the stream
with `ctx.consume`, so later stages only ever see well-formed input at a served version; the
errors already make the run fail with empty output.
"""
from __future__ import annotations

from kruise_render import codes, kinds
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import is_kruise
from kruise_render.validation import inputs, nulls


def run(docs: list[Document], ctx: Context) -> list[Document]:
    valid: list[Document] = []
    for doc in docs:
        if not is_kruise(doc.api_version):
            valid.append(doc)
            continue
        if kinds.refuse_unserved(doc, ctx):
            continue
        if check(doc, ctx):
            valid.append(doc)
        else:
            ctx.consume(doc, "invalid")
    return valid


def check(doc: Document, ctx: Context) -> bool:
    """Whether `doc` (a Kruise object at a served version) is valid: nulls the API server drops are
    dropped with a warning each, then every violation of its schema is an error, in line order.
    The same check for a context SidecarSet (kruise_render/contextobjects.py)."""
    dropped = nulls.prune(doc.data)
    for path in dropped:
        ctx.warning(doc, path, nulls.MESSAGE, codes.NULL_DROPPED)
    if dropped:
        doc.mark_changed()
    violations = inputs.in_order(doc)
    for violation in violations:
        ctx.error(doc, violation.path, violation.message, codes.SCHEMA)
    return not violations
