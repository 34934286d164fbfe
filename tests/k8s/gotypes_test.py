"""gotypes: a container as Go's encoding/json writes it, with the facts of the generated table."""
from __future__ import annotations

import pytest

from kruise_render.k8s import gotypes


def test_kinds_follow_go_types_and_omitempty() -> None:
    # kubernetes/api@v0.32.10:core/v1/types.go: `Name string json:"name"`, `Image string
    # json:"image,omitempty"`, `Resources ResourceRequirements json:"resources,omitempty"` (a struct:
    # omitempty does not apply), `RestartPolicy *ContainerRestartPolicy json:"restartPolicy,omitempty"`.
    container = dict(gotypes.TYPES["Container"])
    assert (container["name"], container["image"], container["resources"], container["restartPolicy"]) == (
        "str!", "str", "ResourceRequirements", "ptr")
    assert (container["ports"], container["command"], container["livenessProbe"]) == ("[ContainerPort]", "[str]", "*Probe")
    assert dict(gotypes.TYPES["GRPCAction"]) == {"port": "int!", "service": "ptr!"}
    assert dict(gotypes.TYPES["ResourceFieldSelector"])["divisor"] == "qty"
    assert dict(gotypes.TYPES["ResourceRequirements"])["limits"] == "rl"
    assert dict(gotypes.TYPES["HTTPGetAction"])["port"] == "ios"


def test_normalize_writes_go_field_order_and_drops_empties() -> None:
    value = {"tty": False, "image": "", "ports": [{"containerPort": 80, "name": "web"}], "name": "c",
             "resources": {"limits": {"cpu": "1000m"}}, "env": [{"value": "1", "name": "A"}]}
    out = gotypes.normalize(value, "Container")
    assert list(out) == ["name", "ports", "env", "resources"]
    assert out["ports"] == [{"name": "web", "containerPort": 80}]
    assert out["env"] == [{"name": "A", "value": "1"}]
    assert out["resources"] == {"limits": {"cpu": "1"}}


def test_sidecar_container_is_container_then_kruise_fields_and_container_part_drops_them() -> None:
    out = gotypes.normalize({"name": "s", "podInjectPolicy": "AfterAppContainer", "image": "x"}, "SidecarContainer")
    assert list(out) == ["name", "image", "resources", "podInjectPolicy", "upgradeStrategy", "shareVolumePolicy"]
    assert gotypes.container_part(out) == {"name": "s", "image": "x", "resources": {}}


def test_unknown_fields_are_reported_and_pruned() -> None:
    seen: list[tuple[object, ...]] = []
    out = gotypes.normalize({"name": "c", "colour": "red", "ports": [{"containerPort": 1, "x": 1}]}, "Container", seen.append)
    assert seen == [("colour",), ("ports", 0, "x")] and "colour" not in out


def test_a_mapping_of_the_wrong_shape_names_the_go_type() -> None:
    with pytest.raises(gotypes.GoTypeError) as caught:
        gotypes.normalize({"name": "E", "valueFrom": {"configMapKeyRef": "x"}}, "EnvVar")
    assert (caught.value.message, caught.value.path) == (
        "must be a mapping (ConfigMapKeySelector), got str", ("valueFrom", "configMapKeyRef"))


def test_in_field_order_sorts_struct_keys_as_go_marshals_them_and_keeps_everything() -> None:
    volume = {"configMap": {"optional": False, "defaultMode": 420, "name": "cfg", "items": [{"path": "a", "key": "k"}]},
              "name": "cfg", "extra": 1}
    ordered = gotypes.in_field_order(volume, "Volume")
    assert list(ordered) == ["name", "configMap", "extra"]
    assert list(ordered["configMap"]) == ["name", "items", "defaultMode", "optional"]  # k8s.io/api@v0.32 ConfigMapVolumeSource
    assert list(ordered["configMap"]["items"][0]) == ["key", "path"]
    assert ordered == volume
    csi = gotypes.in_field_order({"csi": {"volumeAttributes": {"b": "1", "a": "2"}, "driver": "d"}, "name": "v"}, "Volume")
    assert list(csi["csi"]) == ["driver", "volumeAttributes"] and list(csi["csi"]["volumeAttributes"]) == ["a", "b"]
