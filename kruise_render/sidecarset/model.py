"""A SidecarSet as the pod webhook sees it: converted to v1beta1, defaulted, validated, hashed,
and parsed once into the typed values everything downstream reads (YAML ends here).

Validation mirrors the SidecarSet validating webhook's single-object rules
(pkg/webhook/sidecarset/validating/sidecarset_create_update_handler.go validateSidecarSetSpec),
because Kruise would never have stored a SidecarSet that fails them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from kruise_render.diagnostics import FieldError, FieldPath, PathPart, format_path
from kruise_render.document import Document
from kruise_render.k8s import naming, selectors
from kruise_render.k8s.gotypes import GoTypeError, normalize
from kruise_render.obj import Obj, get_list, get_map, get_str, maps
from kruise_render.record import FrozenRecord, Record
from kruise_render.sidecarset import checks, convert, defaults, resources
from kruise_render.sidecarset import hash as sshash
from kruise_render.sidecarset.convert import METADATA_NAME_LABEL
from kruise_render.sidecarset.patchmeta import MetadataPatch
from kruise_render.sidecarset.resources import ResourcesPolicy

_NAME = re.compile(r"^[a-zA-Z0-9\-]+$")
_QUALIFIED = naming.QUALIFIED_NAME
# metadata.labels['k'] / metadata.annotations['k']: the only field paths transferEnv can use.
FIELD_PATH = re.compile(r"^(metadata\.(?:labels|annotations))\['(.*)'\]$")


class TransferEnv(FrozenRecord):
    """One transferEnv entry: env vars copied from an app container of the pod."""

    __slots__ = ("container", "from_metadata", "names")

    names: tuple[str, ...]  # envName and envNames, sorted, each once
    container: str  # sourceContainerName
    # sourceContainerNameFrom.fieldRef: the container is named by this pod label or annotation,
    # ("labels" | "annotations", key)
    from_metadata: tuple[str, str] | None

    def __init__(self, names: tuple[str, ...], container: str = "",
                 from_metadata: tuple[str, str] | None = None) -> None:
        self._init(names, container, from_metadata)


class Sidecar(FrozenRecord):
    """One defaulted SidecarContainer. `go` is Go's view of it (gotypes.normalize): what Kruise
    hashes and copies into the Pod; the other fields are read from it once."""

    __slots__ = ("before_app", "go", "hot_upgrade", "name", "native", "resources_policy", "share_devices",
                 "share_volumes", "transfer_env", "volume_names")

    name: str
    go: Obj
    before_app: bool  # podInjectPolicy BeforeAppContainer
    native: bool  # restartPolicy Always (a native sidecar, for an init container)
    hot_upgrade: bool  # upgradeStrategy.upgradeType HotUpgrade
    share_volumes: bool  # shareVolumePolicy.type enabled
    share_devices: bool  # shareVolumeDevicePolicy.type enabled
    volume_names: tuple[str, ...]  # of its volumeMounts, then its volumeDevices
    transfer_env: tuple[TransferEnv, ...]  # without the entries Kruise skips
    resources_policy: ResourcesPolicy | None

    def __init__(self, name: str, go: Obj, before_app: bool, native: bool, hot_upgrade: bool, share_volumes: bool,
                 share_devices: bool, volume_names: tuple[str, ...], transfer_env: tuple[TransferEnv, ...],
                 resources_policy: ResourcesPolicy | None) -> None:
        self._init(name, go, before_app, native, hot_upgrade, share_volumes, share_devices, volume_names, transfer_env,
                   resources_policy)


class Volume(FrozenRecord):
    __slots__ = ("body", "name")
    name: str
    body: Obj  # the defaulted corev1.Volume, as injected

    def __init__(self, name: str, body: Obj) -> None:
        self._init(name, body)


class SidecarSet(FrozenRecord):
    __slots__ = ("containers", "doc", "hash", "hash_without_image", "historical_revision", "image_pull_secrets",
                 "init_containers", "name", "namespace_selector", "patches", "paused", "pinned_namespaces", "selector",
                 "volumes")
    doc: Document
    name: str
    selector: Obj  # a valid, non-empty metav1.LabelSelector
    namespace_selector: Obj | None
    # The informer index value (pkg/util/fieldindex IndexSidecarSetV1Beta1); None = clusterScope.
    pinned_namespaces: tuple[str, ...] | None
    paused: bool
    historical_revision: bool  # injectionStrategy.revision names a revisionName or customVersion
    containers: tuple[Sidecar, ...]
    init_containers: tuple[Sidecar, ...]
    volumes: tuple[Volume, ...]
    image_pull_secrets: tuple[str, ...]  # names
    patches: tuple[MetadataPatch, ...]
    hash: str
    hash_without_image: str

    def __init__(self, doc: Document, name: str, selector: Obj, namespace_selector: Obj | None,
                 pinned_namespaces: tuple[str, ...] | None, paused: bool, historical_revision: bool,
                 containers: tuple[Sidecar, ...], init_containers: tuple[Sidecar, ...], volumes: tuple[Volume, ...],
                 image_pull_secrets: tuple[str, ...], patches: tuple[MetadataPatch, ...], hash: str,
                 hash_without_image: str) -> None:
        self._init(doc, name, selector, namespace_selector, pinned_namespaces, paused, historical_revision, containers,
                   init_containers, volumes, image_pull_secrets, patches, hash, hash_without_image)

    @property
    def volume_by_name(self) -> dict[str, Obj]:
        return {v.name: v.body for v in self.volumes}


class Loaded(Record):
    """What `load` found in one SidecarSet: the SidecarSet (None when Kruise would not store it),
    its problems and its warnings, with paths from the object's root."""

    __slots__ = ("errors", "sidecarset", "warnings")

    sidecarset: SidecarSet | None
    errors: list[FieldError]
    warnings: list[FieldError]

    def __init__(self, sidecarset: SidecarSet | None, errors: list[FieldError], warnings: list[FieldError]) -> None:
        self._init(sidecarset, errors, warnings)


