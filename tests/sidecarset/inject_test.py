"""Injection rules, each checked on whole pods rendered through the pipeline."""
from __future__ import annotations

import json

import pytest
import yaml

from tests.sidecarset.helpers import messages, pod

INJECTED = {"name": "IS_INJECTED", "value": "true"}
DEFAULTED = {"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
             "imagePullPolicy": "IfNotPresent"}

C01 = """
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata: {name: sidecarset1}
spec:
  selector: {matchLabels: {app: suxing-test}}
  initContainers:
  - {name: init-2, image: "busybox:1.0.0"}
  - {name: init-1, image: "busybox:1.0.0"}
  containers:
  - {name: dns-f, image: "dns-f-image:1.0", podInjectPolicy: BeforeAppContainer, shareVolumePolicy: {type: disabled}}
  - {name: log-agent, image: "log-agent-image:1.0", podInjectPolicy: AfterAppContainer, shareVolumePolicy: {type: disabled}}
---
apiVersion: v1
kind: Pod
metadata:
  name: test-pod
  namespace: default
  labels: {app: suxing-test}
spec:
  initContainers:
  - {name: init-0, image: "busybox:1.0.0"}
  containers:
  - name: nginx
    image: nginx:1.15.1
    env: [{name: hello1, value: world1}, {name: hello2, value: world2}]
    volumeMounts: [{name: volume-a, mountPath: /a/b}, {name: volume-b, mountPath: /e/f}]
  volumes: [{name: volume-a, emptyDir: {}}, {name: volume-b, emptyDir: {}}]
"""


def _entry(name: str, digest: str, sidecars: list[str], stamp: str | None = None) -> dict:
    return {"updateTimestamp": stamp, "hash": digest, "sidecarSetName": name, "sidecarList": sidecars}


def test_c01_basic_injection_whole_pod() -> None:
    nginx = {"name": "nginx", "image": "nginx:1.15.1",
             "env": [{"name": "hello1", "value": "world1"}, {"name": "hello2", "value": "world2"}],
             "volumeMounts": [{"name": "volume-a", "mountPath": "/a/b"}, {"name": "volume-b", "mountPath": "/e/f"}]}
    digest = "64c5z96w6ffz8dcvv2xfdwv8997v7w4wzvf9xbwd489b9764wdb59z4587762xbz"
    without = "z2vx765zdxz44zvv62c4zx2w4b24vb857d765xw8xv8x8ccx76x9854b945294b9"
    sidecar_list = ["dns-f", "log-agent"]
    assert pod(C01) == {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": "test-pod", "namespace": "default", "labels": {"app": "suxing-test"},
            "annotations": {
                "kruise.io/sidecarset-hash": json.dumps({"sidecarset1": _entry("sidecarset1", digest, sidecar_list)},
                                                        separators=(",", ":")),
                "kruise.io/sidecarset-hash-without-image": json.dumps(
                    {"sidecarset1": _entry("sidecarset1", without, sidecar_list)}, separators=(",", ":")),
                "kruise.io/sidecarset-injected-list": "sidecarset1",
            },
        },
        "spec": {
            "initContainers": [
                {"name": "init-0", "image": "busybox:1.0.0"},
                {"name": "init-1", "image": "busybox:1.0.0", "env": [INJECTED], **DEFAULTED},
                {"name": "init-2", "image": "busybox:1.0.0", "env": [INJECTED], **DEFAULTED},
            ],
            "containers": [
                {"name": "dns-f", "image": "dns-f-image:1.0", "env": [INJECTED], **DEFAULTED},
                nginx,
                {"name": "log-agent", "image": "log-agent-image:1.0", "env": [INJECTED], **DEFAULTED},
            ],
            "volumes": [{"name": "volume-a", "emptyDir": {}}, {"name": "volume-b", "emptyDir": {}}],
        },
    }


def test_c01_with_timestamp_writes_go_time() -> None:
    out = pod(C01, timestamp="2024-01-02T04:04:05+01:00")
    entry = json.loads(out["metadata"]["annotations"]["kruise.io/sidecarset-hash"])["sidecarset1"]
    assert entry["updateTimestamp"] == "2024-01-02T03:04:05Z"


def _case(sidecar: str, pod_spec: str, labels: str = "{app: web}", extra: str = "") -> str:
    return f"""
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata: {{name: s1}}
spec:
  selector: {{matchLabels: {{app: web}}}}
{sidecar}
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {labels}
{extra}
spec:
{pod_spec}
"""


