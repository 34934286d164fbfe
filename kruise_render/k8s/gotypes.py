"""Go's view of a SidecarSet container: the struct field order of kubernetes/api v0.32 (the
version Kruise v1.9.0 builds with) and Kruise's apis/apps/v1beta1 types, with encoding/json's
omitempty rules.

Kruise stores a SidecarSet as Go structs and re-marshals them: the hash (§4 of the spec) is the
JSON of those structs, and an injected container is written into the Pod the same way. So
`normalize` turns a YAML container into exactly what Go would marshal (field order, omitted
empties, canonical quantities, unknown fields pruned), and `gojson.marshal` prints it like
json.Marshal.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kruise_render.diagnostics import FieldError
from kruise_render.k8s import quantity

# Field kinds. "str"/"int"/"bool": omitempty scalars (dropped when empty/zero/false);
# "str!"/"int!": scalars without omitempty; "ptr": pointer scalar (kept when set, even to 0/false);
# "qty": resource.Quantity value (always emitted); "ios": IntOrString value (always emitted);
# "rl": ResourceList; "map": map[string]string; "[str]": []string; "[T]": list of struct T;
# "*T": pointer to struct T; "T": struct value (always emitted, `{}` when empty).
Fields = tuple[tuple[str, str], ...]

TYPES: dict[str, Fields] = {
    "Container": (
        ("name", "str!"), ("image", "str"), ("command", "[str]"), ("args", "[str]"), ("workingDir", "str"),
        ("ports", "[ContainerPort]"), ("envFrom", "[EnvFromSource]"), ("env", "[EnvVar]"),
        ("resources", "ResourceRequirements"), ("resizePolicy", "[ContainerResizePolicy]"),
        ("restartPolicy", "ptr"), ("volumeMounts", "[VolumeMount]"), ("volumeDevices", "[VolumeDevice]"),
        ("livenessProbe", "*Probe"), ("readinessProbe", "*Probe"), ("startupProbe", "*Probe"),
        ("lifecycle", "*Lifecycle"), ("terminationMessagePath", "str"), ("terminationMessagePolicy", "str"),
        ("imagePullPolicy", "str"), ("securityContext", "*SecurityContext"), ("stdin", "bool"),
        ("stdinOnce", "bool"), ("tty", "bool"),
    ),
    "ContainerPort": (
        ("name", "str"), ("hostPort", "int"), ("containerPort", "int!"), ("protocol", "str"), ("hostIP", "str"),
    ),
    "EnvFromSource": (("prefix", "str"), ("configMapRef", "*OptionalRef"), ("secretRef", "*OptionalRef")),
    "OptionalRef": (("name", "str"), ("optional", "ptr")),
    "EnvVar": (("name", "str!"), ("value", "str"), ("valueFrom", "*EnvVarSource")),
    "EnvVarSource": (
        ("fieldRef", "*ObjectFieldSelector"), ("resourceFieldRef", "*ResourceFieldSelector"),
        ("configMapKeyRef", "*KeySelector"), ("secretKeyRef", "*KeySelector"),
    ),
    "ObjectFieldSelector": (("apiVersion", "str"), ("fieldPath", "str!")),
    "ResourceFieldSelector": (("containerName", "str"), ("resource", "str!"), ("divisor", "qty")),
    "KeySelector": (("name", "str"), ("key", "str!"), ("optional", "ptr")),
    "ResourceRequirements": (("limits", "rl"), ("requests", "rl"), ("claims", "[ResourceClaim]")),
    "ResourceClaim": (("name", "str!"), ("request", "str")),
    "ContainerResizePolicy": (("resourceName", "str!"), ("restartPolicy", "str!")),
    "VolumeMount": (
        ("name", "str!"), ("readOnly", "bool"), ("recursiveReadOnly", "ptr"), ("mountPath", "str!"),
        ("subPath", "str"), ("mountPropagation", "ptr"), ("subPathExpr", "str"),
    ),
    "VolumeDevice": (("name", "str!"), ("devicePath", "str!")),
    "Probe": (
        ("exec", "*ExecAction"), ("httpGet", "*HTTPGetAction"), ("tcpSocket", "*TCPSocketAction"),
        ("grpc", "*GRPCAction"), ("initialDelaySeconds", "int"), ("timeoutSeconds", "int"),
        ("periodSeconds", "int"), ("successThreshold", "int"), ("failureThreshold", "int"),
        ("terminationGracePeriodSeconds", "ptr"),
    ),
    "ExecAction": (("command", "[str]"),),
    "HTTPGetAction": (
        ("path", "str"), ("port", "ios"), ("host", "str"), ("scheme", "str"), ("httpHeaders", "[HTTPHeader]"),
    ),
    "HTTPHeader": (("name", "str!"), ("value", "str!")),
    "TCPSocketAction": (("port", "ios"), ("host", "str")),
    "GRPCAction": (("port", "int!"), ("service", "ptr!")),
    "Lifecycle": (("postStart", "*LifecycleHandler"), ("preStop", "*LifecycleHandler")),
    "LifecycleHandler": (
        ("exec", "*ExecAction"), ("httpGet", "*HTTPGetAction"), ("tcpSocket", "*TCPSocketAction"),
        ("sleep", "*SleepAction"),
    ),
    "SleepAction": (("seconds", "int!"),),
    "SecurityContext": (
        ("capabilities", "*Capabilities"), ("privileged", "ptr"), ("seLinuxOptions", "*SELinuxOptions"),
        ("windowsOptions", "*WindowsSecurityContextOptions"), ("runAsUser", "ptr"), ("runAsGroup", "ptr"),
        ("runAsNonRoot", "ptr"), ("readOnlyRootFilesystem", "ptr"), ("allowPrivilegeEscalation", "ptr"),
        ("procMount", "ptr"), ("seccompProfile", "*Profile"), ("appArmorProfile", "*Profile"),
    ),
    "Capabilities": (("add", "[str]"), ("drop", "[str]")),
    "SELinuxOptions": (("user", "str"), ("role", "str"), ("type", "str"), ("level", "str")),
    "WindowsSecurityContextOptions": (
        ("gmsaCredentialSpecName", "ptr"), ("gmsaCredentialSpec", "ptr"), ("runAsUserName", "ptr"),
        ("hostProcess", "ptr"),
    ),
    "Profile": (("type", "str!"), ("localhostProfile", "ptr")),
    # apis/apps/v1beta1/sidecarset_types.go: SidecarContainer = inline Container + these.
    "SidecarExtras": (
        ("podInjectPolicy", "str"), ("upgradeStrategy", "UpgradeStrategy"), ("shareVolumePolicy", "ShareVolumePolicy"),
        ("shareVolumeDevicePolicy", "*ShareVolumePolicy"), ("transferEnv", "[TransferEnvVar]"),
        ("resourcesPolicy", "*ResourcesPolicy"),
    ),
    "UpgradeStrategy": (("upgradeType", "str"), ("hotUpgradeEmptyImage", "str")),
    "ShareVolumePolicy": (("type", "str"),),
    "TransferEnvVar": (
        ("sourceContainerName", "str"), ("sourceContainerNameFrom", "*SourceContainerNameSource"),
        ("envName", "str"), ("envNames", "[str]"),
    ),
    "SourceContainerNameSource": (("fieldRef", "*ObjectFieldSelector"),),
    "ResourcesPolicy": (
        ("targetContainersMode", "str!"), ("targetContainersNameRegex", "str"), ("resourcesExpr", "ResourcesExpr"),
    ),
    "ResourcesExpr": (("limits", "*ResourceExpr"), ("requests", "*ResourceExpr")),
    "ResourceExpr": (("cpu", "str"), ("memory", "str")),
}
TYPES["SidecarContainer"] = TYPES["Container"] + TYPES["SidecarExtras"]

Unknown = Callable[[tuple[Any, ...]], None]


class GoTypeError(FieldError):
    """A value Go could not decode into the field's type; `path` is relative to the container."""