def load(doc: Document) -> Loaded:
    """Convert, default, validate, hash and parse one SidecarSet."""
    spec = convert.to_v1beta1(doc.data).get("spec")
    if not isinstance(spec, dict):
        return Loaded(None, [FieldError("required: a SidecarSet needs a spec", ("spec",))], [])
    errors = list(_shape(spec))
    if errors:
        return Loaded(None, errors, [])
    warnings: list[FieldError] = []
    try:  # Go's decoding first: the defaults and checks below rely on the types
        _decode(spec, warnings)
    except FieldError as exc:
        return Loaded(None, [exc], warnings)
    defaults.apply(spec)
    errors = list(_validate(doc.name, spec))
    warnings.extend(_unknown_patch_policies(spec))
    return Loaded(None if errors else _parse(doc, spec), errors, warnings)


_PRUNED = "unknown field: Kruise v1.9.0 does not know it, so the apiserver prunes it and it is not injected"


def _shape(spec: Obj) -> Iterator[FieldError]:
    """The types the code below relies on (a CRD schema would reject the rest)."""
    for key in ("containers", "initContainers", "volumes", "imagePullSecrets", "patchPodMetadata"):
        value = spec.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            yield FieldError("must be a list", ("spec", key))
            continue
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                yield FieldError("must be a mapping", ("spec", key, i))
            elif key in ("containers", "initContainers"):
                for sub in ("env", "volumeMounts", "volumeDevices", "ports", "transferEnv"):
                    if item.get(sub) is not None and not _list_of_maps(item[sub]):
                        yield FieldError("must be a list of mappings", ("spec", key, i, sub))
    for key in ("selector", "namespaceSelector", "injectionStrategy", "updateStrategy"):
        if spec.get(key) is not None and not isinstance(spec[key], dict):
            yield FieldError("must be a mapping", ("spec", key))


