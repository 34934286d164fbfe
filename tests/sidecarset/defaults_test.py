"""Kruise's SidecarSet defaults and the v1alpha1 conversion."""
from __future__ import annotations

import pytest

from kruise_render.sidecarset import convert, defaults


@pytest.mark.parametrize("image, policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.2", "IfNotPresent"),
    ("reg:5000/nginx", "Always"), ("reg:5000/nginx:1", "IfNotPresent"), ("nginx@sha256:abc", "IfNotPresent"),
])
def test_image_pull_policy_default(image: str, policy: str) -> None:
    c = {"name": "c", "image": image}
    defaults.container(c)
    assert c["imagePullPolicy"] == policy


def test_sidecar_container_defaults() -> None:
    c = {"name": "c", "image": "i:1", "ports": [{"containerPort": 1}],
         "env": [{"name": "P", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
         "resources": {"limits": {"cpu": "0.0001"}},
         "livenessProbe": {"httpGet": {"port": 80}}, "startupProbe": {"exec": {"command": ["x"]}},
         "transferEnv": [{"sourceContainerNameFrom": {"fieldRef": {"fieldPath": "metadata.labels['a']"}}, "envName": "E"}]}
    defaults.sidecar_container(c, defaults.BEFORE)
    assert c["podInjectPolicy"] == "BeforeAppContainer"
    assert c["upgradeStrategy"] == {"upgradeType": "ColdUpgrade"} and c["shareVolumePolicy"] == {"type": "disabled"}
    assert c["ports"][0]["protocol"] == "TCP"
    assert c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"
    assert c["transferEnv"][0]["sourceContainerNameFrom"]["fieldRef"]["apiVersion"] == "v1"
    assert c["resources"]["limits"]["cpu"] == "1m"
    assert c["livenessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                                  "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert c["startupProbe"] == {"exec": {"command": ["x"]}}  # Kruise does not default startup probes


def test_init_containers_default_after_app_and_patches_retain() -> None:
    spec = {"initContainers": [{"name": "i"}], "patchPodMetadata": [{"annotations": {"a": "b"}}],
            "injectionStrategy": {"revision": {"revisionName": "r"}}}
    defaults.apply(spec)
    assert spec["initContainers"][0]["podInjectPolicy"] == "AfterAppContainer"
    assert spec["patchPodMetadata"][0]["patchPolicy"] == "Retain"
    assert spec["injectionStrategy"]["revision"]["policy"] == "Always"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "maxUnavailable": 1, "partition": 0}


def test_volume_defaults() -> None:
    volumes = [{"name": "a"}, {"name": "s", "secret": {"secretName": "x", "defaultMode": 256}},
               {"name": "p", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
               {"name": "d", "downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]}}]
    for v in volumes:
        defaults.pod_volume(v)
    assert volumes[0] == {"name": "a", "emptyDir": {}}
    assert volumes[1]["secret"]["defaultMode"] == 256
    assert volumes[2]["projected"] == {"sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}],
                                       "defaultMode": 420}
    assert volumes[3]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"] == "v1"


def test_v1alpha1_conversion() -> None:
    data = {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet",
            "metadata": {"name": "s", "labels": {"apps.kruise.io/sidecarset-custom-version": "v2", "x": "y"}},
            "spec": {"namespace": "ns", "namespaceSelector": {"matchLabels": {"a": "b"}}, "selector": {}}}
    out = convert.to_v1beta1(data)
    assert out["apiVersion"] == "apps.kruise.io/v1beta1"
    assert out["spec"] == {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ns"}}, "selector": {},
                           "customVersion": "v2"}
    assert out["metadata"]["labels"] == {"x": "y"}
    assert data["spec"]["namespace"] == "ns"  # the input is not touched
