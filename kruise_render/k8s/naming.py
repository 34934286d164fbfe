"""Names: Kubernetes' name rules, name limits for generated objects, and output file names.

Name rules, each once (k8s.io/apimachinery@v0.32.10 pkg/util/validation/validation.go):
IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName's parts, IsValidLabelValue and IsConfigMapKey.

Output file layout for `-o DIR`: `<namespace>/<kind>-<name>.<ext>` for objects that name a namespace, and
`<kind>-<name>.<ext>` at the top for the others; lower case, every character outside
`[a-z0-9._-]` replaced by `_`, at most 100 characters per part, never `.` or `..`. A name that
is taken gets `-2`, `-3`, … in stream order, so the layout is the same on every run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kruise_render.k8s.identity import ResourceId

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
QUALIFIED_NAME_MAX = 63  # the name part, after an optional `prefix/`
LABEL_VALUE_MAX = 63

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
_DNS1123_LABEL = re.compile(rf"^{_LABEL}$")
_DNS1123_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
# IsQualifiedName's syntax (an optional DNS-1123 subdomain prefix and `/`, then the name part),
# without its length limits.
QUALIFIED_NAME = re.compile(rf"^({_LABEL}(\.{_LABEL})*/)?{_NAME}$")
_QUALIFIED_NAME_PART = re.compile(rf"^{_NAME}$")
_LABEL_VALUE = re.compile(rf"^({_NAME})?$")


_CONFIG_MAP_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def config_map_key_problem(text: str) -> str | None:
    """IsConfigMapKey (ConfigMap and Secret keys), in its words; None when the key is valid."""
    if len(text) > DNS1123_SUBDOMAIN_MAX:
        return f"must be no more than {DNS1123_SUBDOMAIN_MAX} characters"
    if not _CONFIG_MAP_KEY.match(text):
        return ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name')")
    if text in (".", ".."):
        return f"must not be '{text}'"
    if text.startswith(".."):
        return "must not start with '..'"
    return None


def is_dns1123_label(text: str, max_length: int = DNS1123_LABEL_MAX) -> bool:
    """IsDNS1123Label (lower-case alphanumerics and '-'), within `max_length` characters."""
    return len(text) <= max_length and _DNS1123_LABEL.fullmatch(text) is not None


def is_dns1123_subdomain(text: str) -> bool:
    """IsDNS1123Subdomain: dot-separated DNS-1123 labels, at most 253 characters."""
    return len(text) <= DNS1123_SUBDOMAIN_MAX and _DNS1123_SUBDOMAIN.fullmatch(text) is not None


def is_qualified_name_part(text: str) -> bool:
    """The name part of IsQualifiedName (alphanumerics, '-', '_', '.'), at most 63 characters."""
    return len(text) <= QUALIFIED_NAME_MAX and _QUALIFIED_NAME_PART.fullmatch(text) is not None


def is_label_value(text: str) -> bool:
    """IsValidLabelValue: empty, or a qualified name part."""
    return len(text) <= LABEL_VALUE_MAX and _LABEL_VALUE.fullmatch(text) is not None


_UNSAFE = re.compile(r"[^a-z0-9._-]")
MAX_PART = 100

# metadata.name limits of generated workloads (StatefulSet pods get a `-<ordinal>` and a
# controller-revision-hash label of name + 11 characters, so 52; others DNS-1123 labels, 63).
NAME_LIMITS = {"StatefulSet": 52}
DEFAULT_NAME_LIMIT = 63


def name_limit(kind: str) -> int:
    return NAME_LIMITS.get(kind, DEFAULT_NAME_LIMIT)


def _safe(part: str) -> str:
    text = _UNSAFE.sub("_", part.lower())[:MAX_PART].strip(".")
    return text or "_"


def _folder(namespace: str) -> str:
    """A namespace folder never ends like a file (`namespace-a.yaml/` beside `namespace-a.yaml`)."""
    text = _safe(namespace)
    return text + "_" if text.endswith((".yaml", ".yml", ".json")) else text


def file_names(ids: Iterable[ResourceId], ext: str) -> list[str]:
    """Relative output paths (always with `/`), one per object, unique and deterministic."""
    taken: set[str] = set()
    # The next counter to try per stem: `taken` only grows, so the numbers below it stay taken,
    # and 20,000 objects of one name cost 20,000 lookups, not 200 million (quadratic).
    next_counter: dict[str, int] = {}
    names = []
    for ident in ids:
        stem = f"{_folder(ident.namespace)}/" if ident.namespace else ""
        stem += f"{_safe(ident.kind)}-{_safe(ident.name)}"
        candidate = f"{stem}{ext}"
        if candidate in taken:
            counter = next_counter.get(stem, 2)
            while f"{stem}-{counter}{ext}" in taken:
                counter += 1
            candidate = f"{stem}-{counter}{ext}"
            next_counter[stem] = counter + 1
        taken.add(candidate)
        names.append(candidate)
    return names
