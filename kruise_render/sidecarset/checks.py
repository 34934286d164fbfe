"""More of the SidecarSet validating webhook's single-object rules (pkg/webhook/sidecarset/
validating/sidecarset_create_update_handler.go), found missing by porting Kruise's own
TestValidateSidecarSet: label syntax in selectors (metav1validation.ValidateLabelSelector), the
RollingUpdate strategy's partition / maxUnavailable / scatter / priority fields, and the parts of
core pod validation (run there on a fake Pod of the sidecar containers) that those tests exercise.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kruise_render.k8s import intstr, naming, updatestrategy

Bad = Callable[[tuple[Any, ...], str], None]



def qualified_name_problem(key: str) -> str:
    """validation.IsQualifiedName: an optional DNS-subdomain prefix and a name of at most 63."""
    prefix, slash, name = key.rpartition("/")
    if slash and not naming.is_dns1123_subdomain(prefix):
        return f"invalid label key {key!r}: the prefix must be a DNS subdomain"
    if not naming.is_qualified_name_part(name):
        return (f"invalid label key {key!r}: a name of at most 63 alphanumerics, '-', '_' or '.', "
                "starting and ending with an alphanumeric")
    return ""


def label_value_problem(value: str) -> str:
    """validation.IsValidLabelValue."""
    if not naming.is_label_value(value):
        return (f"invalid label value {value!r}: at most 63 alphanumerics, '-', '_' or '.', "
                "starting and ending with an alphanumeric")
    return ""


def selector_labels(selector: dict[str, Any], path: tuple[Any, ...], bad: Bad) -> None:
    """The key and value syntax metav1validation.ValidateLabelSelector checks."""
    for key, value in (selector.get("matchLabels") or {}).items():
        problem = qualified_name_problem(str(key)) or label_value_problem(str(value))
        if problem:
            bad(path + ("matchLabels", key), problem)
    for i, req in enumerate(selector.get("matchExpressions") or []):
        problem = qualified_name_problem(str(req.get("key")))
        if problem:
            bad(path + ("matchExpressions", i, "key"), problem)
        if req.get("operator") in ("In", "NotIn"):
            for j, value in enumerate(req.get("values") or []):
                problem = label_value_problem(str(value))
                if problem:
                    bad(path + ("matchExpressions", i, "values", j), problem)


def update_strategy(strategy: dict[str, Any], bad: Bad) -> None:
    """validateSidecarSetUpdateStrategy beyond the selector: only for RollingUpdate."""
    if strategy.get("type") != "RollingUpdate":
        return
    here = ("spec", "updateStrategy")
    for key in ("partition", "maxUnavailable"):
        value = strategy.get(key)
        if isinstance(value, str) and not intstr.is_valid_percent(value):
            bad(here + (key,), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%')")
        elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
            bad(here + (key,), "must be greater than or equal to 0")
    # The priority and scatter rules CloneSet and Advanced StatefulSet share (FieldsValidation).
    for problem in updatestrategy.scatter_problems(strategy.get("scatterStrategy")):
        bad(here + ("scatterStrategy", *problem.path), problem.message)
    for problem in updatestrategy.priority_problems(strategy.get("priorityStrategy")):
        bad(here + ("priorityStrategy", *problem.path), problem.message)


def container_core(c: dict[str, Any], here: tuple[Any, ...], bad: Bad) -> None:
    """Core pod validation of one sidecar container (validateContainerCommon): a DNS-1123 label
    name, an image, and no path used both as a mountPath and a devicePath (reported on both
    sides, as validateVolumeDevices does)."""
    name = c.get("name")
    if isinstance(name, str) and name and not naming.is_dns1123_label(name):
        bad(here + ("name",), f"invalid container name {name!r}: a lowercase RFC 1123 label "
            "(alphanumerics and '-', at most 63 characters)")
    if not c.get("image"):
        bad(here + ("image",), "Required value")
    mount_list = _entries(c.get("volumeMounts"))
    device_list = _entries(c.get("volumeDevices"))
    mounts = {p for m in mount_list if isinstance(p := m.get("mountPath"), str)}
    devices = {p for d in device_list if isinstance(p := d.get("devicePath"), str)}
    for j, mount in enumerate(mount_list):
        if isinstance(mount.get("mountPath"), str) and mount["mountPath"] in devices:
            bad(here + ("volumeMounts", j, "mountPath"), f"{mount.get('mountPath')!r}: must not already exist as a path in volumeDevices")
    for j, device in enumerate(device_list):
        if isinstance(device.get("devicePath"), str) and device["devicePath"] in mounts:
            bad(here + ("volumeDevices", j, "devicePath"), f"{device.get('devicePath')!r}: must not already exist as a path in volumeMounts")


def _entries(value: Any) -> list[dict[str, Any]]:
    """The mapping entries of a list field; other shapes are the schema's to report."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