APP = "  containers:\n  - {name: app, image: app:1}\n"


def test_same_name_container_is_replaced_in_place() -> None:
    out = pod(_case("  containers:\n  - {name: app, image: sidecar:2, podInjectPolicy: AfterAppContainer}",
                    "  containers:\n  - {name: first, image: f:1}\n  - {name: app, image: app:1, args: [x]}\n"
                    "  - {name: last, image: l:1}"))
    names = [(c["name"], c["image"]) for c in out["spec"]["containers"]]
    assert names == [("first", "f:1"), ("app", "sidecar:2"), ("last", "l:1")]
    assert "args" not in out["spec"]["containers"][1]


def test_init_containers_honour_pod_inject_policy_and_are_sorted() -> None:
    out = pod(_case("  initContainers:\n  - {name: z-init, image: z:1, podInjectPolicy: BeforeAppContainer}\n"
                    "  - {name: a-init, image: a:1, podInjectPolicy: BeforeAppContainer}\n  - {name: m-init, image: m:1}",
                    "  initContainers:\n  - {name: own, image: o:1}\n" + APP))
    assert [c["name"] for c in out["spec"]["initContainers"]] == ["a-init", "z-init", "own", "m-init"]


def test_default_placement_is_before_for_containers_after_for_init() -> None:
    out = pod(_case("  initContainers:\n  - {name: i, image: i:1}\n  containers:\n  - {name: s, image: s:1}",
                    "  initContainers:\n  - {name: own, image: o:1}\n" + APP))
    assert [c["name"] for c in out["spec"]["containers"]] == ["s", "app"]
    assert [c["name"] for c in out["spec"]["initContainers"]] == ["own", "i"]


def test_share_volume_policy_copies_app_mounts_skipping_used_paths() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    shareVolumePolicy: {type: enabled}
    volumeMounts: [{name: own, mountPath: /a}]
  volumes: [{name: own, emptyDir: {}}, {name: unused, emptyDir: {}}]"""
    spec = """  containers:
  - name: app
    image: app:1
    volumeMounts: [{name: data, mountPath: /a}, {name: data, mountPath: /b, readOnly: true, subPath: x}]
  - name: app2
    image: app:2
    volumeMounts: [{name: data, mountPath: /b}, {name: other, mountPath: /c}]
  volumes: [{name: data, emptyDir: {}}, {name: other, emptyDir: {}}]"""
    out = pod(_case(sidecar, spec))
    s = out["spec"]["containers"][0]
    assert s["volumeMounts"] == [{"name": "own", "mountPath": "/a"},
                                 {"name": "data", "mountPath": "/b", "readOnly": True, "subPath": "x"},
                                 {"name": "other", "mountPath": "/c"}]
    assert [v["name"] for v in out["spec"]["volumes"]] == ["data", "other", "own"]


def test_pod_volume_wins_over_sidecarset_volume_of_same_name() -> None:
    sidecar = """  containers:
  - {name: s, image: s:1, volumeMounts: [{name: data, mountPath: /d}]}
  volumes: [{name: data, configMap: {name: cm}}]"""
    out = pod(_case(sidecar, APP + "  volumes: [{name: data, emptyDir: {}}]"))
    assert out["spec"]["volumes"] == [{"name": "data", "emptyDir": {}}]


def test_sidecarset_volumes_are_defaulted() -> None:
    sidecar = """  containers:
  - {name: s, image: s:1, volumeMounts: [{name: cm, mountPath: /c}, {name: bare, mountPath: /b}, {name: hp, mountPath: /h}]}
  volumes: [{name: cm, configMap: {name: x}}, {name: bare}, {name: hp, hostPath: {path: /p}}]"""
    out = pod(_case(sidecar, APP))
    assert out["spec"]["volumes"] == [{"name": "cm", "configMap": {"name": "x", "defaultMode": 420}},
                                      {"name": "bare", "emptyDir": {}}, {"name": "hp", "hostPath": {"path": "/p", "type": ""}}]


def test_subpath_expr_envs_are_copied_after_transfer_env() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    shareVolumePolicy: {type: enabled}
    transferEnv: [{sourceContainerName: app, envName: TZ}]"""
    spec = """  containers:
  - name: app
    image: app:1
    env: [{name: TZ, value: UTC}, {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
    volumeMounts: [{name: logs, mountPath: /logs, subPathExpr: "$(POD)/x/$(MISSING)"}]
  volumes: [{name: logs, emptyDir: {}}]"""
    env = pod(_case(sidecar, spec))["spec"]["containers"][0]["env"]
    assert env == [INJECTED, {"name": "TZ", "value": "UTC"},
                   {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}]


