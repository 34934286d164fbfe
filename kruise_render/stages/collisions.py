"""Stage `collisions`: two output objects with one identity are an error.

Why: rendering gives Kruise objects native identities a live cluster never gives them. A
UnitedDeployment subset is named `<ud>-<subset>` (Kruise uses generateName), and a CloneSet
`web` becomes a Deployment `web` (in a cluster the two kinds never clash). Either can land on
an object the input already has; `kubectl apply` would then keep only the last of the two,
so one workload would silently vanish. Objects are compared by API group, kind, namespace and
name: what `kubectl apply` treats as one object, with an object that names no namespace in the
one it lands in (-n/--namespace, "default" unless set).
"""
from __future__ import annotations

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import group_of

Key = tuple[str, str, str, str]


def run(docs: list[Document], ctx: Context) -> list[Document]:
    first: dict[Key, Document] = {}
    for doc in docs:
        ident = doc.id
        key = (group_of(ident.api_version), ident.kind, ctx.namespace_of(doc), ident.name)
        if not ident.kind or not ident.name:
            continue
        earlier = first.setdefault(key, doc)
        if earlier is not doc:
            ctx.error(doc, ("metadata", "name"), f"{ident} is already in the output ({_origin(earlier)}); "
                      "applying both would keep only one of them (rename one)", codes.COLLISION)
    return docs


def _origin(doc: Document) -> str:
    source = doc.input
    where = f"{source.origin.file}:{source.origin.line}"
    return f"from {where}" if doc.derived_from is None else f"rendered from {source.id} at {where}"
