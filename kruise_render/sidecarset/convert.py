"""SidecarSet v1alpha1 → v1beta1, as Kruise 1.9 converts every request before using it
(apis/apps/v1alpha1/sidecarset_conversion.go ConvertTo).

The only differences are `spec.namespace` (becomes a namespaceSelector on
kubernetes.io/metadata.name and wins over an existing namespaceSelector) and the custom-version
label (becomes `spec.customVersion`). Containers and every other field carry over unchanged.
"""
from __future__ import annotations

from kruise_render.k8s import identity
from kruise_render.obj import Obj, copied, get_map

METADATA_NAME_LABEL = identity.NAMESPACE_NAME_LABEL
CUSTOM_VERSION_LABEL = "apps.kruise.io/sidecarset-custom-version"


def to_v1beta1(data: Obj) -> Obj:
    """A deep copy of the SidecarSet in v1beta1 shape; the input is left untouched."""
    out = copied(data)
    if str(data.get("apiVersion")) != "apps.kruise.io/v1alpha1":
        return out
    out["apiVersion"] = "apps.kruise.io/v1beta1"
    spec = get_map(out, "spec")  # detached when absent: nothing to convert then
    namespace = spec.pop("namespace", None)
    if namespace:
        spec["namespaceSelector"] = {"matchLabels": {METADATA_NAME_LABEL: namespace}}
    labels = get_map(out, "metadata", "labels")
    if CUSTOM_VERSION_LABEL in labels:
        spec["customVersion"] = labels.pop(CUSTOM_VERSION_LABEL)
    return out