def _list_of_maps(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, dict) for x in value)


def _decode(spec: Obj, warnings: list[FieldError]) -> None:
    """Go's decoding of the containers: an unknown field is pruned (a warning); FieldError for a
    value Go cannot decode."""
    for key in ("containers", "initContainers"):
        def pruned(path: FieldPath, key: str = key) -> None:
            warnings.append(FieldError(_PRUNED, ("spec", key, *path)))

        for i, c in enumerate(get_list(spec, key)):
            try:
                normalize(c, "SidecarContainer", pruned, (i,))
            except GoTypeError as exc:
                raise exc.under("spec", key) from None


def _unknown_patch_policies(spec: Obj) -> Iterator[FieldError]:
    """The CRD types patchPolicy as a plain string and the webhook only requires it non-empty
    (sidecarset_create_update_handler.go), so Kruise v1.9.0 accepts any value; PatchPodMetadata
    (pkg/control/sidecarcontrol/util.go) has no case for an unknown one and patches nothing."""
    for i, patch in maps(spec.get("patchPodMetadata")):
        policy = patch.get("patchPolicy")
        if policy not in ("Retain", "Overwrite", "MergePatchJson"):
            yield FieldError(f"unknown patchPolicy {policy!r}: Kruise v1.9.0 accepts the SidecarSet but patches none of "
                             "these annotations into pods (Retain, Overwrite or MergePatchJson)",
                             ("spec", "patchPodMetadata", i, "patchPolicy"))


def _under(problems: Iterable[FieldError], *prefix: PathPart) -> Iterator[FieldError]:
    return (problem.under(*prefix) for problem in problems)


def _validate(name: str, spec: Obj) -> Iterator[FieldError]:
    if not _NAME.fullmatch(name):
        yield FieldError("sidecarset name must consist of alphanumeric characters or '-'", ("metadata", "name"))
    if len(name) > 63:
        yield FieldError("must be no more than 63 characters", ("metadata", "name"))
    inits = get_list(spec, "initContainers")
    containers = get_list(spec, "containers")
    strategy = get_map(spec, "updateStrategy")
    if any(c.get("restartPolicy") == "Always" for c in inits) and strategy.get("type") == "RollingUpdate":
        yield FieldError("The initContainer in-place upgrade is not currently supported (native sidecar initContainers "
                         "need updateStrategy.type: NotUpdate)", ("spec", "updateStrategy"))
    if spec.get("selector") is None:
        yield FieldError("no selector defined for SidecarSet", ("spec", "selector"))
    for key in ("selector", "namespaceSelector"):
        if spec.get(key) is not None:
            yield from _under(_selector(spec[key]), "spec", key)
    yield from _under(checks.update_strategy(strategy), "spec", "updateStrategy")
    if strategy.get("type") == "RollingUpdate" and strategy.get("selector") is not None:
        if strategy.get("partition") not in (None, 0):
            yield FieldError("Partition and Selector cannot be used together", ("spec", "updateStrategy"))
        yield from _under(_selector(strategy["selector"]), "spec", "updateStrategy", "selector")
    revision = get_map(spec, "injectionStrategy", "revision")
    if revision and revision.get("policy") not in ("Always", "Partial"):  # a present revision has a defaulted policy
        yield FieldError(f"Invalid policy {revision.get('policy')}, supported: [Always, Partial]",
                         ("spec", "injectionStrategy", "revision", "policy"))
    if not inits and not containers:
        yield FieldError("no initContainer or container defined for SidecarSet", ("spec",))
    yield from _containers(spec)
    yield from _patch_annotations(spec)