def normalize(value: Any, type_name: str, on_unknown: Unknown | None = None, path: tuple[Any, ...] = ()) -> dict[str, Any]:
    """`value` (a mapping from YAML) as Go would marshal it; unknown fields go to `on_unknown`."""
    if not isinstance(value, dict):
        raise GoTypeError(f"must be a mapping ({type_name}), got {type(value).__name__}", path)
    fields = TYPES[type_name]
    known = {name for name, _ in fields}
    if on_unknown is not None:
        for key in value:
            if key not in known:
                on_unknown(path + (key,))
    out: dict[str, Any] = {}
    for name, kind in fields:
        present = name in value and value[name] is not None
        item = value.get(name)
        if kind in ("str", "int", "bool"):
            if present and item not in ("", 0, False):
                out[name] = item
        elif kind in ("str!", "int!"):
            out[name] = item if present else ("" if kind == "str!" else 0)
        elif kind == "ptr":
            if present:
                out[name] = item
        elif kind == "ptr!":
            out[name] = item if present else None
        elif kind == "qty":
            out[name] = _quantity(item, path + (name,)) if present else "0"
        elif kind == "ios":
            out[name] = item if present else 0
        elif kind == "rl":
            if present and item:
                if not isinstance(item, dict):
                    raise GoTypeError("must be a mapping of resource quantities", path + (name,))
                out[name] = {k: _quantity(item[k], path + (name, k)) for k in sorted(item)}
        elif kind.startswith("["):
            if present and item and not isinstance(item, list):
                raise GoTypeError("must be a list", path + (name,))
            if present and item and kind == "[str]":
                out[name] = list(item)
            elif present and item:
                sub = kind[1:-1]
                out[name] = [normalize(x or {}, sub, on_unknown, path + (name, i)) for i, x in enumerate(item)]
        elif kind.startswith("*"):
            if present:
                out[name] = normalize(item, kind[1:], on_unknown, path + (name,))
        else:
            out[name] = normalize(item if present else {}, kind, on_unknown, path + (name,))
    return out


def _quantity(value: Any, path: tuple[Any, ...]) -> str:
    try:
        return quantity.canonical(quantity.parse(value))
    except quantity.QuantityError as exc:
        raise GoTypeError(str(exc), path) from None


def container_part(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The embedded corev1.Container of a normalized SidecarContainer (what the Pod receives)."""
    return {name: sidecar[name] for name, _ in TYPES["Container"] if name in sidecar}
