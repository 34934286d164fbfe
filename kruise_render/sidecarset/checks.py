"""More of the SidecarSet validating webhook's single-object rules (pkg/webhook/sidecarset/
validating/sidecarset_create_update_handler.go), found missing by porting Kruise's own
TestValidateSidecarSet: label syntax in selectors (metav1validation.ValidateLabelSelector), the
RollingUpdate strategy's partition / maxUnavailable / scatter / priority fields, and the parts of
core pod validation (run there on a fake Pod of the sidecar containers) that those tests exercise.
"""
from __future__ import annotations

from collections.abc import Iterator

from kruise_render.diagnostics import FieldError
from kruise_render.k8s import intstr, naming, updatestrategy
from kruise_render.obj import Obj, get_list, get_map, get_str, maps


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


def selector_labels(selector: Obj) -> Iterator[FieldError]:
    """The key and value syntax metav1validation.ValidateLabelSelector checks (of a selector
    selectors.validate accepted)."""
    for key, value in get_map(selector, "matchLabels").items():
        problem = qualified_name_problem(str(key)) or label_value_problem(str(value))
        if problem:
            yield FieldError(problem, ("matchLabels", key))
    for i, req in maps(selector.get("matchExpressions")):
        problem = qualified_name_problem(str(req.get("key")))
        if problem:
            yield FieldError(problem, ("matchExpressions", i, "key"))
        if req.get("operator") in ("In", "NotIn"):
            for j, value in enumerate(get_list(req, "values")):
                problem = label_value_problem(str(value))
                if problem:
                    yield FieldError(problem, ("matchExpressions", i, "values", j))


def update_strategy(strategy: Obj) -> Iterator[FieldError]:
    """validateSidecarSetUpdateStrategy beyond the selector: only for RollingUpdate."""
    if strategy.get("type") != "RollingUpdate":
        return
    for key in ("partition", "maxUnavailable"):
        value = strategy.get(key)
        if isinstance(value, str) and not intstr.is_valid_percent(value):
            yield FieldError("a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%')", (key,))
        elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
            yield FieldError("must be greater than or equal to 0", (key,))
    # The priority and scatter rules CloneSet and Advanced StatefulSet share (FieldsValidation).
    yield from (e.under("scatterStrategy") for e in updatestrategy.scatter_problems(strategy.get("scatterStrategy")))
    yield from (e.under("priorityStrategy") for e in updatestrategy.priority_problems(strategy.get("priorityStrategy")))


def container_core(c: Obj) -> Iterator[FieldError]:
    """Core pod validation of one sidecar container (validateContainerCommon): a DNS-1123 label
    name, an image, and no path used both as a mountPath and a devicePath (reported on both
    sides, as validateVolumeDevices does)."""
    name = c.get("name")
    if isinstance(name, str) and name and not naming.is_dns1123_label(name):
        yield FieldError(f"invalid container name {name!r}: a lowercase RFC 1123 label "
                         "(alphanumerics and '-', at most 63 characters)", ("name",))
    if not c.get("image"):
        yield FieldError("Required value", ("image",))
    mount_list = list(maps(c.get("volumeMounts")))
    device_list = list(maps(c.get("volumeDevices")))
    mounts = {p for _, m in mount_list if (p := get_str(m, "mountPath")) is not None}
    devices = {p for _, d in device_list if (p := get_str(d, "devicePath")) is not None}
    for j, mount in mount_list:
        if get_str(mount, "mountPath") in devices:
            yield FieldError(f"{mount.get('mountPath')!r}: must not already exist as a path in volumeDevices",
                             ("volumeMounts", j, "mountPath"))
    for j, device in device_list:
        if get_str(device, "devicePath") in mounts:
            yield FieldError(f"{device.get('devicePath')!r}: must not already exist as a path in volumeMounts",
                             ("volumeDevices", j, "devicePath"))
