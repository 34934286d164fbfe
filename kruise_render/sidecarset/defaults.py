"""The defaults the SidecarSet mutating webhook applies before storing (and hashing) a SidecarSet:
apis/apps/defaults/v1beta1.go SetDefaultsSidecarSetV1beta1 and apis/apps/defaults/pod.go
SetDefaultPodVolumes, with the corev1 SetDefaults_* helpers they call (spec §3).
"""
from __future__ import annotations

from typing import Any

from kruise_render.k8s import quantity

BEFORE, AFTER = "BeforeAppContainer", "AfterAppContainer"


def apply(spec: dict[str, Any]) -> None:
    """Default `spec` (v1beta1 shape, already a private copy) in place."""
    strategy = spec.get("updateStrategy")
    if strategy is None:
        strategy = spec["updateStrategy"] = {}
    if isinstance(strategy, dict):
        strategy.setdefault("type", "RollingUpdate")
        strategy.setdefault("maxUnavailable", 1)
        strategy.setdefault("partition", 0)
    for key, policy in (("initContainers", AFTER), ("containers", BEFORE)):
        for container in _dicts(spec.get(key)):
            sidecar_container(container, policy)
    for volume in _dicts(spec.get("volumes")):
        pod_volume(volume)
    for patch in _dicts(spec.get("patchPodMetadata")):
        if not patch.get("patchPolicy"):
            patch["patchPolicy"] = "Retain"
    revision = (spec.get("injectionStrategy") or {}).get("revision") if isinstance(spec.get("injectionStrategy"), dict) else None
    if isinstance(revision, dict) and not revision.get("policy"):
        revision["policy"] = "Always"


def sidecar_container(c: dict[str, Any], inject_policy: str) -> None:
    """setDefaultSidecarContainerV1beta1 + setDefaultContainerV1beta1."""
    if not c.get("podInjectPolicy"):
        c["podInjectPolicy"] = inject_policy
    upgrade = c.get("upgradeStrategy")
    if not isinstance(upgrade, dict):
        upgrade = c["upgradeStrategy"] = {}
    if not upgrade.get("upgradeType"):
        upgrade["upgradeType"] = "ColdUpgrade"
    share = c.get("shareVolumePolicy")
    if not isinstance(share, dict):
        share = c["shareVolumePolicy"] = {}
    if not share.get("type"):
        share["type"] = "disabled"
    policy = c.get("resourcesPolicy")
    if isinstance(policy, dict) and policy.get("targetContainersNameRegex") is None:
        # CRD schema default, applied by the apiserver to an absent field only: an explicit ""
        # stays and the validating webhook refuses it ("invalid empty regex")
        policy["targetContainersNameRegex"] = ".*"
    container(c)


def container(c: dict[str, Any]) -> None:
    """corev1 SetDefaults_Container and the per-field defaults Kruise adds."""
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = "/dev/termination-log"
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = "Always" if image_tag(str(c.get("image") or "")) == "latest" else "IfNotPresent"
    for port in _dicts(c.get("ports")):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for transfer in _dicts(c.get("transferEnv")):
        source = transfer.get("sourceContainerNameFrom")
        if isinstance(source, dict) and isinstance(source.get("fieldRef"), dict):
            _field_ref(source["fieldRef"])
    for env in _dicts(c.get("env")):
        env_var(env)
    resources = c.get("resources")
    if isinstance(resources, dict):
        for key in ("limits", "requests"):
            values = resources.get(key)
            if isinstance(values, dict):
                for name in list(values):
                    values[name] = quantity.milli_rounded(values[name])
    for key in ("livenessProbe", "readinessProbe"):
        probe = c.get(key)
        if isinstance(probe, dict):
            _probe(probe)
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        for key in ("postStart", "preStop"):
            handler = lifecycle.get(key)
            if isinstance(handler, dict) and isinstance(handler.get("httpGet"), dict):
                _http_get(handler["httpGet"])


def env_var(env: dict[str, Any]) -> None:
    """SetDefaults_ObjectFieldSelector on an EnvVar's fieldRef (the apiserver also applies it to
    a Pod before the webhook sees it, so env copied from app containers carries it too)."""
    value_from = env.get("valueFrom")
    if isinstance(value_from, dict) and isinstance(value_from.get("fieldRef"), dict):
        _field_ref(value_from["fieldRef"])


def image_tag(image: str) -> str:
    """The tag parsers.ParseImageName finds: "latest" when there is neither tag nor digest."""
    if not image:
        return ""
    name, at, _digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "" if at else "latest"


def _probe(probe: dict[str, Any]) -> None:
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    if isinstance(probe.get("httpGet"), dict):
        _http_get(probe["httpGet"])


def _http_get(action: dict[str, Any]) -> None:
    if not action.get("path"):
        action["path"] = "/"
    if not action.get("scheme"):
        action["scheme"] = "HTTP"


def _field_ref(ref: dict[str, Any]) -> None:
    if not ref.get("apiVersion"):
        ref["apiVersion"] = "v1"


def pod_volume(volume: dict[str, Any]) -> None:
    """SetDefaultPodVolumes: source-less volumes become emptyDir; file modes and token lifetimes."""
    if not any(key != "name" for key in volume):
        volume["emptyDir"] = {}
    if isinstance(volume.get("hostPath"), dict):
        volume["hostPath"].setdefault("type", "")
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        if isinstance(volume.get(key), dict) and volume[key].get("defaultMode") is None:
            volume[key]["defaultMode"] = 420
    for item in _dicts((volume.get("downwardAPI") or {}).get("items") if isinstance(volume.get("downwardAPI"), dict) else None):
        if isinstance(item.get("fieldRef"), dict):
            _field_ref(item["fieldRef"])
    projected = volume.get("projected")
    for source in _dicts(projected.get("sources") if isinstance(projected, dict) else None):
        downward = source.get("downwardAPI")
        for item in _dicts(downward.get("items") if isinstance(downward, dict) else None):
            if isinstance(item.get("fieldRef"), dict):
                _field_ref(item["fieldRef"])
        token = source.get("serviceAccountToken")
        if isinstance(token, dict) and not token.get("expirationSeconds"):
            token["expirationSeconds"] = 3600


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
