"""Injection of the matched SidecarSets into one pod template, as Kruise v1.9.0's pod webhook does
at CREATE (pkg/webhook/pod/mutating/sidecarset.go sidecarsetMutatingPod + buildSidecars).

Works on copies and writes back only on success, so a rejected pod template stays as it was.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Hashable, Sequence

from kruise_render.diagnostics import FieldError, FieldPath, PathPart
from kruise_render.k8s.gotypes import GoTypeError, container_part, in_field_order, normalize
from kruise_render.k8s.smp_schema import STRUCTS
from kruise_render.obj import Obj, copied, get_list, get_map, maps, string_map
from kruise_render.record import FrozenRecord, Record
from kruise_render.sidecarset import annotations as ann
from kruise_render.sidecarset import defaults, patchmeta, resources
from kruise_render.sidecarset.model import Sidecar, SidecarSet

SORT_GATE = "EnableSortSidecarContainerByName"
_SUBPATH_VAR = re.compile(r"\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")


class InjectError(FieldError):
    """What makes Kruise's webhook (or the apiserver right after it) reject the Pod. The path is
    in the pod template, or in `sidecarset` when it is set and the path starts at its spec."""

    def __init__(self, message: str, path: FieldPath = (), sidecarset: SidecarSet | None = None) -> None:
        super().__init__(message, path)
        self.sidecarset = sidecarset

    def under(self, *prefix: PathPart) -> InjectError:
        return InjectError(self.message, (*prefix, *self.path), self.sidecarset)


class _Injected(FrozenRecord):
    """A sidecar container as built for this pod (a hot-upgrade pair is two of them)."""

    __slots__ = ("before_app", "body", "name")

    name: str
    before_app: bool  # podInjectPolicy BeforeAppContainer
    body: Obj  # its Go view (SidecarContainer), env and mounts added

    def __init__(self, name: str, before_app: bool, body: Obj) -> None:
        self._init(name, before_app, body)


class _Built(Record):
    __slots__ = ("annotations", "containers", "init_containers", "secrets", "volumes")
    containers: list[_Injected]
    init_containers: list[_Injected]
    secrets: list[Obj]
    volumes: list[Obj]
    annotations: dict[str, str]

    def __init__(self, containers: list[_Injected] | None = None, init_containers: list[_Injected] | None = None,
                 secrets: list[Obj] | None = None, volumes: list[Obj] | None = None,
                 annotations: dict[str, str] | None = None) -> None:
        self._init([] if containers is None else containers, [] if init_containers is None else init_containers,
                   [] if secrets is None else secrets, [] if volumes is None else volumes,
                   {} if annotations is None else annotations)


class _Pod(FrozenRecord):
    """What building the sidecars reads from the pod being created."""

    __slots__ = ("annotations", "app_containers", "labels", "sidecar_names", "spec")

    spec: Obj
    app_containers: list[Obj]
    annotations: dict[str, str]
    labels: dict[str, str]
    sidecar_names: set[str]  # of every matched SidecarSet: never resourcesPolicy targets

    def __init__(self, spec: Obj, app_containers: list[Obj], annotations: dict[str, str], labels: dict[str, str],
                 sidecar_names: set[str]) -> None:
        self._init(spec, app_containers, annotations, labels, sidecar_names)


def inject(template: Obj, matched: Sequence[SidecarSet], sort_by_name: bool, timestamp: str | None) -> bool:
    """Inject `matched` (in order) into `template` in place; True when anything changed."""
    if not matched:
        return False
    _check_shape(template)
    meta = copied(get_map(template, "metadata"))
    spec = copied(get_map(template, "spec"))
    annotations: dict[str, str] = {str(k): v for k, v in get_map(meta, "annotations").items()}
    already = ann.injected_names(annotations.get(ann.INJECTED_LIST))
    for s in matched:
        try:
            patchmeta.apply(annotations, s.patches, s.name in already)
        except patchmeta.PatchMetadataError as exc:
            raise InjectError(f"SidecarSet {s.name}: patchPodMetadata MergePatchJson: {exc}",
                              ("metadata", "annotations"), s) from None
    built = _build(spec, annotations, string_map(meta.get("labels")), matched, ann.go_time(timestamp))
    if built.containers or built.init_containers:
        inits = sorted(built.init_containers, key=lambda c: c.name)  # stable, by name (always)
        containers = sorted(built.containers, key=lambda c: c.name) if sort_by_name else built.containers
        spec = _set_list(spec, "initContainers", _merge_containers(get_list(spec, "initContainers"), inits))
        spec = _set_list(spec, "containers", _merge_containers(get_list(spec, "containers"), containers))
        spec = _set_list(spec, "volumes", _merge_by_name(get_list(spec, "volumes"), built.volumes, dedupe_pod=False))
        spec = _set_list(spec, "imagePullSecrets",
                         _merge_by_name(get_list(spec, "imagePullSecrets"), built.secrets, dedupe_pod=True))
        annotations.update(built.annotations)
        _check_names(spec)
    if annotations or "annotations" in meta:
        meta = _with_key(meta, "annotations", annotations, _OBJECT_META_ORDER)
    changed = meta != get_map(template, "metadata") or spec != get_map(template, "spec")
    if changed:
        if "metadata" in template or meta:
            template["metadata"] = meta
        template["spec"] = spec
    return changed


def _check_shape(template: Obj) -> None:
    """The shapes injection reads; anything else the apiserver would refuse to decode anyway."""
    for key in ("metadata", "spec"):
        value = template.get(key)
        if value is not None and not isinstance(value, dict):
            raise InjectError("must be a mapping", (key,))
    meta, spec = get_map(template, "metadata"), get_map(template, "spec")
    for key in ("labels", "annotations"):
        values = meta.get(key)
        if values is not None and not (isinstance(values, dict) and all(isinstance(v, str) for v in values.values())):
            raise InjectError("must be a mapping of strings", ("metadata", key))
    for key in ("containers", "initContainers", "volumes", "imagePullSecrets"):
        _check_list(spec.get(key), ("spec", key))
    for key in ("containers", "initContainers"):
        for i, c in maps(spec.get(key)):
            for sub in ("env", "volumeMounts", "volumeDevices"):
                _check_list(c.get(sub), ("spec", key, i, sub))
            if c.get("resources") is not None and not isinstance(c["resources"], dict):
                raise InjectError("must be a mapping", ("spec", key, i, "resources"))


def _check_list(value: object, path: FieldPath) -> None:
    if value is not None and not (isinstance(value, list) and all(isinstance(item, dict) for item in value)):
        raise InjectError("must be a list of mappings", path)


# Go's field order of corev1.PodSpec / metav1.ObjectMeta (k8s.io/api v0.32): a key the webhook
# adds to a template that lacked it goes where the Pod Kruise returns would have it.
_POD_SPEC_ORDER = tuple(STRUCTS["PodSpec"])
_OBJECT_META_ORDER = tuple(STRUCTS["ObjectMeta"])


def _with_key(mapping: Obj, key: str, value: object, order: tuple[str, ...]) -> Obj:
    """`mapping` with `key` set: in place when present, else right before the present key that
    Go's struct order puts next after it (initContainers before containers, volumes before both),
    else at the end."""
    if key in mapping:
        mapping[key] = value
        return mapping
    later = [k for k in order[order.index(key) + 1:] if k in mapping]
    out: Obj = {}
    for k, v in mapping.items():
        if later and k == later[0]:
            out[key] = value
        out[k] = v
    out.setdefault(key, value)
    return out


def _set_list(spec: Obj, key: str, items: list[Obj]) -> Obj:
    if items:
        return _with_key(spec, key, items, _POD_SPEC_ORDER)
    spec.pop(key, None)
    return spec


def _build(spec: Obj, annotations: dict[str, str], labels: dict[str, str], matched: Sequence[SidecarSet],
           timestamp: str | None) -> _Built:
    out = _Built()
    try:
        hashes = ann.parse_hashes(annotations.get(ann.HASH), ann.HASH)
        hashes_without_image = ann.parse_hashes(annotations.get(ann.HASH_WITHOUT_IMAGE), ann.HASH_WITHOUT_IMAGE)
    except ann.AnnotationError as exc:
        raise InjectError(exc.message, ("metadata", "annotations")) from None
    hot_info = ann.parse_hot_upgrade(annotations.get(ann.HOT_UPGRADE_WORKING))
    names = ann.injected_names(annotations.get(ann.INJECTED_LIST))
    sidecar_names = {c.name for s in matched for c in (*s.containers, *s.init_containers)}
    pod = _Pod(spec, [c for _, c in maps(spec.get("containers"))], annotations, labels, sidecar_names)
    for s in matched:
        names.add(s.name)
        sidecar_list: set[str] = set()
        for index, sidecar in enumerate(s.init_containers):
            if sidecar.native:
                sidecar_list.add(sidecar.name)
            c = _container(sidecar, s, ("spec", "initContainers", index), pod, out)
            out.init_containers.extend(_hot_pair(sidecar, c, hot_info, out) if sidecar.native and sidecar.hot_upgrade
                                       else [_Injected(sidecar.name, sidecar.before_app, c)])
        out.secrets.extend({"name": name} for name in s.image_pull_secrets)
        for index, sidecar in enumerate(s.containers):
            sidecar_list.add(sidecar.name)
            c = _container(sidecar, s, ("spec", "containers", index), pod, out)
            out.containers.extend(_hot_pair(sidecar, c, hot_info, out) if sidecar.hot_upgrade
                                  else [_Injected(sidecar.name, sidecar.before_app, c)])
        if s.init_containers or s.containers:
            listed = sorted(sidecar_list)
            hashes[s.name] = ann.entry(timestamp, s.hash, s.name, listed)
            hashes_without_image[s.name] = ann.entry(timestamp, s.hash_without_image, s.name, listed)
    out.annotations[ann.HASH] = ann.format_hashes(hashes)
    out.annotations[ann.HASH_WITHOUT_IMAGE] = ann.format_hashes(hashes_without_image)
    out.annotations[ann.INJECTED_LIST] = ann.format_names(names)
    return out


def _container(sidecar: Sidecar, s: SidecarSet, path: FieldPath, pod: _Pod, out: _Built) -> Obj:
    """One SidecarContainer for this pod: resources, the volumes it uses, shared mounts and
    devices, IS_INJECTED, transferEnv."""
    c = copied(sidecar.go)
    if sidecar.resources_policy is not None:
        try:
            c["resources"] = resources.compute(sidecar.resources_policy, pod.spec, pod.sidecar_names)
        except resources.PolicyError as exc:
            raise InjectError(f"SidecarSet {s.name} container {sidecar.name}: {exc}", (*path, "resourcesPolicy"), s) from None
    shared_mounts, subpath_envs = _shared_mounts(sidecar, pod.app_containers)
    transfer = _merge_env(_transfer_envs(sidecar, pod), subpath_envs)
    volumes = s.volume_by_name
    # Go's field order, as the webhook's json encoding writes it: a captured SidecarSet
    # (`kubectl get -o yaml` sorts keys) injects what its source does.
    out.volumes.extend(in_field_order(copied(volumes[name]), "Volume")
                       for name in sidecar.volume_names if name in volumes)
    mounts = _merge_paths(get_list(c, "volumeMounts"), "mountPath", get_list(c, "volumeDevices"), "devicePath", shared_mounts)
    _set_or_drop(c, "volumeMounts", mounts)
    c["env"] = _merge_env([*get_list(c, "env"), {"name": ann.IS_INJECTED, "value": "true"}], transfer)
    devices = _merge_paths(get_list(c, "volumeDevices"), "devicePath", get_list(c, "volumeMounts"), "mountPath",
                           _shared_devices(sidecar, pod.app_containers))
    _set_or_drop(c, "volumeDevices", devices)
    return c


def _set_or_drop(c: Obj, key: str, items: list[Obj]) -> None:
    if items:
        c[key] = items
    else:
        c.pop(key, None)


def _is_injected(container: Obj) -> bool:
    env = _env(container, ann.IS_INJECTED)
    return env is not None and env.get("value") == "true"


def _env(container: Obj, name: str) -> Obj | None:
    for _, env in maps(container.get("env")):
        if env.get("name") == name:
            return env
    return None


def _shared_mounts(sidecar: Sidecar, app_containers: list[Obj]) -> tuple[list[Obj], list[Obj]]:
    """GetInjectedVolumeMountsAndEnvs: every app mount, plus the env its subPathExpr references."""
    if not sidecar.share_volumes:
        return [], []
    mounts: list[Obj] = []
    envs: list[Obj] = []
    for i, app in enumerate(app_containers):
        if _is_injected(app):
            continue
        for j, mount in maps(app.get("volumeMounts")):
            mounts.append(_go(mount, "VolumeMount", ("spec", "containers", i, "volumeMounts", j)))
            for var in _SUBPATH_VAR.findall(str(mount.get("subPathExpr") or "")):
                env = _env(app, var)
                if env is not None:
                    envs.append(_go(env, "EnvVar", ("spec", "containers", i, "env")))
    return mounts, envs


def _go(item: Obj, type_name: str, path: FieldPath) -> Obj:
    """A pod's mount, device or env as the webhook copies it: defaulted (as the apiserver
    defaults a Pod before admission), decoded into the Go struct and marshalled again (struct
    field order, empty fields omitted), like the rest of the sidecar."""
    if type_name == "EnvVar":
        item = copied(item)
        defaults.env_var(item)  # the Pod reached the webhook defaulted
    try:
        return normalize(item, type_name)
    except GoTypeError as exc:
        raise InjectError(exc.message, (*path, *exc.path)) from None


def _shared_devices(sidecar: Sidecar, app_containers: list[Obj]) -> list[Obj]:
    if not sidecar.share_devices:
        return []
    return [_go(d, "VolumeDevice", ("spec", "containers", i, "volumeDevices", j))
            for i, app in enumerate(app_containers) if not _is_injected(app)
            for j, d in maps(app.get("volumeDevices"))]


def _merge_paths(own: list[Obj], own_key: str, other: list[Obj], other_key: str, extra: list[Obj]) -> list[Obj]:
    """util.MergeVolumeMounts / MergeVolumeDevices: skip paths the sidecar already uses."""
    used = {_hashable(m.get(own_key)) for m in own} | {_hashable(m.get(other_key)) for m in other}
    out = list(own)
    for item in extra:
        if _hashable(item.get(own_key)) in used:
            continue
        out.append(item)
        used.add(_hashable(item.get(own_key)))
    return out


def _hashable(value: object) -> Hashable:
    """A path or name as a set/dict key even when the input wrote a list or mapping there
    (invalid; --validate-output reports it), so that such input cannot crash the merge."""
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _merge_env(original: list[Obj], extra: list[Obj]) -> list[Obj]:
    """util.MergeEnvVar: additions whose name is already present are dropped (first wins)."""
    seen = {_hashable(e.get("name")) for e in original}
    out = list(original)
    for env in extra:
        if _hashable(env.get("name")) in seen:
            continue
        out.append(env)
        seen.add(_hashable(env.get("name")))
    return out


def _transfer_envs(sidecar: Sidecar, pod: _Pod) -> list[Obj]:
    """GetSidecarTransferEnvs: per entry, the names in sorted order, from the source container."""
    in_pod: dict[tuple[str, str], tuple[Obj, FieldPath]] = {}
    for i, container in enumerate(pod.app_containers):
        for j, env in maps(container.get("env")):
            in_pod[(str(container.get("name")), str(env.get("name")))] = (env, ("spec", "containers", i, "env", j))
    out: list[Obj] = []
    for transfer in sidecar.transfer_env:
        source = transfer.container
        if transfer.from_metadata is not None:
            where, key = transfer.from_metadata
            source = str((pod.annotations if where == "annotations" else pod.labels).get(key) or "")
        for name in transfer.names:
            found = in_pod.get((source, name))
            if found is not None:
                out.append(_go(found[0], "EnvVar", found[1]))
    return out


def _hot_pair(sidecar: Sidecar, c: Obj, hot_info: dict[str, str], out: _Built) -> list[_Injected]:
    """injectHotUpgradeContainers: <name>-1 (working) and <name>-2 (empty image), version envs."""
    pair: list[_Injected] = []
    empty = get_map(c, "upgradeStrategy").get("hotUpgradeEmptyImage")
    for suffix, version, alt in (("1", "1", "0"), ("2", "0", "1")):
        name = f"{sidecar.name}-{suffix}"
        body = copy.deepcopy(c)
        body["name"] = name
        if suffix == "2":
            if empty:
                body["image"] = empty
            else:
                body.pop("image", None)
        body["env"] = [*get_list(body, "env"), _version_env("SIDECARSET_VERSION", f"version.sidecarset.kruise.io/{name}"),
                       _version_env("SIDECARSET_VERSION_ALT", f"versionalt.sidecarset.kruise.io/{name}")]
        out.annotations[f"version.sidecarset.kruise.io/{name}"] = version
        out.annotations[f"versionalt.sidecarset.kruise.io/{name}"] = alt
        pair.append(_Injected(name, sidecar.before_app, body))
    hot_info[sidecar.name] = pair[0].name
    out.annotations[ann.HOT_UPGRADE_WORKING] = ann.format_string_map(hot_info)
    return pair


def _version_env(name: str, annotation: str) -> Obj:
    return {"name": name, "valueFrom": {"fieldRef": {"fieldPath": f"metadata.annotations['{annotation}']"}}}


def _merge_containers(pod: list[Obj], injected: list[_Injected]) -> list[Obj]:
    """mergeSidecarContainers: same name replaces in place, else before/after the pod's list."""
    result = list(pod)
    index = {_hashable(c.get("name")): i for i, c in maps(pod)}
    before: list[Obj] = []
    after: list[Obj] = []
    for c in injected:
        plain = _output_container(c.body)
        if c.name in index:
            result[index[c.name]] = plain
        elif c.before_app:
            before.append(plain)
        else:
            after.append(plain)
    return before + result + after