def _patch_annotations(spec: Obj) -> Iterator[FieldError]:
    keys: set[str] = set()
    for i, patch in maps(spec.get("patchPodMetadata")):
        here = ("spec", "patchPodMetadata", i, "annotations")
        annotations = patch.get("annotations")
        if not annotations or not isinstance(annotations, dict):
            yield FieldError("no annotations defined for SidecarSet", here)
            continue
        for key, value in annotations.items():
            if not _QUALIFIED.fullmatch(str(key).lower()) or len(str(key).rpartition("/")[2]) > 63:
                yield FieldError(f"invalid annotation key {key!r}: not a qualified name", (*here, key))
            if not isinstance(value, str):
                yield FieldError("annotation values must be strings", (*here, key))
            if key in keys:
                yield FieldError(f"patch annotation[{key}] already exist", (*here, key))
            keys.add(key)


def _selector(selector: Any) -> Iterator[FieldError]:
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        yield exc
        return
    yield from checks.selector_labels(selector)
    if selectors.is_empty(selector):
        yield FieldError("empty selector is not valid for sidecarset.")


def _containers(spec: Obj) -> Iterator[FieldError]:
    """validateContainersForSidecarSet, reduced to what injection depends on."""
    volumes = {name for _, v in maps(spec.get("volumes")) if (name := get_str(v, "name")) is not None}
    for v_index, volume in maps(spec.get("volumes")):
        if not get_str(volume, "name"):
            yield FieldError("Required value", ("spec", "volumes", v_index, "name"))
    seen: dict[str, FieldPath] = {}
    for key in ("initContainers", "containers"):
        for i, c in maps(spec.get(key)):
            here = ("spec", key, i)
            cname = c.get("name")
            if not cname or not isinstance(cname, str):
                yield FieldError("Required value", (*here, "name"))
            elif cname in seen:
                yield FieldError(f"Duplicate value: {cname!r} (also at {format_path(seen[cname])})", (*here, "name"))
            else:
                seen[cname] = here
            yield from _under(_container(c, key, volumes), *here)


def _container(c: Obj, key: str, volumes: set[str]) -> Iterator[FieldError]:
    yield from checks.container_core(c)
    if key == "containers" and c.get("podInjectPolicy") not in (defaults.BEFORE, defaults.AFTER):
        yield FieldError(f"unsupported pod inject policy {c.get('podInjectPolicy')!r}", ("podInjectPolicy",))
    if get_map(c, "shareVolumePolicy").get("type") not in ("enabled", "disabled"):
        yield FieldError("unsupported share volume policy", ("shareVolumePolicy",))
    if get_map(c, "shareVolumeDevicePolicy").get("type") not in ("enabled", "disabled", None, ""):
        yield FieldError("unsupported share volume device policy", ("shareVolumeDevicePolicy",))
    upgrade = get_map(c, "upgradeStrategy")
    if upgrade.get("upgradeType") not in ("ColdUpgrade", "HotUpgrade"):
        yield FieldError("must be ColdUpgrade or HotUpgrade", ("upgradeStrategy", "upgradeType"))
    elif upgrade.get("upgradeType") == "HotUpgrade" and not upgrade.get("hotUpgradeEmptyImage") and (
            key == "containers" or c.get("restartPolicy") == "Always"):
        yield FieldError(f"required for HotUpgrade: Kruise injects {c.get('name')}-2 with this image, and the apiserver "
                         "rejects a container without one", ("upgradeStrategy", "hotUpgradeEmptyImage"))
    for m_key, what in (("volumeMounts", "volumeMount"), ("volumeDevices", "volumeDevice")):
        for j, mount in maps(c.get(m_key)):
            mount_name = mount.get("name")
            if not isinstance(mount_name, str) or mount_name not in volumes:
                yield FieldError(f"Not found: {mount_name!r} ({what} names no volume in spec.volumes)", (m_key, j, "name"))
    if key == "containers":  # validateDownwardAPI: containers only
        for j, transfer in maps(c.get("transferEnv")):
            yield from _under(_transfer(transfer), "transferEnv", j)
    if c.get("resourcesPolicy") is not None:
        yield from _under(_resources_policy(c, key), "resourcesPolicy")


