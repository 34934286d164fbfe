"""Finding the object a Kruise `targetRef` names among the objects of the run.

Kruise resolves a targetRef by API group, kind and name in the referrer's namespace; the version
is ignored (controllerfinder and the WorkloadSpread webhook parse only the group).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kruise_render.document import Document
from kruise_render.k8s.identity import effective_namespace, group_of


def find(docs: Iterable[Document], namespace: str, ref: Mapping[str, Any], deploy_namespace: str) -> Document | None:
    """The first of `docs` that `ref` names in `namespace` (objects without one: `deploy_namespace`)."""
    group = group_of(str(ref.get("apiVersion") or ""))
    kind, name = ref.get("kind"), ref.get("name")
    for doc in docs:
        if (
            doc.kind == kind
            and doc.name == name
            and group_of(doc.api_version) == group
            and effective_namespace(doc.data, deploy_namespace) == namespace
        ):
            return doc
    return None


def describe(ref: Mapping[str, Any]) -> str:
    return f"{ref.get('kind')}/{ref.get('name')} ({ref.get('apiVersion')})"


def ref_problem(ref: Any) -> str | None:
    """Why a targetRef is unusable, as the Kruise webhooks say it, or None."""
    if not isinstance(ref, Mapping):
        return "must be a mapping with apiVersion, kind and name"
    missing = [key for key in ("apiVersion", "kind", "name") if not isinstance(ref.get(key), str) or not ref.get(key)]
    if missing:
        return f"missing {', '.join(missing)}"
    return None