def test_transfer_env_from_label_sorted_and_own_env_wins() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    env: [{name: B, value: mine}]
    transferEnv:
    - sourceContainerNameFrom: {fieldRef: {fieldPath: "metadata.labels['main']"}}
      envNames: [C, B, A, NOPE]"""
    spec = """  containers:
  - name: other
    image: o:1
    env: [{name: A, value: wrong}]
  - name: app
    image: app:1
    env: [{name: C, value: c}, {name: B, value: b}, {name: A, value: a}]"""
    env = pod(_case(sidecar, spec, labels="{app: web, main: app}"))["spec"]["containers"][0]["env"]
    assert env == [{"name": "B", "value": "mine"}, INJECTED, {"name": "A", "value": "a"}, {"name": "C", "value": "c"}]


def test_transfer_env_with_metadata_name_field_is_refused() -> None:
    # Kruise's validating webhook (validateDownwardAPI -> ConvertDownwardAPIFieldLabel) refuses
    # any fieldPath but a subscripted metadata.labels / metadata.annotations for a container.
    sidecar = """  containers:
  - name: s
    image: s:1
    transferEnv: [{sourceContainerNameFrom: {fieldRef: {fieldPath: metadata.name}}, envName: A}]"""
    spec = "  containers:\n  - {name: p, image: a:1, env: [{name: A, value: x}]}"
    assert any("field label not supported: metadata.name" in m for m in messages(_case(sidecar, spec)))


def test_image_pull_secrets_pod_first_deduplicated() -> None:
    sidecar = "  containers:\n  - {name: s, image: s:1}\n  imagePullSecrets: [{name: b}, {name: c}]"
    out = pod(_case(sidecar, APP + "  imagePullSecrets: [{name: a}, {name: b}, {name: a}]"))
    assert out["spec"]["imagePullSecrets"] == [{"name": "a"}, {"name": "b"}, {"name": "c"}]


def test_hot_upgrade_injects_two_containers_with_version_envs() -> None:
    sidecar = """  containers:
  - name: mesh
    image: mesh:1
    upgradeStrategy: {upgradeType: HotUpgrade, hotUpgradeEmptyImage: "empty:1"}"""
    out = pod(_case(sidecar, APP))
    first, second, _app = out["spec"]["containers"]
    assert (first["name"], first["image"], second["name"], second["image"]) == ("mesh-1", "mesh:1", "mesh-2", "empty:1")
    def version(name: str, annotation: str) -> dict[str, object]:
        return {"name": name, "valueFrom": {"fieldRef": {"fieldPath": f"metadata.annotations['{annotation}']"}}}

    assert second["env"] == [INJECTED, version("SIDECARSET_VERSION", "version.sidecarset.kruise.io/mesh-2"),
                             version("SIDECARSET_VERSION_ALT", "versionalt.sidecarset.kruise.io/mesh-2")]
    notes = out["metadata"]["annotations"]
    assert notes["kruise.io/sidecarset-working-hotupgrade-container"] == '{"mesh":"mesh-1"}'
    versions = [notes[f"{k}.sidecarset.kruise.io/mesh-{i}"] for k in ("version", "versionalt") for i in (1, 2)]
    assert versions == ["1", "0", "0", "1"]
    assert json.loads(notes["kruise.io/sidecarset-hash"])["s1"]["sidecarList"] == ["mesh"]


def test_native_sidecars_count_in_sidecar_list() -> None:
    sidecar = """  updateStrategy: {type: NotUpdate}
  initContainers:
  - {name: native, image: n:1, restartPolicy: Always}
  - {name: plain, image: p:1}
  containers:
  - {name: s, image: s:1}"""
    out = pod(_case(sidecar, APP))
    assert json.loads(out["metadata"]["annotations"]["kruise.io/sidecarset-hash"])["s1"]["sidecarList"] == ["native", "s"]
    assert out["spec"]["initContainers"][0]["restartPolicy"] == "Always"


def test_native_sidecar_needs_not_update_strategy() -> None:
    sidecar = "  initContainers:\n  - {name: native, image: n:1, restartPolicy: Always}"
    assert any("spec.updateStrategy" in m and "NotUpdate" in m for m in messages(_case(sidecar, APP)))


def test_patch_pod_metadata_policies() -> None:
    sidecar = """  containers:
  - {name: s, image: s:1}
  patchPodMetadata:
  - annotations: {keep: new, fresh: value}
  - patchPolicy: Overwrite
    annotations: {over: new}
  - patchPolicy: MergePatchJson
    annotations: {json: '{"b": 2, "a": null}', newjson: '{"x": 1}'}"""
    extra = """  annotations: {keep: old, over: old, json: '{"z": 1, "a": 0}'}"""
    notes = pod(_case(sidecar, APP, extra=extra))["metadata"]["annotations"]
    assert (notes["keep"], notes["fresh"], notes["over"]) == ("old", "value", "new")
    assert notes["json"] == '{"b":2,"z":1}'
    assert notes["newjson"] == '{"x": 1}'


def test_unknown_patch_policy_is_accepted_and_patches_nothing_as_kruise_does() -> None:
    # The CRD has no enum and the webhook only requires a non-empty policy; PatchPodMetadata
    # (sidecarcontrol/util.go) has no case for it, so the annotation is not written.
    sidecar = """  containers:
  - {name: s, image: s:1}
  patchPodMetadata:
  - {patchPolicy: Replace, annotations: {extra: value}}"""
    text = _case(sidecar, APP)
    assert "extra" not in pod(text)["metadata"].get("annotations", {})
    assert any("patchPodMetadata[0].patchPolicy: warning: unknown patchPolicy 'Replace'" in m for m in messages(text))


def test_non_string_patch_policy_is_an_error_as_the_crd_types_it_string() -> None:
    sidecar = "  containers:\n  - {name: s, image: s:1}\n  patchPodMetadata:\n  - {patchPolicy: 3, annotations: {a: b}}"
    assert any("patchPolicy: expected a string" in m for m in messages(_case(sidecar, APP)))


def test_invalid_merge_patch_json_is_an_error() -> None:
    sidecar = """  containers:
  - {name: s, image: s:1}
  patchPodMetadata:
  - {patchPolicy: MergePatchJson, annotations: {json: '{"b": 2}'}}"""
    found = messages(_case(sidecar, APP, extra="  annotations: {json: 'not json'}"))
    assert any("MergePatchJson" in m and "invalid JSON document" in m for m in found), found


def test_existing_legacy_hash_annotation_is_upgraded_and_list_unioned() -> None:
    extra = """  annotations:
    kruise.io/sidecarset-hash: '{"old":"abc"}'
    kruise.io/sidecarset-injected-list: old"""
    notes = pod(_case("  containers:\n  - {name: s, image: s:1}", APP, extra=extra))["metadata"]["annotations"]
    assert json.loads(notes["kruise.io/sidecarset-hash"])["old"] == _entry("old", "abc", None)  # type: ignore[arg-type]
    assert notes["kruise.io/sidecarset-hash"].startswith(
        '{"old":{"updateTimestamp":null,"hash":"abc","sidecarSetName":"old","sidecarList":null}')
    assert notes["kruise.io/sidecarset-injected-list"] == "old,s1"


def test_unparsable_hash_annotation_is_an_error() -> None:
    extra = "  annotations: {kruise.io/sidecarset-hash: 'nope'}"
    assert any("unmarshal failed" in m for m in messages(_case("  containers:\n  - {name: s, image: s:1}", APP, extra=extra)))


def test_duplicate_container_between_native_init_and_container_is_an_error() -> None:
    sidecar = "  updateStrategy: {type: NotUpdate}\n  initContainers:\n  - {name: x, image: n:1, restartPolicy: Always}"
    found = messages(_case(sidecar, "  containers:\n  - {name: x, image: app:1}"))
    assert any("duplicate container name 'x'" in m for m in found), found


def test_resources_policy_sums_app_containers() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    resourcesPolicy:
      targetContainersMode: sum
      resourcesExpr:
        limits: {cpu: "cpu*50%", memory: 200Mi}
        requests: {cpu: "max(cpu*50%, 50m)", memory: "memory/2"}"""
    spec = """  containers:
  - {name: a, image: a:1, resources: {limits: {cpu: "1", memory: 1Gi}, requests: {cpu: 500m, memory: 512Mi}}}
  - {name: b, image: b:1, resources: {limits: {cpu: "2", memory: 1Gi}, requests: {cpu: 250m}}}"""
    resources = pod(_case(sidecar, spec))["spec"]["containers"][0]["resources"]
    # b's memory request is its limit (SetDefaults_Pod runs before the webhook): (512Mi + 1Gi) / 2
    assert resources == {"limits": {"cpu": "1500m", "memory": "200Mi"}, "requests": {"cpu": "375m", "memory": "768Mi"}}


