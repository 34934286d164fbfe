"""The SidecarSet hash, checked against the vectors Kruise's own tests assert (C19)."""
from __future__ import annotations

import copy

import pytest

from kruise_render.sidecarset import defaults
from kruise_render.sidecarset import hash as sshash

PLAIN = {"containers": [{"name": "container1", "image": "test-image"}]}
WITH_PLAIN_INIT = {"containers": [{"name": "container1", "image": "test-image"}],
                   "initContainers": [{"name": "container1", "image": "test-image"}]}
WITH_NATIVE_INIT = {"containers": [{"name": "container1", "image": "test-image"}],
                    "initContainers": [{"name": "container1", "image": "test-image", "restartPolicy": "Always"}]}


@pytest.mark.parametrize("spec, digest, without_image", [
    (PLAIN, "w26c4x8fz245642fdv499b464248f974xddx4x55z5dw55bc6x66464fxz77dc78",
     "8wzddb4dvv9c6x8zdc77z4z75987424f457dfv6724ddw6zbdx467wz5x24fc759"),
    (WITH_PLAIN_INIT, "w26c4x8fz245642fdv499b464248f974xddx4x55z5dw55bc6x66464fxz77dc78",
     "8wzddb4dvv9c6x8zdc77z4z75987424f457dfv6724ddw6zbdx467wz5x24fc759"),
    (WITH_NATIVE_INIT, "4xwx4d4844vd4v9x79wb4xbxf4xb29475cc4446v8cz2c2f2f5c5bw448vd42z8w",
     "5725fw8bwbx249bw57v5892c847dzf48bww9zb7c86xb95264fdz26654847b2c8"),
], ids=["containers", "plain-init-ignored", "native-init-hashes-all-inits"])
def test_hash_vectors_without_defaults(spec: dict, digest: str, without_image: str) -> None:
    assert sshash.hashes(spec) == (digest, without_image)


def test_payload_is_go_json_in_struct_order() -> None:
    assert sshash.payload(PLAIN) == (
        '{"containers":[{"name":"container1","image":"test-image","resources":{},'
        '"upgradeStrategy":{},"shareVolumePolicy":{}}]}')
    assert sshash.payload(WITH_NATIVE_INIT, with_image=False) == (
        '{"containers":[{"name":"container1","resources":{},"upgradeStrategy":{},"shareVolumePolicy":{}}],'
        '"initContainers":[{"name":"container1","resources":{},"restartPolicy":"Always","upgradeStrategy":{},'
        '"shareVolumePolicy":{}}]}')


def test_hash_of_defaulted_sidecarset_matches_the_mutating_webhook() -> None:
    spec = {"containers": [{"name": "dns-f", "image": "dns:1.0"}]}
    defaults.apply(spec)
    assert sshash.payload(spec) == (
        '{"containers":[{"name":"dns-f","image":"dns:1.0","resources":{},"terminationMessagePath":'
        '"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent",'
        '"podInjectPolicy":"BeforeAppContainer","upgradeStrategy":{"upgradeType":"ColdUpgrade"},'
        '"shareVolumePolicy":{"type":"disabled"}}]}')
    assert sshash.hashes(spec) == ("6wbd76bd7984x24fb4f44fv9222cw9v9bcf85x766744wddd4zwx927zzz2zb684",
                                   "82684vwf9d4cb4wz4vffx4ddfbb47ww4z4wwxdbwb8w2zbb7zvf4524cdd49bv94")


def test_absent_and_empty_containers_hash_differently() -> None:
    assert sshash.payload({}) == '{"containers":null}'
    assert sshash.payload({"containers": []}) == '{"containers":[]}'


def test_only_containers_count_not_volumes_or_selectors() -> None:
    more = copy.deepcopy(PLAIN)
    more.update(volumes=[{"name": "v", "emptyDir": {}}], selector={"matchLabels": {"a": "b"}})
    assert sshash.hashes(more) == sshash.hashes(PLAIN)


def test_html_characters_are_escaped_like_go() -> None:
    spec = {"containers": [{"name": "c", "image": "i", "command": ["a<b>&c"]}]}
    assert '"command":["a\\u003cb\\u003e\\u0026c"]' in sshash.payload(spec)


def test_quantities_and_pointer_fields_marshal_like_go() -> None:
    spec = {"containers": [{"name": "c", "resources": {"requests": {"memory": "1024Mi", "cpu": "0.5"}},
                            "securityContext": {"privileged": False}, "stdin": False}]}
    assert ('"resources":{"requests":{"cpu":"500m","memory":"1Gi"}}' in sshash.payload(spec))
    assert '"securityContext":{"privileged":false}' in sshash.payload(spec)
    assert '"stdin"' not in sshash.payload(spec)
