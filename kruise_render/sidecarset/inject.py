"""Injection of the matched SidecarSets into one pod template, as Kruise v1.9.0's pod webhook does
at CREATE (pkg/webhook/pod/mutating/sidecarset.go sidecarsetMutatingPod + buildSidecars; spec §6).

Works on copies and writes back only on success, so a rejected pod template stays as it was.
"""
from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from kruise_render.k8s.gotypes import GoTypeError, container_part, normalize
from kruise_render.k8s.smp_schema import STRUCTS
from kruise_render.sidecarset import annotations as ann
from kruise_render.sidecarset import defaults, patchmeta, resources
from kruise_render.sidecarset.model import FIELD_PATH, SidecarSet

SORT_GATE = "EnableSortSidecarContainerByName"
_SUBPATH_VAR = re.compile(r"\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")


class InjectError(ValueError):
    """What makes Kruise's webhook (or the apiserver right after it) reject the Pod."""

    def __init__(self, message: str, path: tuple[Any, ...] = (), sidecarset: SidecarSet | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.sidecarset = sidecarset


@dataclasses.dataclass
class _Built:
    containers: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # SidecarContainers (Go view)
    init_containers: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    secrets: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    volumes: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    annotations: dict[str, str] = dataclasses.field(default_factory=dict)


def inject(template: dict[str, Any], matched: Sequence[SidecarSet], sort_by_name: bool,
           timestamp: str | None) -> bool:
    """Inject `matched` (in order) into `template` in place; True when anything changed."""
    if not matched:
        return False
    _check_shape(template)
    meta = copy.deepcopy(template.get("metadata") or {})
    spec = copy.deepcopy(template.get("spec") or {})
    annotations = {str(k): v for k, v in (meta.get("annotations") or {}).items()}
    already = ann.injected_names(annotations.get(ann.INJECTED_LIST))
    for s in matched:
        try:
            patchmeta.apply(annotations, s.spec.get("patchPodMetadata") or [], s.name in already)
        except patchmeta.PatchError as exc:
            raise InjectError(f"SidecarSet {s.name}: patchPodMetadata MergePatchJson: {exc}",
                              ("metadata", "annotations"), s) from None
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
    built = _build(spec, annotations, labels, matched, ann.go_time(timestamp))
    if built.containers or built.init_containers:
        inits = sorted(built.init_containers, key=lambda c: c["name"])  # stable, by name (always)
        containers = sorted(built.containers, key=lambda c: c["name"]) if sort_by_name else built.containers
        spec = _set_list(spec, "initContainers", _merge_containers(spec.get("initContainers") or [], inits))
        spec = _set_list(spec, "containers", _merge_containers(spec.get("containers") or [], containers))
        spec = _set_list(spec, "volumes", _merge_by_name(spec.get("volumes") or [], built.volumes, dedupe_pod=False))
        spec = _set_list(spec, "imagePullSecrets",
                         _merge_by_name(spec.get("imagePullSecrets") or [], built.secrets, dedupe_pod=True))
        annotations.update(built.annotations)
        _check_names(spec)
    if annotations or "annotations" in meta:
        meta = _with_key(meta, "annotations", annotations, _OBJECT_META_ORDER)
    changed = meta != (template.get("metadata") or {}) or spec != (template.get("spec") or {})
    if changed:
        if "metadata" in template or meta:
            template["metadata"] = meta
        template["spec"] = spec
    return changed


def _check_shape(template: dict[str, Any]) -> None:
    """The shapes injection reads; anything else the apiserver would refuse to decode anyway."""
    meta, spec = template.get("metadata"), template.get("spec")
    for key, value in (("metadata", meta), ("spec", spec)):
        if value is not None and not isinstance(value, dict):
            raise InjectError("must be a mapping", (key,))
    for key in ("labels", "annotations"):
        values = (meta or {}).get(key)
        if values is not None and not (isinstance(values, dict) and all(isinstance(v, str) for v in values.values())):
            raise InjectError("must be a mapping of strings", ("metadata", key))
    for key in ("containers", "initContainers", "volumes", "imagePullSecrets"):
        _check_list((spec or {}).get(key), ("spec", key))
    for key in ("containers", "initContainers"):
        for i, c in enumerate((spec or {}).get(key) or []):
            for sub in ("env", "volumeMounts", "volumeDevices"):
                _check_list(c.get(sub), ("spec", key, i, sub))
            if c.get("resources") is not None and not isinstance(c["resources"], dict):
                raise InjectError("must be a mapping", ("spec", key, i, "resources"))


def _check_list(value: Any, path: tuple[Any, ...]) -> None:
    if value is not None and not (isinstance(value, list) and all(isinstance(item, dict) for item in value)):
        raise InjectError("must be a list of mappings", path)


# Go's field order of corev1.PodSpec / metav1.ObjectMeta (k8s.io/api v0.32): a key the webhook
# adds to a template that lacked it goes where the Pod Kruise returns would have it.
_POD_SPEC_ORDER = tuple(STRUCTS["PodSpec"])
_OBJECT_META_ORDER = tuple(STRUCTS["ObjectMeta"])


def _with_key(mapping: dict[str, Any], key: str, value: Any, order: tuple[str, ...]) -> dict[str, Any]:
    """`mapping` with `key` set: in place when present, else right before the present key that
    Go's struct order puts next after it (initContainers before containers, volumes before both),
    else at the end."""
    if key in mapping:
        mapping[key] = value
        return mapping
    later = [k for k in order[order.index(key) + 1:] if k in mapping]
    out: dict[str, Any] = {}
    for k, v in mapping.items():
        if later and k == later[0]:
            out[key] = value
        out[k] = v
    out.setdefault(key, value)
    return out


def _set_list(spec: dict[str, Any], key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    if items:
        return _with_key(spec, key, items, _POD_SPEC_ORDER)
    spec.pop(key, None)
    return spec


def _build(spec: dict[str, Any], annotations: dict[str, str], labels: dict[str, Any],
           matched: Sequence[SidecarSet], timestamp: str | None) -> _Built:
    out = _Built()
    try:
        hashes = ann.parse_hashes(annotations.get(ann.HASH), ann.HASH)
        hashes_without_image = ann.parse_hashes(annotations.get(ann.HASH_WITHOUT_IMAGE), ann.HASH_WITHOUT_IMAGE)
    except ann.AnnotationError as exc:
        raise InjectError(str(exc), ("metadata", "annotations")) from None
    hot_info = ann.parse_hot_upgrade(annotations.get(ann.HOT_UPGRADE_WORKING))
    names = ann.injected_names(annotations.get(ann.INJECTED_LIST))
    sidecar_names = {c["name"] for s in matched for c in s.containers + s.init_containers}
    app_containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
    for s in matched:
        names.add(s.name)
        volumes = s.volumes
        sidecar_list: set[str] = set()
        injecting = False
        for index, source in enumerate(s.init_containers):
            c = copy.deepcopy(source)
            native = c.get("restartPolicy") == "Always"
            if native:
                sidecar_list.add(c["name"])
            _resources(c, spec, sidecar_names, s, ("spec", "initContainers", index))
            _build_one(c, app_containers, (annotations, labels), volumes, out)
            injecting = True
            if native and _hot(c):
                out.init_containers.extend(_hot_pair(c, hot_info, out))
            else:
                out.init_containers.append(c)
        out.secrets.extend({"name": str(x.get("name") or "")} for x in s.spec.get("imagePullSecrets") or [] if isinstance(x, dict))
        for index, source in enumerate(s.containers):
            c = copy.deepcopy(source)
            sidecar_list.add(c["name"])
            _resources(c, spec, sidecar_names, s, ("spec", "containers", index))
            _build_one(c, app_containers, (annotations, labels), volumes, out)
            injecting = True
            if _hot(c):
                out.containers.extend(_hot_pair(c, hot_info, out))
            else:
                out.containers.append(c)
        if injecting:
            listed = sorted(sidecar_list)
            hashes[s.name] = ann.entry(timestamp, s.hash, s.name, listed)
            hashes_without_image[s.name] = ann.entry(timestamp, s.hash_without_image, s.name, listed)
    out.annotations[ann.HASH] = ann.format_hashes(hashes)
    out.annotations[ann.HASH_WITHOUT_IMAGE] = ann.format_hashes(hashes_without_image)
    out.annotations[ann.INJECTED_LIST] = ann.format_names(names)
    return out


def _resources(c: dict[str, Any], pod_spec: dict[str, Any], sidecar_names: set[str], s: SidecarSet,
               path: tuple[Any, ...]) -> None:
    policy = c.get("resourcesPolicy")
    if policy is None:
        return
    try:
        c["resources"] = resources.compute(policy, pod_spec, sidecar_names)
    except resources.PolicyError as exc:
        raise InjectError(f"SidecarSet {s.name} container {c['name']}: {exc}", path + ("resourcesPolicy",), s) from None


def _build_one(c: dict[str, Any], app_containers: list[dict[str, Any]],
               metadata: tuple[dict[str, str], dict[str, Any]], volumes: dict[str, dict[str, Any]], out: _Built) -> None:
    """One SidecarContainer: volumes it uses, shared mounts and devices, IS_INJECTED, transferEnv."""
    shared_mounts, subpath_envs = _shared_mounts(c, app_containers)
    transfer = _merge_env(_transfer_envs(c, app_containers, *metadata), subpath_envs)
    for key in ("volumeMounts", "volumeDevices"):
        for mount in c.get(key) or []:
            if mount.get("name") in volumes:
                out.volumes.append(copy.deepcopy(volumes[mount["name"]]))
    mounts = _merge_paths(c.get("volumeMounts") or [], "mountPath", c.get("volumeDevices") or [], "devicePath", shared_mounts)
    _set_or_drop(c, "volumeMounts", mounts)
    c["env"] = _merge_env(list(c.get("env") or []) + [{"name": ann.IS_INJECTED, "value": "true"}], transfer)
    devices = _merge_paths(c.get("volumeDevices") or [], "devicePath", c.get("volumeMounts") or [], "mountPath",
                           _shared_devices(c, app_containers))
    _set_or_drop(c, "volumeDevices", devices)


def _set_or_drop(c: dict[str, Any], key: str, items: list[Any]) -> None:
    if items:
        c[key] = items
    else:
        c.pop(key, None)


def _is_injected(container: dict[str, Any]) -> bool:
    return _env(container, ann.IS_INJECTED) is not None and (_env(container, ann.IS_INJECTED) or {}).get("value") == "true"


def _env(container: dict[str, Any], name: str) -> dict[str, Any] | None:
    for env in container.get("env") or []:
        if isinstance(env, dict) and env.get("name") == name:
            return env
    return None


def _shared_mounts(c: dict[str, Any], app_containers: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """GetInjectedVolumeMountsAndEnvs: every app mount, plus the env its subPathExpr references."""
    if (c.get("shareVolumePolicy") or {}).get("type") != "enabled":
        return [], []
    mounts: list[dict[str, Any]] = []
    envs: list[dict[str, Any]] = []
    for i, app in enumerate(app_containers):
        if _is_injected(app):
            continue
        for j, mount in enumerate(app.get("volumeMounts") or []):
            mounts.append(_go(mount, "VolumeMount", ("spec", "containers", i, "volumeMounts", j)))
            for var in _SUBPATH_VAR.findall(str(mount.get("subPathExpr") or "")):
                env = _env(app, var)
                if env is not None:
                    envs.append(_go(env, "EnvVar", ("spec", "containers", i, "env")))
    return mounts, envs


def _go(item: dict[str, Any], type_name: str, path: tuple[Any, ...]) -> dict[str, Any]:
    """A pod's mount, device or env as the webhook copies it: defaulted (as the apiserver
    defaults a Pod before admission), decoded into the Go struct and marshalled again (struct
    field order, empty fields omitted), like the rest of the sidecar."""
    if type_name == "EnvVar":
        item = copy.deepcopy(item)
        defaults.env_var(item)  # the Pod reached the webhook defaulted
    try:
        return normalize(item, type_name)
    except GoTypeError as exc:
        raise InjectError(str(exc), path + exc.path) from None


def _shared_devices(c: dict[str, Any], app_containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if (c.get("shareVolumeDevicePolicy") or {}).get("type") != "enabled":
        return []
    return [_go(d, "VolumeDevice", ("spec", "containers", i, "volumeDevices", j))
            for i, app in enumerate(app_containers) if not _is_injected(app)
            for j, d in enumerate(app.get("volumeDevices") or [])]


def _merge_paths(own: list[dict[str, Any]], own_key: str, other: list[dict[str, Any]], other_key: str,
                 extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """util.MergeVolumeMounts / MergeVolumeDevices: skip paths the sidecar already uses."""
    used = {_hashable(m.get(own_key)) for m in own} | {_hashable(m.get(other_key)) for m in other}
    out = list(own)
    for item in extra:
        if _hashable(item.get(own_key)) in used:
            continue
        out.append(item)
        used.add(_hashable(item.get(own_key)))
    return out


def _hashable(value: Any) -> Any:
    """A path or name as a set/dict key even when the input wrote a list or mapping there
    (invalid; --validate-output reports it), so that such input cannot crash the merge."""
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _merge_env(original: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """util.MergeEnvVar: additions whose name is already present are dropped (first wins)."""
    seen = {_hashable(e.get("name")) for e in original if isinstance(e, dict)}
    out = list(original)
    for env in extra:
        if env.get("name") in seen:
            continue
        out.append(env)
        seen.add(env.get("name"))
    return out


def _transfer_envs(c: dict[str, Any], app_containers: list[dict[str, Any]], annotations: dict[str, str],
                   labels: dict[str, Any]) -> list[dict[str, Any]]:
    """GetSidecarTransferEnvs: per entry, the names in sorted order, from the source container."""
    in_pod: dict[tuple[str, str], tuple[dict[str, Any], tuple[Any, ...]]] = {}
    for i, container in enumerate(app_containers):
        for j, env in enumerate(container.get("env") or []):
            if isinstance(env, dict):
                in_pod[(str(container.get("name")), str(env.get("name")))] = (env, ("spec", "containers", i, "env", j))
    out: list[dict[str, Any]] = []
    for transfer in c.get("transferEnv") or []:
        wanted = sorted({n for n in [transfer.get("envName")] + list(transfer.get("envNames") or []) if n})
        source = str(transfer.get("sourceContainerName") or "")
        ref = (transfer.get("sourceContainerNameFrom") or {}).get("fieldRef")
        if ref is not None:
            match = FIELD_PATH.fullmatch(str(ref.get("fieldPath") or ""))
            if not match:
                continue  # ExtractContainerNameFromFieldPath fails: Kruise logs and skips the entry
            where = annotations if match.group(1).endswith("annotations") else labels
            source = str(where.get(match.group(2)) or "")
        for name in wanted:
            found = in_pod.get((source, str(name)))
            if found is not None:
                out.append(_go(found[0], "EnvVar", found[1]))
    return out


def _hot(c: dict[str, Any]) -> bool:
    return (c.get("upgradeStrategy") or {}).get("upgradeType") == "HotUpgrade"


def _hot_pair(c: dict[str, Any], hot_info: dict[str, str], out: _Built) -> list[dict[str, Any]]:
    """injectHotUpgradeContainers: <name>-1 (working) and <name>-2 (empty image), version envs."""
    first, second = copy.deepcopy(c), copy.deepcopy(c)
    first["name"], second["name"] = f"{c['name']}-1", f"{c['name']}-2"
    empty = (c.get("upgradeStrategy") or {}).get("hotUpgradeEmptyImage")
    if empty:
        second["image"] = empty
    else:
        second.pop("image", None)
    for copy_, version, alt in ((first, "1", "0"), (second, "0", "1")):
        name = copy_["name"]
        copy_["env"] = list(copy_.get("env") or []) + [
            {"name": "SIDECARSET_VERSION", "valueFrom": {"fieldRef": {"fieldPath": f"metadata.annotations['version.sidecarset.kruise.io/{name}']"}}},
            {"name": "SIDECARSET_VERSION_ALT", "valueFrom": {"fieldRef": {"fieldPath": f"metadata.annotations['versionalt.sidecarset.kruise.io/{name}']"}}},
        ]
        out.annotations[f"version.sidecarset.kruise.io/{name}"] = version
        out.annotations[f"versionalt.sidecarset.kruise.io/{name}"] = alt
    hot_info[c["name"]] = first["name"]
    out.annotations[ann.HOT_UPGRADE_WORKING] = ann.format_string_map(hot_info)
    return [first, second]


def _merge_containers(pod: list[dict[str, Any]], injected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """mergeSidecarContainers: same name replaces in place, else before/after the pod's list."""
    result = list(pod)
    index = {_hashable(c.get("name")): i for i, c in enumerate(pod) if isinstance(c, dict)}
    before: list[dict[str, Any]] = []
    after: list[dict[str, Any]] = []
    for c in injected:
        plain = _output_container(c)
        if c["name"] in index:
            result[index[c["name"]]] = plain
        elif c.get("podInjectPolicy") == "BeforeAppContainer":
            before.append(plain)
        else:
            after.append(plain)
    return before + result + after


def _output_container(c: dict[str, Any]) -> dict[str, Any]:
    """The embedded corev1.Container, as it lands in the Pod (nulls and empty resources left out)."""
    out = {k: v for k, v in container_part(c).items() if v is not None}
    if out.get("resources") == {}:
        del out["resources"]
    return out


def _merge_by_name(pod: list[Any], extra: list[dict[str, Any]], dedupe_pod: bool) -> list[Any]:
    """util.MergeVolumes (pod list kept as is) / mergeSidecarSecrets (pod list de-duplicated too):
    by name, the first one wins, the pod's before ours."""
    seen: set[Any] = set()
    out: list[Any] = []
    for position, item in enumerate(list(pod) + extra):
        name = _hashable(item.get("name")) if isinstance(item, dict) else None
        if name in seen and (dedupe_pod or position >= len(pod)):
            continue
        seen.add(name)
        out.append(item)
    return out


def _check_names(spec: dict[str, Any]) -> None:
    """The apiserver rejects a Pod whose containers and initContainers repeat a name."""
    seen: dict[str, tuple[str, int]] = {}
    for key in ("initContainers", "containers"):
        for i, c in enumerate(spec.get(key) or []):
            name = _hashable(c.get("name")) if isinstance(c, dict) else None
            if name in seen:
                raise InjectError(f"duplicate container name {name!r} after injection (also {seen[name][0]}[{seen[name][1]}]); "
                                  "the apiserver would reject the Pod", ("spec", key, i, "name"))
            if name is not None:
                seen[name] = (key, i)