def test_resources_policy_drops_limit_when_a_target_has_none() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    resourcesPolicy: {targetContainersMode: max, resourcesExpr: {limits: {memory: 200Mi}, requests: {cpu: "0.1"}}}"""
    spec = "  containers:\n  - {name: a, image: a:1, resources: {limits: {cpu: '1'}}}"
    assert pod(_case(sidecar, spec))["spec"]["containers"][0]["resources"] == {"requests": {"cpu": "100m"}}


def test_resources_policy_without_target_is_an_error() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    resourcesPolicy: {targetContainersMode: sum, targetContainersNameRegex: "^nomatch$", resourcesExpr: {requests: {cpu: cpu}}}"""
    assert any("no containers match the regex pattern" in m for m in messages(_case(sidecar, APP)))


@pytest.mark.parametrize("gate, order", [(False, ["zeta", "alpha", "app"]), (True, ["alpha", "zeta", "app"])])
def test_sort_gate_orders_injected_containers_by_name(gate: bool, order: list[str]) -> None:
    sidecar = "  containers:\n  - {name: zeta, image: z:1}\n  - {name: alpha, image: a:1}"
    gates = {"EnableSortSidecarContainerByName": gate}
    assert [c["name"] for c in pod(_case(sidecar, APP), feature_gates=gates)["spec"]["containers"]] == order


