"""The API versions Kruise v1.9.0 serves, per kind (its config/crd/bases).

A stage renders only these versions; any other `*.kruise.io` version reaches the `unrenderable`
stage, which says which versions exist.
"""
from __future__ import annotations

from kruise_render.identity import group_of

SERVED: dict[tuple[str, str], tuple[str, ...]] = {
    ("apps.kruise.io", "AdvancedCronJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "BroadcastJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "CloneSet"): ("v1alpha1",),
    ("apps.kruise.io", "ContainerRecreateRequest"): ("v1alpha1",),
    ("apps.kruise.io", "DaemonSet"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "EphemeralJob"): ("v1alpha1",),
    ("apps.kruise.io", "ImageListPullJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "ImagePullJob"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "NodeImage"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "NodePodProbe"): ("v1alpha1",),
    ("apps.kruise.io", "PersistentPodState"): ("v1alpha1",),
    ("apps.kruise.io", "PodProbeMarker"): ("v1alpha1",),
    ("apps.kruise.io", "ResourceDistribution"): ("v1alpha1",),
    ("apps.kruise.io", "SidecarSet"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "StatefulSet"): ("v1alpha1", "v1beta1"),
    ("apps.kruise.io", "UnitedDeployment"): ("v1alpha1",),
    ("apps.kruise.io", "WorkloadSpread"): ("v1alpha1",),
    ("policy.kruise.io", "PodUnavailableBudget"): ("v1alpha1",),
}


def is_served(api_version: str, kind: str) -> bool:
    """`api_version` is a version Kruise v1.9.0 serves for `kind`."""
    group, _, version = api_version.rpartition("/")
    return version in SERVED.get((group, kind), ())


def served_versions(api_version: str, kind: str) -> tuple[str, ...]:
    return SERVED.get((group_of(api_version), kind), ())