def _transfer(transfer: Obj) -> Iterator[FieldError]:
    ref = get_map(transfer, "sourceContainerNameFrom").get("fieldRef")
    if not isinstance(ref, dict):
        return
    field_path = str(ref.get("fieldPath") or "")
    here = ("sourceContainerNameFrom", "fieldRef", "fieldPath")
    if not field_path:
        yield FieldError("Required value", here)
        return
    # sidecarcontrol.ConvertDownwardAPIFieldLabel: pod version v1 (an empty apiVersion was
    # defaulted to it), and only a subscripted metadata.labels / metadata.annotations
    if ref.get("apiVersion") != "v1":
        yield FieldError(f"error converting fieldPath: unsupported pod version: {ref.get('apiVersion')}", here)
        return
    match = FIELD_PATH.fullmatch(field_path)
    if match:
        subscript = match.group(2)
        if not _QUALIFIED.fullmatch(subscript.lower() if match.group(1).endswith("annotations") else subscript):
            yield FieldError(f"invalid key {subscript!r}: not a qualified name", here)
    else:
        head = _subscripted_head(field_path)
        problem = f"field path not supported: {head}" if head else f"field label not supported: {field_path}"
        yield FieldError(f"error converting fieldPath: {problem}", here)


def _subscripted_head(field_path: str) -> str:
    """The path of k8s.io/kubernetes/pkg/fieldpath SplitMaybeSubscriptedPath when it splits, else ""."""
    head, sep, _ = field_path.removesuffix("']").partition("['")
    return head if field_path.endswith("']") and sep else ""


def _resources_policy(c: Obj, key: str) -> Iterator[FieldError]:
    """validateResourcesPolicy; paths from the resourcesPolicy field."""
    policy = c["resourcesPolicy"]
    if key == "initContainers" and c.get("restartPolicy") != "Always":
        yield FieldError("resourcesPolicy is only supported for containers with RestartPolicy Always")
    own = get_map(c, "resources")
    if own.get("limits") or own.get("requests"):
        yield FieldError("resourcesPolicy and resources cannot be configured together")
        return
    if not _policy_shape(policy):
        yield FieldError("must be a mapping with resourcesExpr.{limits,requests}.{cpu,memory}")
        return
    if policy.get("targetContainersMode") not in ("sum", "max"):
        yield FieldError("must be sum or max", ("targetContainersMode",))
    problem = resources.regex_problem(str(policy.get("targetContainersNameRegex") or ""))
    if problem:
        yield FieldError(problem, ("targetContainersNameRegex",))
    expr = get_map(policy, "resourcesExpr")
    if not expr.get("limits") and not expr.get("requests"):
        yield FieldError("at least one of limits or requests must be configured", ("resourcesExpr",))
    for part in ("limits", "requests"):
        for resource in ("cpu", "memory"):
            text = get_map(expr, part).get(resource)
            if text:
                problem = resources.expression_problem(str(text), resource)
                if problem:
                    yield FieldError(problem, ("resourcesExpr", part, resource))


def _policy_shape(policy: object) -> bool:
    """A mapping whose resourcesExpr, if set, is a mapping of mappings (or nulls)."""
    if not isinstance(policy, dict):
        return False
    expr = policy.get("resourcesExpr") or {}
    return isinstance(expr, dict) and all(isinstance(part, dict) for part in expr.values() if part is not None)


# --- the typed values of a valid, defaulted spec ------------------------------------------------