def test_share_volume_device_policy_copies_app_devices() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    shareVolumeDevicePolicy: {type: enabled}
    volumeMounts: [{name: own, mountPath: /dev/b}]
    volumeDevices: [{name: blk, devicePath: /dev/own}]
  volumes: [{name: own, emptyDir: {}}, {name: blk, persistentVolumeClaim: {claimName: c}}]"""
    spec = """  containers:
  - name: app
    image: app:1
    volumeDevices: [{name: d1, devicePath: /dev/a}, {name: d2, devicePath: /dev/b}, {name: d3, devicePath: /dev/own}]"""
    out = pod(_case(sidecar, spec))
    assert out["spec"]["containers"][0]["volumeDevices"] == [{"name": "blk", "devicePath": "/dev/own"},
                                                             {"name": "d1", "devicePath": "/dev/a"}]
    assert [v["name"] for v in out["spec"]["volumes"]] == ["own", "blk"]


def test_native_hot_upgrade_init_container_becomes_a_pair() -> None:
    sidecar = """  updateStrategy: {type: NotUpdate}
  initContainers:
  - {name: mesh, image: m:1, restartPolicy: Always, upgradeStrategy: {upgradeType: HotUpgrade, hotUpgradeEmptyImage: "e:1"}}
  - {name: setup, image: s:1, upgradeStrategy: {upgradeType: HotUpgrade, hotUpgradeEmptyImage: "e:1"}}"""
    out = pod(_case(sidecar, APP))
    assert [c["name"] for c in out["spec"]["initContainers"]] == ["mesh-1", "mesh-2", "setup"]
    notes = out["metadata"]["annotations"]
    assert notes["kruise.io/sidecarset-working-hotupgrade-container"] == '{"mesh":"mesh-1"}'
    assert '"sidecarList":["mesh"]' in notes["kruise.io/sidecarset-hash"]


def test_two_sidecarsets_with_an_identical_volume_inject_it_once() -> None:
    text = _case("  containers:\n  - {name: a, image: a:1, volumeMounts: [{name: v, mountPath: /v}]}\n"
                 "  volumes: [{name: v, emptyDir: {}}]", APP)
    text += """---
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata: {name: s2}
spec:
  selector: {matchLabels: {app: web}}
  containers: [{name: b, image: "b:1", volumeMounts: [{name: v, mountPath: /v}]}]
  volumes: [{name: v, emptyDir: {}}]
