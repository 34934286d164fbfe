"""`kruise.io/sidecarset-hash` and `-without-image` (pkg/control/sidecarcontrol/hash.go).

SHA-256 of json.Marshal({"containers": ..., "initContainers": ...}) over the *defaulted*
SidecarContainers, init containers only when one of them is a native sidecar, then
rand.SafeEncodeString. Kruise's mutating webhook overwrites whatever the user wrote there.
"""
from __future__ import annotations

import hashlib
from typing import Any

from kruise_render.k8s.gojson import marshal
from kruise_render.k8s.gotypes import normalize
from kruise_render.obj import Obj, get_list, maps

_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand.SafeEncodeString


def payload(spec: Obj, with_image: bool = True) -> str:
    """The exact bytes Kruise hashes."""
    def encode(items: list[Any] | None) -> list[Obj] | None:
        if items is None:
            return None
        out = [normalize(c, "SidecarContainer") for c in items]
        if not with_image:
            for c in out:
                c.pop("image", None)
        return out

    value: Obj = {"containers": encode(spec.get("containers"))}
    inits = get_list(spec, "initContainers")
    if any(c.get("restartPolicy") == "Always" for _, c in maps(inits)):
        value["initContainers"] = encode(inits)
    return marshal(value)


def safe_encode(data: str) -> str:
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
    return "".join(_ALPHABET[ord(ch) % len(_ALPHABET)] for ch in digest)


def hashes(spec: Obj) -> tuple[str, str]:
    """(hash, hash without image) of a defaulted v1beta1 spec."""
    return safe_encode(payload(spec)), safe_encode(payload(spec, with_image=False))