def _parse(doc: Document, spec: Obj) -> SidecarSet:
    digest, digest_without_image = sshash.hashes(spec)
    namespace_selector: Obj | None = spec.get("namespaceSelector")  # a mapping or None (_shape)
    revision = get_map(spec, "injectionStrategy", "revision")
    return SidecarSet(
        doc=doc,
        name=doc.name,
        selector=get_map(spec, "selector"),
        namespace_selector=namespace_selector,
        pinned_namespaces=_pinned(namespace_selector),
        paused=bool(get_map(spec, "injectionStrategy").get("paused")),
        historical_revision=revision.get("revisionName") is not None or revision.get("customVersion") is not None,
        containers=tuple(_sidecar(normalize(c, "SidecarContainer")) for _, c in maps(spec.get("containers"))),
        init_containers=tuple(_sidecar(normalize(c, "SidecarContainer")) for _, c in maps(spec.get("initContainers"))),
        volumes=tuple(Volume(get_str(v, "name") or "", v) for _, v in maps(spec.get("volumes"))),
        image_pull_secrets=tuple(str(x.get("name") or "") for _, x in maps(spec.get("imagePullSecrets"))),
        patches=tuple(MetadataPatch(str(p.get("patchPolicy") or "Retain"), dict(get_map(p, "annotations")))
                      for _, p in maps(spec.get("patchPodMetadata"))),
        hash=digest,
        hash_without_image=digest_without_image,
    )


def _pinned(namespace_selector: Obj | None) -> tuple[str, ...] | None:
    if not namespace_selector:
        return None
    labels = get_map(namespace_selector, "matchLabels")
    if METADATA_NAME_LABEL in labels:
        return (str(labels[METADATA_NAME_LABEL]),)
    for _, req in maps(namespace_selector.get("matchExpressions")):
        if req.get("key") == METADATA_NAME_LABEL and req.get("operator") == "In":
            return tuple(str(v) for v in get_list(req, "values"))
    return None


def _sidecar(go: Obj) -> Sidecar:
    return Sidecar(
        name=get_str(go, "name") or "",
        go=go,
        before_app=go.get("podInjectPolicy") == defaults.BEFORE,
        native=go.get("restartPolicy") == "Always",
        hot_upgrade=get_map(go, "upgradeStrategy").get("upgradeType") == "HotUpgrade",
        share_volumes=get_map(go, "shareVolumePolicy").get("type") == "enabled",
        share_devices=get_map(go, "shareVolumeDevicePolicy").get("type") == "enabled",
        volume_names=tuple(str(m.get("name")) for key in ("volumeMounts", "volumeDevices") for _, m in maps(go.get(key))),
        transfer_env=tuple(t for _, entry in maps(go.get("transferEnv")) if (t := _transfer_env(entry)) is not None),
        resources_policy=_resources_policy_of(go),
    )


def _transfer_env(entry: Obj) -> TransferEnv | None:
    """None for an entry ExtractContainerNameFromFieldPath cannot read: Kruise logs and skips it."""
    names = tuple(sorted({n for n in [entry.get("envName"), *get_list(entry, "envNames")] if n and isinstance(n, str)}))
    source = get_map(entry, "sourceContainerNameFrom")
    if "fieldRef" not in source:
        return TransferEnv(names, container=str(entry.get("sourceContainerName") or ""))
    match = FIELD_PATH.fullmatch(str(get_map(source, "fieldRef").get("fieldPath") or ""))
    if not match:
        return None
    where = "annotations" if match.group(1).endswith("annotations") else "labels"
    return TransferEnv(names, from_metadata=(where, match.group(2)))


def _resources_policy_of(go: Obj) -> ResourcesPolicy | None:
    if "resourcesPolicy" not in go:  # Go's view: a nil pointer is left out
        return None
    policy = get_map(go, "resourcesPolicy")
    expr = get_map(policy, "resourcesExpr")
    return ResourcesPolicy(
        mode=get_str(policy, "targetContainersMode") or "",
        name_regex=str(policy.get("targetContainersNameRegex") or ".*"),
        limits=_expressions(get_map(expr, "limits")),
        requests=_expressions(get_map(expr, "requests")),
    )


def _expressions(part: Obj) -> dict[str, str]:
    return {resource: str(text) for resource in ("cpu", "memory") if (text := part.get(resource))}