"""
    out = pod(text)
    assert out["spec"]["volumes"] == [{"name": "v", "emptyDir": {}}]
    assert [c["name"] for c in out["spec"]["containers"]] == ["a", "b", "app"]
    assert out["metadata"]["annotations"]["kruise.io/sidecarset-injected-list"] == "s1,s2"


def test_injecting_into_injected_output_is_a_no_op() -> None:
    sidecar = """  containers:
  - name: mesh
    image: mesh:1
    shareVolumePolicy: {type: enabled}
    upgradeStrategy: {upgradeType: HotUpgrade, hotUpgradeEmptyImage: "empty:1"}
    transferEnv: [{sourceContainerName: app, envName: TZ}]
  patchPodMetadata:
  - {patchPolicy: MergePatchJson, annotations: {cfg: '{"a": 1}'}}"""
    spec = """  containers:
  - {name: app, image: app:1, env: [{name: TZ, value: UTC}], volumeMounts: [{name: d, mountPath: /d}]}
  volumes: [{name: d, emptyDir: {}}]"""
    text = _case(sidecar, spec, extra="  annotations: {cfg: '{\"b\": 2}'}")
    first = pod(text)
    again = yaml.safe_dump(first) + "---\n" + text.split("---")[0]
    assert pod(again) == first


@pytest.mark.parametrize("spec, where", [
    ("  containers: x", "spec.containers: must be a list of mappings"),
    ("  containers: [{name: app, env: 3}]", "spec.containers[0].env: must be a list of mappings"),
    ("  containers: [{name: app, resources: 3}]", "spec.containers[0].resources: must be a mapping"),
])
def test_malformed_pod_templates_are_reported_not_crashed_on(spec: str, where: str) -> None:
    found = messages(_case("  containers:\n  - {name: s, image: s:1}", spec))
    assert any(where in m for m in found), found


def test_a_resources_policy_target_whose_limits_are_not_a_mapping_is_reported() -> None:
    sidecar = """  containers:
  - name: s
    image: s:1
    resourcesPolicy: {targetContainersMode: sum, resourcesExpr: {limits: {cpu: "cpu*2"}}}"""
    found = messages(_case(sidecar, "  containers: [{name: app, image: app:1, resources: {limits: cpu}}]"))
    assert any("spec.containers[0].resourcesPolicy: SidecarSet s1 container s: failed to apply resources policy: "
               "a target container's resources: limits must be a mapping" in m for m in found), found


def test_transferring_an_env_var_whose_name_is_not_a_string_does_not_crash() -> None:
    # The app's env name is a list whose text is the name the sidecar asks for: Kruise's
    # apiserver would never decode that Pod; here it must not crash the env merge.
    sidecar = """  containers:
  - {name: s, image: s:1, transferEnv: [{sourceContainerName: app, envNames: ["['x']"]}]}"""
    out = pod(_case(sidecar, "  containers: [{name: app, image: app:1, env: [{name: [x]}]}]"))
    assert out["spec"]["containers"][0]["env"][-1] == {"name": ["x"]}


@pytest.mark.parametrize("field, where", [
    ("resources: {limits: {cpu: abc}}", "spec.containers[0].resources.limits.cpu: quantities must match"),
    ("livenessProbe: x", 'spec.containers[0].livenessProbe: expected a mapping, got string "x"'),
    ("command: x", 'spec.containers[0].command: expected a list, got string "x"'),
])
def test_malformed_sidecar_containers_are_reported_with_their_path(field: str, where: str) -> None:
    found = messages(_case(f"  containers:\n  - {{name: s, image: s:1, {field}}}", APP))
    assert any(where in m for m in found), found


def test_unknown_container_fields_are_errors() -> None:
    # Kruise's API server would prune it silently; input validation reports it (docs/validation.md).
    text = _case("  containers:\n  - {name: s, image: s:1, colour: blue}", APP)
    assert any('spec.containers[0].colour: unknown field "colour"' in m for m in messages(text))


def test_merge_patch_json_from_two_sidecarsets_merges() -> None:
    """Kruise's TestInjectMetadata (pkg/webhook/pod/mutating/sidecarset_test.go)."""
    first = _case("""  containers:
  - {name: s, image: s:1}
  patchPodMetadata:
  - {patchPolicy: MergePatchJson, annotations: {key1: '{"log-agent":1}'}}
  - {patchPolicy: Retain, annotations: {key: 'envoy=1,log=2'}}""", APP)
    second = """---
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata: {name: sidecarset2}
spec:
  selector: {matchLabels: {app: web}}
  containers: [{name: t, image: "t:1"}]
  patchPodMetadata:
  - {patchPolicy: MergePatchJson, annotations: {key1: '{"envoy":2}'}}
"""
    notes = pod(first + second)["metadata"]["annotations"]
    assert (notes["key1"], notes["key"]) == ('{"envoy":2,"log-agent":1}', "envoy=1,log=2")