def _output_container(c: Obj) -> Obj:
    """The embedded corev1.Container, as it lands in the Pod (nulls and empty resources left out)."""
    out = {k: v for k, v in container_part(c).items() if v is not None}
    if out.get("resources") == {}:
        del out["resources"]
    return out


def _merge_by_name(pod: list[Obj], extra: list[Obj], dedupe_pod: bool) -> list[Obj]:
    """util.MergeVolumes (pod list kept as is) / mergeSidecarSecrets (pod list de-duplicated too):
    by name, the first one wins, the pod's before ours (every item a mapping: _check_shape)."""
    seen: set[Hashable] = set()
    out: list[Obj] = []
    for position, item in enumerate([*pod, *extra]):
        name = _hashable(item.get("name"))
        if name in seen and (dedupe_pod or position >= len(pod)):
            continue
        seen.add(name)
        out.append(item)
    return out


def _check_names(spec: Obj) -> None:
    """The apiserver rejects a Pod whose containers and initContainers repeat a name."""
    seen: dict[Hashable, tuple[str, int]] = {}
    for key in ("initContainers", "containers"):
        for i, c in maps(spec.get(key)):
            name = _hashable(c.get("name"))
            if name in seen:
                where, index = seen[name]
                raise InjectError(f"duplicate container name {name!r} after injection (also {where}[{index}]); "
                                  "the apiserver would reject the Pod", ("spec", key, i, "name"))
            if name is not None:
                seen[name] = (key, i)
