"""Stage `allowlossy`: the `kruise-render.io/allow-lossy` annotation leaves with no object.

The annotation is an instruction to kruise-render (Context.not_expressible reads it from the
object it stands on: which named losses a review accepted), not part of what a cluster should
store; so it is taken off every output object, converted or passed through, and an
`annotations` mapping it leaves empty goes with it. Rendering the output again then finds no
accepted loss to repeat, and changes nothing.
"""
from __future__ import annotations

from kruise_render import lossy
from kruise_render.context import Context
from kruise_render.document import Document


def run(docs: list[Document], ctx: Context) -> list[Document]:
    for doc in docs:
        if not doc.may_hold(lossy.ANNOTATION):
            continue  # held as text, and that text does not name it: not read for this
        meta = doc.data.get("metadata")
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(meta, dict) and isinstance(annotations, dict) and lossy.ANNOTATION in annotations:
            del annotations[lossy.ANNOTATION]
            if not annotations:
                del meta["annotations"]
            doc.mark_changed(f"{lossy.ANNOTATION} taken off (an instruction to kruise-render, not to the cluster)")
    return docs
