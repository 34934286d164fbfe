"""Stage `unrenderable`: the last word on Kruise objects, so that none leaves the tool silently.

What each object still carrying a `*.kruise.io` apiVersion here is, `kinds.classify` decides (issue
6, spec uniteddeployment.md §5):
- a runtime-only kind: an object Kruise's controllers and node daemon act on at run time. It has
  no native equivalent and nothing to expand: an error by default, passed through unchanged (with
  a warning) under --keep-unrenderable;
- a kind Kruise v1.9.0 does not have (another project's `*.kruise.io` group, a typo: the message
  offers the nearest Kruise kind), or one a stage left behind: the same policy.
A Kruise kind at a version v1.9.0 does not serve never gets here: the `validate` stage refuses it
(the branch below only serves a pipeline run without that stage, e.g. by the fuzz targets).
"""
from __future__ import annotations

from kruise_render import codes, kinds
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.kinds import Verdict


def run(docs: list[Document], ctx: Context) -> list[Document]:
    out: list[Document] = []
    keep = ctx.options.keep_unrenderable
    for doc in docs:
        verdict = kinds.classify(doc.api_version, doc.kind)
        if verdict is Verdict.NOT_KRUISE:
            out.append(doc)
            continue
        if kinds.refuse_unserved(doc, ctx):
            continue
        message = _message(doc, verdict)
        code = codes.RUNTIME_ONLY if verdict is Verdict.RUNTIME else codes.UNKNOWN_KIND
        if keep:
            ctx.warning(doc, None, f"{message}; passed through unchanged (--keep-unrenderable)", code)
            out.append(doc)
            continue
        ctx.error(doc, None, f"{message} (--keep-unrenderable passes it through unchanged)", code)
        ctx.consume(doc, "not renderable")
    return out


def check_unknown(docs: list[Document], ctx: Context) -> list[Document]:
    """`validate`'s share of this stage: a kind Kruise v1.9.0 does not have (a typo, most often)
    is an error with the nearest kind, as the render would report it; nothing is consumed."""
    for doc in docs:
        if kinds.classify(doc.api_version, doc.kind) is Verdict.UNKNOWN:
            hint = kinds.did_you_mean(doc.api_version, doc.kind)
            ctx.error(doc, ("kind",), f"Kruise v1.9.0 has no kind {doc.kind} in {doc.api_version}"
                      + (f" ({hint})" if hint else ""), codes.UNKNOWN_KIND)
    return docs


def _message(doc: Document, verdict: Verdict) -> str:
    created = "" if doc.derived_from is None else f"{doc.kind}/{doc.name} (created from this object) "
    entry = kinds.lookup(doc.api_version, doc.kind)
    if verdict is Verdict.RUNTIME and entry is not None:
        return f"{created}not renderable: runtime object: {doc.kind} {entry.runtime}, with no native equivalent"
    hint = kinds.did_you_mean(doc.api_version, doc.kind) if verdict is Verdict.UNKNOWN else None
    return (
        f"{created}not renderable: no stage renders {doc.api_version} {doc.kind}{f' ({hint})' if hint else ''}; "
        "a Kruise object is never passed through silently"
    )
