"""The defaults the SidecarSet mutating webhook applies before storing (and hashing) a SidecarSet:
apis/apps/defaults/v1beta1.go SetDefaultsSidecarSetV1beta1 and apis/apps/defaults/pod.go
SetDefaultPodVolumes, with the corev1 SetDefaults_* helpers they call.

Fields are read with obj.get_map: one that is absent (or of another shape, which Go's decoding
reports) reads as a detached empty mapping, so defaulting it adds nothing, as in Go, where only
a field that is there is defaulted.
"""
from __future__ import annotations

from kruise_render.k8s import quantity
from kruise_render.obj import Obj, ensure_map, get_map, maps

BEFORE, AFTER = "BeforeAppContainer", "AfterAppContainer"


def apply(spec: Obj) -> None:
    """Default `spec` (v1beta1 shape, already a private copy, shape-checked) in place."""
    strategy = ensure_map(spec, "updateStrategy")
    strategy.setdefault("type", "RollingUpdate")
    strategy.setdefault("maxUnavailable", 1)
    strategy.setdefault("partition", 0)
    for key, policy in (("initContainers", AFTER), ("containers", BEFORE)):
        for _, container in maps(spec.get(key)):
            sidecar_container(container, policy)
    for _, volume in maps(spec.get("volumes")):
        pod_volume(volume)
    for _, patch in maps(spec.get("patchPodMetadata")):
        if not patch.get("patchPolicy"):
            patch["patchPolicy"] = "Retain"
    revision = get_map(spec, "injectionStrategy", "revision")  # a detached {} when absent
    if not revision.get("policy"):
        revision["policy"] = "Always"


def sidecar_container(c: Obj, inject_policy: str) -> None:
    """setDefaultSidecarContainerV1beta1 + setDefaultContainerV1beta1."""
    if not c.get("podInjectPolicy"):
        c["podInjectPolicy"] = inject_policy
    upgrade = ensure_map(c, "upgradeStrategy")
    if not upgrade.get("upgradeType"):
        upgrade["upgradeType"] = "ColdUpgrade"
    share = ensure_map(c, "shareVolumePolicy")
    if not share.get("type"):
        share["type"] = "disabled"
    policy = get_map(c, "resourcesPolicy")
    if policy.get("targetContainersNameRegex") is None:
        # CRD schema default, applied by the apiserver to an absent field only: an explicit ""
        # stays and the validating webhook refuses it ("invalid empty regex")
        policy["targetContainersNameRegex"] = ".*"
    container(c)


def container(c: Obj) -> None:
    """corev1 SetDefaults_Container and the per-field defaults Kruise adds. A field of another
    shape is left alone: Go's decoding reports it."""
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = "/dev/termination-log"
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = "Always" if image_tag(str(c.get("image") or "")) == "latest" else "IfNotPresent"
    for _, port in maps(c.get("ports")):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for _, transfer in maps(c.get("transferEnv")):
        _field_ref(get_map(transfer, "sourceContainerNameFrom", "fieldRef"))
    for _, env in maps(c.get("env")):
        env_var(env)
    for key in ("limits", "requests"):
        values = get_map(c, "resources", key)
        for name in list(values):
            values[name] = quantity.milli_rounded(values[name])
    for key in ("livenessProbe", "readinessProbe"):
        _probe(get_map(c, key))
    for key in ("postStart", "preStop"):
        _http_get(get_map(c, "lifecycle", key, "httpGet"))


def env_var(env: Obj) -> None:
    """SetDefaults_ObjectFieldSelector on an EnvVar's fieldRef (the apiserver also applies it to
    a Pod before the webhook sees it, so env copied from app containers carries it too)."""
    _field_ref(get_map(env, "valueFrom", "fieldRef"))


def image_tag(image: str) -> str:
    """The tag parsers.ParseImageName finds: "latest" when there is neither tag nor digest."""
    if not image:
        return ""
    name, at, _digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "" if at else "latest"


def _probe(probe: Obj) -> None:
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _http_get(get_map(probe, "httpGet"))


def _http_get(action: Obj) -> None:
    if not action.get("path"):
        action["path"] = "/"
    if not action.get("scheme"):
        action["scheme"] = "HTTP"


def _field_ref(ref: Obj) -> None:
    if not ref.get("apiVersion"):
        ref["apiVersion"] = "v1"


def pod_volume(volume: Obj) -> None:
    """SetDefaultPodVolumes: source-less volumes become emptyDir; file modes and token lifetimes."""
    if not any(key != "name" for key in volume):
        volume["emptyDir"] = {}
    get_map(volume, "hostPath").setdefault("type", "")
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        source = get_map(volume, key)
        if source.get("defaultMode") is None:
            source["defaultMode"] = 420
    for _, item in maps(get_map(volume, "downwardAPI").get("items")):
        _field_ref(get_map(item, "fieldRef"))
    for _, source in maps(get_map(volume, "projected").get("sources")):
        for _, item in maps(get_map(source, "downwardAPI").get("items")):
            _field_ref(get_map(item, "fieldRef"))
        token = get_map(source, "serviceAccountToken")
        if not token.get("expirationSeconds"):
            token["expirationSeconds"] = 3600
