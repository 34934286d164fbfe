"""Stage `gitops`: objects a stage creates carry the GitOps annotations of the object they came from.

Why: a sync wave, a hook or a resource policy is written on the object a user wrote. Kruise
copies only what its controllers copy (a UnitedDeployment subset gets its template's
annotations, not the UnitedDeployment's), so without this stage a UnitedDeployment in
`argocd.argoproj.io/sync-wave: "2"` would sync its subsets in wave 0, and a Helm hook would
become an ordinary release object. Only the keys in `CARRIED` are copied, and never over a value
the created object already has (what Kruise copies, or a template's own annotation, wins).

`kustomize.config.k8s.io/id` is not carried although its prefix is: it names one object, and
on another it would make kustomize take the new object for the old one.
"""
from __future__ import annotations

from typing import Any

from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import annotations_of
from kruise_render.obj import ensure_map

# The one list (docs/integrations.md, "GitOps annotations"). A key ending in "*" is a prefix.
CARRIED: tuple[str, ...] = (
    "argocd.argoproj.io/sync-wave",
    "argocd.argoproj.io/sync-options",
    "argocd.argoproj.io/hook*",  # hook, hook-delete-policy
    "helm.sh/hook*",  # hook, hook-weight, hook-delete-policy
    "helm.sh/resource-policy",
    "kustomize.config.k8s.io/*",  # needs-hash, behavior (generator output)
    # Helm 4 marks every document it hands a post-renderer with its template file, and regroups
    # the output by it (helm/helm pkg/action/action.go, filenameAnnotation).
    "postrenderer.helm.sh/postrender-filename",
)
NOT_CARRIED = ("kustomize.config.k8s.io/id",)


def is_carried(key: str) -> bool:
    if key in NOT_CARRIED:
        return False
    return any(key.startswith(entry[:-1]) if entry.endswith("*") else key == entry for entry in CARRIED)


def run(docs: list[Document], ctx: Context) -> list[Document]:
    for doc in docs:
        if doc.derived_from is not None:
            carry(doc.input.data, doc)
    return docs


def carry(source: dict[str, Any], doc: Document) -> None:
    """Copy the carried annotations of `source` that `doc` lacks, in `source`'s order."""
    wanted = {key: value for key, value in annotations_of(source).items()
              if isinstance(key, str) and isinstance(value, str) and is_carried(key)}
    if not wanted:
        return
    meta = ensure_map(doc.data, "metadata")
    present = meta.get("annotations")
    annotations = present if isinstance(present, dict) else {}
    missing = {key: value for key, value in wanted.items() if key not in annotations}
    if not missing:
        return
    annotations.update(missing)
    meta["annotations"] = annotations
    doc.mark_changed()
