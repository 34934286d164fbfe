"""Stage `unrenderable`: the last word on Kruise objects, so that none leaves the tool silently.

Two cases (issue 6, spec uniteddeployment.md §5):
- runtime-only kinds: objects Kruise's controllers and node daemon act on at run time (pulling
  images, recreating containers, probing pods, remembering pod state). They have no native
  equivalent and nothing to expand: an error by default, passed through unchanged (with a
  warning) under --keep-unrenderable;
- anything else still carrying a `*.kruise.io` apiVersion here is a kind no stage rendered (an
  unknown kind, a newer version, or an object a stage left behind): the same policy.
The CRD list this reproduces is Kruise v1.9.0's config/crd/bases.
"""
from __future__ import annotations

from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s.identity import group_of, is_kruise
from kruise_render.kinds import is_served, served_versions

# (API group, kind) -> what the object does at run time, for the message.
RUNTIME_KINDS: dict[tuple[str, str], str] = {
    ("apps.kruise.io", "ImagePullJob"): "pulls images on nodes through kruise-daemon",
    ("apps.kruise.io", "ImageListPullJob"): "pulls a list of images on nodes through kruise-daemon",
    ("apps.kruise.io", "NodeImage"): "records the images kruise-daemon pulls on one node",
    ("apps.kruise.io", "ContainerRecreateRequest"): "asks kruise-daemon to restart containers of a running pod",
    ("apps.kruise.io", "PodProbeMarker"): "runs probes in kruise-daemon and marks running pods with the results",
    ("apps.kruise.io", "NodePodProbe"): "carries probe work for kruise-daemon on one node",
    ("apps.kruise.io", "PersistentPodState"): "records and re-applies the node/zone of pods as they are recreated",
    ("apps.kruise.io", "EphemeralJob"): "injects ephemeral containers into running pods",
}


def run(docs: list[Document], ctx: Context) -> list[Document]:
    out: list[Document] = []
    keep = ctx.options.keep_unrenderable
    for doc in docs:
        if not is_kruise(doc.api_version):
            out.append(doc)
            continue
        message = _message(doc)
        if keep:
            ctx.warning(doc, None, f"{message}; passed through unchanged (--keep-unrenderable)")
            out.append(doc)
            continue
        ctx.error(doc, None, f"{message} (--keep-unrenderable passes it through unchanged)")
        ctx.consume(doc, "not renderable")
    return out


def _message(doc: Document) -> str:
    what = RUNTIME_KINDS.get((group_of(doc.api_version), doc.kind))
    created = "" if doc.derived_from is None else f"{doc.kind}/{doc.name} (created from this object) "
    if what is not None:
        return f"{created}not renderable: runtime object: {doc.kind} {what}, with no native equivalent"
    versions = served_versions(doc.api_version, doc.kind)
    if versions and not is_served(doc.api_version, doc.kind):
        group = group_of(doc.api_version)
        return f"{created}not renderable: Kruise v1.9.0 serves {doc.kind} only as {', '.join(f'{group}/{v}' for v in versions)}"
    return (
        f"{created}not renderable: no stage renders {doc.api_version} {doc.kind}; "
        "a Kruise object is never passed through silently"
    )
