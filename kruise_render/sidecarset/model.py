"""A SidecarSet as the pod webhook sees it: converted to v1beta1, defaulted, validated, hashed.

Validation mirrors the SidecarSet validating webhook's single-object rules
(pkg/webhook/sidecarset/validating/sidecarset_create_update_handler.go validateSidecarSetSpec),
because Kruise would never have stored a SidecarSet that fails them (spec §3).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from kruise_render.diagnostics import format_path
from kruise_render.document import Document
from kruise_render.k8s import naming, selectors
from kruise_render.k8s.gotypes import GoTypeError, normalize
from kruise_render.sidecarset import checks, convert, defaults
from kruise_render.sidecarset import hash as sshash
from kruise_render.sidecarset.convert import METADATA_NAME_LABEL

Report = Callable[[tuple[Any, ...], str], None]
_NAME = re.compile(r"^[a-zA-Z0-9\-]+$")
_QUALIFIED = naming.QUALIFIED_NAME
# metadata.labels['k'] / metadata.annotations['k']: the only field paths transferEnv can use.
FIELD_PATH = re.compile(r"^(metadata\.(?:labels|annotations))\['(.*)'\]$")


@dataclasses.dataclass
class SidecarSet:
    doc: Document
    name: str
    spec: dict[str, Any]  # converted and defaulted private copy
    containers: list[dict[str, Any]]  # Go view of spec.containers (gotypes.normalize)
    init_containers: list[dict[str, Any]]
    hash: str
    hash_without_image: str

    @property
    def paused(self) -> bool:
        return bool((self.spec.get("injectionStrategy") or {}).get("paused"))

    @property
    def selector(self) -> dict[str, Any] | None:
        return self.spec.get("selector")

    @property
    def namespace_selector(self) -> dict[str, Any] | None:
        return self.spec.get("namespaceSelector")

    @property
    def pinned_namespaces(self) -> tuple[str, ...] | None:
        """The informer index value (pkg/util/fieldindex IndexSidecarSetV1Beta1); None = clusterScope."""
        ns = self.namespace_selector
        if not ns:
            return None
        labels = ns.get("matchLabels") or {}
        if METADATA_NAME_LABEL in labels:
            return (str(labels[METADATA_NAME_LABEL]),)
        for req in ns.get("matchExpressions") or []:
            if req.get("key") == METADATA_NAME_LABEL and req.get("operator") == "In":
                return tuple(str(v) for v in req.get("values") or [])
        return None

    @property
    def volumes(self) -> dict[str, dict[str, Any]]:
        return {str(v.get("name")): v for v in self.spec.get("volumes") or [] if isinstance(v, dict)}


def load(doc: Document, report: Report, warn: Report) -> SidecarSet | None:
    """Convert, default, validate and hash one SidecarSet; None (after reporting) when invalid."""
    data = convert.to_v1beta1(doc.data)
    spec = data.get("spec")
    name = doc.name
    if not isinstance(spec, dict):
        report(("spec",), "required: a SidecarSet needs a spec")
        return None
    problems: list[tuple[tuple[Any, ...], str]] = []
    _check_shape(spec, problems)
    if problems:
        for path, message in problems:
            report(path, message)
        return None
    containers: list[dict[str, Any]] = []
    inits: list[dict[str, Any]] = []
    try:  # Go's decoding first: the defaults and checks below rely on the types
        for key, into in (("containers", containers), ("initContainers", inits)):
            for i, c in enumerate(spec.get(key) or []):
                into.append(normalize(c, "SidecarContainer", lambda p, k=key: warn(("spec", k) + p, _PRUNED), (i,)))
    except GoTypeError as exc:
        report(("spec", key) + exc.path, str(exc))
        return None
    defaults.apply(spec)
    _validate(name, spec, problems)
    _warn_unknown_patch_policies(spec, warn)
    if problems:
        for path, message in problems:
            report(path, message)
        return None
    containers = [normalize(c, "SidecarContainer") for c in spec.get("containers") or []]
    inits = [normalize(c, "SidecarContainer") for c in spec.get("initContainers") or []]
    digest, digest_without_image = sshash.hashes(spec)
    return SidecarSet(doc, name, spec, containers, inits, digest, digest_without_image)


_PRUNED = "unknown field: Kruise v1.9.0 does not know it, so the apiserver prunes it and it is not injected"


def _check_shape(spec: dict[str, Any], problems: list[tuple[tuple[Any, ...], str]]) -> None:
    """The types the code below relies on (a CRD schema would reject the rest)."""
    for key in ("containers", "initContainers", "volumes", "imagePullSecrets", "patchPodMetadata"):
        value = spec.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append((("spec", key), "must be a list"))
            continue
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                problems.append((("spec", key, i), "must be a mapping"))
            elif key in ("containers", "initContainers"):
                for sub in ("env", "volumeMounts", "volumeDevices", "ports", "transferEnv"):
                    if item.get(sub) is not None and not (isinstance(item[sub], list) and all(isinstance(x, dict) for x in item[sub])):
                        problems.append((("spec", key, i, sub), "must be a list of mappings"))
    for key in ("selector", "namespaceSelector", "injectionStrategy", "updateStrategy"):
        if spec.get(key) is not None and not isinstance(spec[key], dict):
            problems.append((("spec", key), "must be a mapping"))


def _warn_unknown_patch_policies(spec: dict[str, Any], warn: Report) -> None:
    """The CRD types patchPolicy as a plain string and the webhook only requires it non-empty
    (sidecarset_create_update_handler.go), so Kruise v1.9.0 accepts any value; PatchPodMetadata
    (pkg/control/sidecarcontrol/util.go) has no case for an unknown one and patches nothing."""
    for i, patch in enumerate(spec.get("patchPodMetadata") or []):
        policy = patch.get("patchPolicy")
        if policy not in ("Retain", "Overwrite", "MergePatchJson"):
            warn(("spec", "patchPodMetadata", i, "patchPolicy"),
                 f"unknown patchPolicy {policy!r}: Kruise v1.9.0 accepts the SidecarSet but patches none of these "
                 "annotations into pods (Retain, Overwrite or MergePatchJson)")


def _validate(name: str, spec: dict[str, Any], problems: list[tuple[tuple[Any, ...], str]]) -> None:
    def bad(path: tuple[Any, ...], message: str) -> None:
        problems.append((path, message))

    if not _NAME.fullmatch(name):
        bad(("metadata", "name"), "sidecarset name must consist of alphanumeric characters or '-'")
    if len(name) > 63:
        bad(("metadata", "name"), "must be no more than 63 characters")
    inits = spec.get("initContainers") or []
    containers = spec.get("containers") or []
    strategy = spec.get("updateStrategy") or {}
    if any(c.get("restartPolicy") == "Always" for c in inits) and strategy.get("type") == "RollingUpdate":
        bad(("spec", "updateStrategy"),
            "The initContainer in-place upgrade is not currently supported (native sidecar initContainers need updateStrategy.type: NotUpdate)")
    if spec.get("selector") is None:
        bad(("spec", "selector"), "no selector defined for SidecarSet")
    for key in ("selector", "namespaceSelector"):
        if spec.get(key) is not None:
            _selector(spec[key], ("spec", key), bad)
    checks.update_strategy(strategy, bad)
    if strategy.get("type") == "RollingUpdate" and strategy.get("selector") is not None:
        if strategy.get("partition") not in (None, 0):
            bad(("spec", "updateStrategy"), "Partition and Selector cannot be used together")
        _selector(strategy["selector"], ("spec", "updateStrategy", "selector"), bad)
    revision = (spec.get("injectionStrategy") or {}).get("revision")
    if isinstance(revision, dict):
        if revision.get("policy") not in ("Always", "Partial"):
            bad(("spec", "injectionStrategy", "revision", "policy"), f"Invalid policy {revision.get('policy')}, supported: [Always, Partial]")
    if not inits and not containers:
        bad(("spec",), "no initContainer or container defined for SidecarSet")
    _containers(spec, bad)
    keys: set[str] = set()
    for i, patch in enumerate(spec.get("patchPodMetadata") or []):
        annotations = patch.get("annotations")
        if not annotations or not isinstance(annotations, dict):
            bad(("spec", "patchPodMetadata", i, "annotations"), "no annotations defined for SidecarSet")
            continue
        for key, value in annotations.items():
            if not _QUALIFIED.fullmatch(str(key).lower()) or len(str(key).rpartition("/")[2]) > 63:
                bad(("spec", "patchPodMetadata", i, "annotations", key), f"invalid annotation key {key!r}: not a qualified name")
            if not isinstance(value, str):
                bad(("spec", "patchPodMetadata", i, "annotations", key), "annotation values must be strings")
            if key in keys:
                bad(("spec", "patchPodMetadata", i, "annotations", key), f"patch annotation[{key}] already exist")
            keys.add(key)


def _selector(selector: Any, path: tuple[Any, ...], bad: Callable[[tuple[Any, ...], str], None]) -> None:
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        bad(path + tuple(exc.path), str(exc))
        return
    checks.selector_labels(selector, path, bad)
    if selectors.is_empty(selector):
        bad(path, "empty selector is not valid for sidecarset.")


def _containers(spec: dict[str, Any], bad: Callable[[tuple[Any, ...], str], None]) -> None:
    """validateContainersForSidecarSet, reduced to what injection depends on."""
    volumes = {v.get("name") for v in spec.get("volumes") or [] if isinstance(v, dict) and isinstance(v.get("name"), str)}
    seen: dict[str, tuple[Any, ...]] = {}
    for v_index, volume in enumerate(spec.get("volumes") or []):
        name = volume.get("name") if isinstance(volume, dict) else None
        if not name or not isinstance(name, str):
            bad(("spec", "volumes", v_index, "name"), "Required value")
    for key in ("initContainers", "containers"):
        for i, c in enumerate(spec.get(key) or []):
            here = ("spec", key, i)
            cname = c.get("name")
            if not cname or not isinstance(cname, str):
                bad(here + ("name",), "Required value")
            elif cname in seen:
                bad(here + ("name",), f"Duplicate value: {cname!r} (also at {format_path(seen[cname])})")
            else:
                seen[cname] = here
            checks.container_core(c, here, bad)
            if key == "containers" and c.get("podInjectPolicy") not in (defaults.BEFORE, defaults.AFTER):
                bad(here + ("podInjectPolicy",), f"unsupported pod inject policy {c.get('podInjectPolicy')!r}")
            if (c.get("shareVolumePolicy") or {}).get("type") not in ("enabled", "disabled"):
                bad(here + ("shareVolumePolicy",), "unsupported share volume policy")
            device_policy = c.get("shareVolumeDevicePolicy")
            if isinstance(device_policy, dict) and device_policy.get("type") not in ("enabled", "disabled", None, ""):
                bad(here + ("shareVolumeDevicePolicy",), "unsupported share volume device policy")
            upgrade = c.get("upgradeStrategy") or {}
            if upgrade.get("upgradeType") not in ("ColdUpgrade", "HotUpgrade"):
                bad(here + ("upgradeStrategy", "upgradeType"), "must be ColdUpgrade or HotUpgrade")
            elif upgrade.get("upgradeType") == "HotUpgrade" and not upgrade.get("hotUpgradeEmptyImage") and (
                    key == "containers" or c.get("restartPolicy") == "Always"):
                bad(here + ("upgradeStrategy", "hotUpgradeEmptyImage"),
                    f"required for HotUpgrade: Kruise injects {cname}-2 with this image, and the apiserver rejects a "
                    "container without one")
            for m_key, what in (("volumeMounts", "volumeMount"), ("volumeDevices", "volumeDevice")):
                for j, mount in enumerate(c.get(m_key) or []):
                    mount_name = mount.get("name") if isinstance(mount, dict) else None
                    if not isinstance(mount_name, str) or mount_name not in volumes:
                        bad(here + (m_key, j, "name"), f"Not found: {mount_name!r} ({what} names no volume in spec.volumes)")
            for j, transfer in enumerate(c.get("transferEnv") or [] if key == "containers" else []):
                _transfer(transfer, here + ("transferEnv", j), bad)  # validateDownwardAPI: containers only
            policy = c.get("resourcesPolicy")
            if policy is not None:
                _resources_policy(c, key, here, bad)


def _transfer(transfer: dict[str, Any], path: tuple[Any, ...], bad: Callable[[tuple[Any, ...], str], None]) -> None:
    source = transfer.get("sourceContainerNameFrom")
    ref = source.get("fieldRef") if isinstance(source, dict) else None
    if not isinstance(ref, dict):
        return
    field_path = str(ref.get("fieldPath") or "")
    here = path + ("sourceContainerNameFrom", "fieldRef")
    if not field_path:
        bad(here + ("fieldPath",), "Required value")
        return
    # sidecarcontrol.ConvertDownwardAPIFieldLabel: pod version v1 (an empty apiVersion was
    # defaulted to it), and only a subscripted metadata.labels / metadata.annotations
    if ref.get("apiVersion") != "v1":
        bad(here + ("fieldPath",), f"error converting fieldPath: unsupported pod version: {ref.get('apiVersion')}")
        return
    match = FIELD_PATH.fullmatch(field_path)
    if match:
        subscript = match.group(2)
        if not _QUALIFIED.fullmatch(subscript.lower() if match.group(1).endswith("annotations") else subscript):
            bad(here + ("fieldPath",), f"invalid key {subscript!r}: not a qualified name")
    else:
        head = _subscripted_head(field_path)
        problem = f"field path not supported: {head}" if head else f"field label not supported: {field_path}"
        bad(here + ("fieldPath",), f"error converting fieldPath: {problem}")


def _subscripted_head(field_path: str) -> str:
    """The path of k8s.io/kubernetes/pkg/fieldpath SplitMaybeSubscriptedPath when it splits, else ""."""
    head, sep, _ = field_path.removesuffix("']").partition("['")
    return head if field_path.endswith("']") and sep else ""


def _resources_policy(c: dict[str, Any], key: str, here: tuple[Any, ...], bad: Callable[[tuple[Any, ...], str], None]) -> None:
    from kruise_render.sidecarset import resources  # the expression grammar lives there

    path = here + ("resourcesPolicy",)
    policy = c["resourcesPolicy"]
    if key == "initContainers" and c.get("restartPolicy") != "Always":
        bad(path, "resourcesPolicy is only supported for containers with RestartPolicy Always")
    own = c.get("resources") if isinstance(c.get("resources"), dict) else {}
    if own.get("limits") or own.get("requests"):
        bad(path, "resourcesPolicy and resources cannot be configured together")
        return
    if not isinstance(policy, dict) or not isinstance(policy.get("resourcesExpr") or {}, dict) or not all(
            isinstance(part, dict) for part in (policy.get("resourcesExpr") or {}).values() if part is not None):
        bad(path, "must be a mapping with resourcesExpr.{limits,requests}.{cpu,memory}")
        return
    if policy.get("targetContainersMode") not in ("sum", "max"):
        bad(path + ("targetContainersMode",), "must be sum or max")
    problem = resources.regex_problem(str(policy.get("targetContainersNameRegex") or ""))
    if problem:
        bad(path + ("targetContainersNameRegex",), problem)
    expr = policy.get("resourcesExpr") or {}
    if not expr.get("limits") and not expr.get("requests"):
        bad(path + ("resourcesExpr",), "at least one of limits or requests must be configured")
    for part in ("limits", "requests"):
        for resource in ("cpu", "memory"):
            text = (expr.get(part) or {}).get(resource)
            if text:
                problem = resources.expression_problem(str(text), resource)
                if problem:
                    bad(path + ("resourcesExpr", part, resource), problem)
