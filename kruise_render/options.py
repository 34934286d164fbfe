"""Options every stage shares, parsed once at the edge (CLI, KRM functionConfig, Argo CD env)."""
from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Mapping

from kruise_render.diagnostics import RenderError

DEFAULT_KUBE_VERSION = (1, 32)

# Every feature gate a stage reads through Options.gate (tests/options_test.py keeps this honest):
# any other name in --feature-gates changes nothing, which is worth a warning (a typo would
# otherwise silently render the default behaviour).
GATES = (
    "EnableSortSidecarContainerByName", "MaxUnavailableStatefulSet", "SidecarSetPatchPodMetadataDefaultsAllowed",
    "StatefulSetAutoDeletePVC", "StatefulSetAutoResizePVCGate", "StatefulSetStartOrdinal",
)


@dataclasses.dataclass(frozen=True)
class Limits:
    """Guards against hostile input; each has a CLI flag that raises it (README, "Limits")."""

    max_document_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 512 * 1024 * 1024
    max_depth: int = 200
    # Nodes after alias expansion, per document (billion-laughs guard).
    max_alias_nodes: int = 200_000
    # Nodes as written, per document: `[1,1,1,…]` costs ~350 bytes of memory per 2 bytes of text.
    max_nodes: int = 500_000


@dataclasses.dataclass(frozen=True)
class Options:
    kube_version: tuple[int, int] = DEFAULT_KUBE_VERSION
    feature_gates: Mapping[str, bool] = dataclasses.field(default_factory=dict)
    allow_lossy: bool = False
    timestamp: str | None = None
    exclude_namespaces: tuple[str, ...] = ("kube-system",)
    keep_unrenderable: bool = False
    expect_rendered: bool = False
    validate_output: bool = False
    nodes_file: str | None = None
    limits: Limits = dataclasses.field(default_factory=Limits)

    def __post_init__(self) -> None:
        # Library callers write the version as they would on the command line ("1.30"); a string
        # here used to fail deep inside a stage with a TypeError.
        if isinstance(self.kube_version, str):
            object.__setattr__(self, "kube_version", parse_kube_version(self.kube_version))

    def gate(self, name: str, default: bool = False) -> bool:
        return self.feature_gates.get(name, default)


_KUBE_VERSION = re.compile(r"^v?1\.(\d+)(?:\.\d+)?$")


def parse_kube_version(value: str) -> tuple[int, int]:
    match = _KUBE_VERSION.match(value.strip())
    if not match:
        raise RenderError(f"--kube-version: expected a version like 1.32, got {value!r}")
    return (1, int(match.group(1)))


def parse_feature_gates(value: str) -> dict[str, bool]:
    gates: dict[str, bool] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, raw = item.partition("=")
        if not sep or not name or raw.lower() not in ("true", "false"):
            raise RenderError(f"--feature-gates: expected NAME=true|false, got {item!r}")
        gates[name.strip()] = raw.lower() == "true"
    return gates


def parse_timestamp(value: str) -> str:
    """Validate RFC 3339 and keep the user's spelling, since it is written into annotations."""
    text = value.strip()
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise RenderError(f"--timestamp: expected RFC 3339 (e.g. 2024-01-02T03:04:05Z), got {value!r}") from None
    if "T" not in text.upper():
        raise RenderError(f"--timestamp: expected a date and a time, got {value!r}")
    return text


def parse_namespaces(value: str) -> tuple[str, ...]:
    return tuple(sorted({part.strip() for part in value.split(",") if part.strip()}))
