"""Stage `sidecarset`: inject every SidecarSet into the pod templates it selects, exactly as the
Kruise v1.9.0 pod webhook injects it into a Pod at creation, then drop the SidecarSets.

Matching and ordering: kruise_render/sidecarset/match.py. Injection: sidecarset/inject.py.
Every pod template is judged as a Pod created in its object's namespace (if it names none:
-n/--namespace, "default" unless set).
"""
from __future__ import annotations

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.sidecarset import inject as injection
from kruise_render.sidecarset.plan import load_sidecarsets, templates


def run(docs: list[Document], ctx: Context) -> list[Document]:
    sidecarsets, documents = load_sidecarsets(docs, ctx)
    for doc in documents:
        ctx.consume(doc, "SidecarSet: injected into the pod templates it selects")
    rest = [d for d in docs if d not in documents]
    used: set[str] = set()
    notes: dict[int, list[str]] = {}
    sort_by_name = ctx.options.gate(injection.SORT_GATE)
    previous: Document | None = None
    for item in templates(rest, sidecarsets, ctx):
        if item.doc is not previous:
            _finish(previous, notes, ctx)
            previous = item.doc
        matched = item.matched
        if not matched:
            continue
        used.update(s.name for s in matched)
        try:
            changed = injection.inject(item.template, matched, sort_by_name, ctx.options.timestamp)
        except injection.InjectError as exc:
            where = exc.sidecarset.doc if exc.sidecarset is not None and exc.path[:1] == ("spec",) else item.doc
            path = exc.path if where is not item.doc else item.path + exc.path
            ctx.error(where, path, f"{exc} (pod template {'.'.join(item.path) or 'of the Pod'} of {item.doc.id})"
                      if where is not item.doc else str(exc))
            continue
        if changed:
            notes.setdefault(id(item.doc), []).extend(s.name for s in matched)
            item.doc.mark_changed(None)
    _finish(previous, notes, ctx)
    for s in sidecarsets:
        if s.name not in used and not s.doc.origin.context:  # a platform's SidecarSets need not all apply
            ctx.warning(s.doc, ("spec", "selector"), "this SidecarSet matched no pod template in the input "
                        "(`kruise-render explain` shows why)", codes.NO_POD_TEMPLATE)
    return rest


def _finish(doc: Document | None, notes: dict[int, list[str]], ctx: Context) -> None:
    """Every template of `doc` is judged: its note, then its output text made and its data let
    go (ctx.finish): one workload at a time is held, however large the stream."""
    if doc is None:
        return
    if id(doc) in notes:
        names = ",".join(sorted(set(notes[id(doc)])))
        doc.mark_changed(f"injected sidecarset/{names}")  # the doc is already changed: this joins the note
    ctx.finish(doc)
