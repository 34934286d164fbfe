"""The provenance annotations the pod webhook writes, byte for byte as Go marshals them.

`kruise.io/sidecarset-hash` and `-without-image` are json.Marshal of a
map[string]SidecarSetUpgradeSpec (pkg/control/sidecarcontrol/util.go): keys sorted, struct
fields in declaration order, `updateTimestamp` an RFC 3339 UTC second or null (zero time),
`controllerRevision` omitted when empty. Existing entries are parsed like buildSidecars does
(including the legacy map[string]string form) and re-marshalled, so re-rendering is a no-op.
"""
from __future__ import annotations

import datetime
import json
from typing import TypedDict

from kruise_render.diagnostics import FieldError
from kruise_render.k8s.gojson import marshal

HASH = "kruise.io/sidecarset-hash"
HASH_WITHOUT_IMAGE = "kruise.io/sidecarset-hash-without-image"
INJECTED_LIST = "kruise.io/sidecarset-injected-list"
HOT_UPGRADE_WORKING = "kruise.io/sidecarset-working-hotupgrade-container"
IS_INJECTED = "IS_INJECTED"


class AnnotationError(FieldError):
    """A provenance annotation on the pod that Kruise's webhook cannot unmarshal (it rejects the Pod)."""


def go_time(text: str | None) -> str | None:
    """metav1.Time as it marshals: UTC, second precision, `Z`; None for the zero time."""
    if not text:
        return None
    parsed = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _UpgradeSpec(TypedDict):
    updateTimestamp: str | None
    hash: str
    sidecarSetName: str
    sidecarList: list[str] | None


class UpgradeSpec(_UpgradeSpec, total=False):
    """sidecarcontrol.SidecarSetUpgradeSpec, its fields in Go's order (controllerRevision omitempty)."""

    controllerRevision: str


def entry(timestamp: str | None, digest: str, name: str, sidecar_list: list[str] | None,
          revision: str = "") -> UpgradeSpec:
    out = UpgradeSpec(updateTimestamp=timestamp, hash=digest, sidecarSetName=name, sidecarList=sidecar_list)
    if revision:
        out["controllerRevision"] = revision
    return out


def parse_hashes(value: str | None, key: str) -> dict[str, UpgradeSpec]:
    """An existing hash annotation; AnnotationError when Kruise's webhook would fail the pod."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise AnnotationError(f"invalid annotations[{key}] value {value}, unmarshal failed: {exc}") from None
    if not isinstance(data, dict):
        raise AnnotationError(f"invalid annotations[{key}] value {value}, unmarshal failed: not a JSON object")
    if all(isinstance(v, str) for v in data.values()):
        return {k: entry(None, v, k, None) for k, v in data.items()}  # legacy map[string]string
    out: dict[str, UpgradeSpec] = {}
    for name, item in data.items():
        if item is None:
            item = {}
        if not isinstance(item, dict):
            raise AnnotationError(f"invalid annotations[{key}] value {value}, unmarshal failed: entry {name!r} is not an object")
        try:
            stamp = go_time(item.get("updateTimestamp")) if item.get("updateTimestamp") is not None else None
        except (ValueError, AttributeError, TypeError):
            raise AnnotationError(f"invalid annotations[{key}] value {value}, unmarshal failed: bad updateTimestamp") from None
        sidecars = item.get("sidecarList")
        out[name] = entry(stamp, str(item.get("hash") or ""), str(item.get("sidecarSetName") or ""),
                          [str(s) for s in sidecars] if isinstance(sidecars, list) else None,
                          str(item.get("controllerRevision") or ""))
    return out


def format_hashes(entries: dict[str, UpgradeSpec]) -> str:
    return marshal({k: entries[k] for k in sorted(entries)})


def parse_hot_upgrade(value: str | None) -> dict[str, str]:
    """GetPodHotUpgradeInfoInAnnotations: an unparsable value counts as empty (Kruise logs it)."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) and all(
        isinstance(v, str) for v in data.values()) else {}


def format_string_map(values: dict[str, str]) -> str:
    return marshal({k: values[k] for k in sorted(values)})


def injected_names(value: str | None) -> set[str]:
    return set(value.split(",")) if value else set()


def format_names(names: set[str]) -> str:
    return ",".join(sorted(names))
