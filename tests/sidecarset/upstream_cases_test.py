"""Cases taken from Kruise v1.9.0's own tests, re-expressed as whole pods rendered through the pipeline.

Each case names, in a comment, the upstream test function it mirrors (pkg/webhook/pod/mutating/
sidecarset_test.go, sidecarset_hotupgrade_test.go, pkg/control/sidecarcontrol/util_test.go,
pkg/webhook/sidecarset/validating/*_test.go). The data is re-stated in our own layout; where an
upstream test fed the webhook a SidecarSet that Kruise's own validating webhook would refuse to
store (missing mountPath, clashing container names), the port says so and expects our error.

The upstream fixtures carry fake hash annotations ("c4k2dbb95d"); the SidecarSet mutating webhook
replaces those with the real hash on CREATE, so hashes here are checked by shape (`_HASH`), and
their bytes by hash_test.py (C19).
"""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from tests.sidecarset.helpers import messages, objects

INJECTED = {"name": "IS_INJECTED", "value": "true"}
_HASH = "<hash>"


def _defaulted(image: str) -> dict[str, str]:
    policy = "Always" if ":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest") else "IfNotPresent"
    return {"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
            "imagePullPolicy": policy}


def _c(name: str, image: str, **fields: Any) -> dict[str, Any]:
    """An injected container as it lands in the pod: env starts with IS_INJECTED unless given."""
    out: dict[str, Any] = {"name": name, "image": image}
    out.update(fields)
    out.setdefault("env", [INJECTED])
    out.update(_defaulted(image))
    return out


# --- the upstream fixtures, in our words ------------------------------------------------------------

def sidecarset1() -> dict[str, Any]:
    """`sidecarSet1`: two plain init containers, dns-f before and log-agent after the app."""
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset1"},
            "spec": {"selector": {"matchLabels": {"app": "suxing-test"}},
                     "initContainers": [{"name": "init-2", "image": "busybox:1.0.0"},
                                        {"name": "init-1", "image": "busybox:1.0.0"}],
                     "containers": [
                         {"name": "dns-f", "image": "dns-f-image:1.0", "podInjectPolicy": "BeforeAppContainer",
                          "shareVolumePolicy": {"type": "disabled"}},
                         {"name": "log-agent", "image": "log-agent-image:1.0", "podInjectPolicy": "AfterAppContainer",
                          "shareVolumePolicy": {"type": "disabled"}}]}}


def sidecarset_transfer_env() -> dict[str, Any]:
    """`sidecarsetWithTransferEnv` (upstream mounts carry no mountPath, which Kruise's validating
    webhook refuses: we give them one)."""
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset2"},
            "spec": {"selector": {"matchLabels": {"app": "suxing-test"}},
                     "initContainers": [{"name": "dns-e", "image": "dns-e-image:1.0",
                                         "volumeMounts": [{"name": "volume-1", "mountPath": "/v1"}],
                                         "podInjectPolicy": "BeforeAppContainer",
                                         "transferEnv": [{"sourceContainerName": "nginx", "envName": "hello2"}]}],
                     "containers": [{"name": "dns-f", "image": "dns-f-image:1.0",
                                     "volumeMounts": [{"name": "volume-1", "mountPath": "/v1"}],
                                     "podInjectPolicy": "BeforeAppContainer", "shareVolumePolicy": {"type": "disabled"},
                                     "transferEnv": [{"sourceContainerName": "nginx", "envName": "hello2"}]}],
                     "volumes": [{"name": "volume-1", "emptyDir": {}}, {"name": "volume-2", "emptyDir": {}}]}}


def sidecarset3() -> dict[str, Any]:
    """`sidecarSet3`: dns-f shares the pod's mounts, log-agent does not."""
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset3"},
            "spec": {"selector": {"matchLabels": {"app": "suxing-test"}},
                     "containers": [
                         {"name": "dns-f", "image": "dns-f-image:1.0", "podInjectPolicy": "AfterAppContainer",
                          "shareVolumePolicy": {"type": "enabled"},
                          "volumeMounts": [{"name": "volume-1", "mountPath": "/a/b/c"},
                                           {"name": "volume-2", "mountPath": "/d/e/f"}]},
                         {"name": "log-agent", "image": "log-agent-image:1.0", "podInjectPolicy": "AfterAppContainer",
                          "shareVolumePolicy": {"type": "disabled"}}],
                     "volumes": [{"name": "volume-1", "emptyDir": {}}, {"name": "volume-2", "emptyDir": {}}]}}


def sidecarset_staragent() -> dict[str, Any]:
    """`sidecarSetWithStaragent`, cut to its first container as the mount tests do."""
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset3"},
            "spec": {"selector": {"matchLabels": {"app": "suxing-test"}},
                     "initContainers": [{"name": "dns-e", "image": "dns-e-image:1.0", "podInjectPolicy": "BeforeAppContainer",
                                         "shareVolumePolicy": {"type": "enabled"},
                                         "volumeMounts": [{"name": "volume-3", "mountPath": "/g/h/i"},
                                                          {"name": "volume-4", "mountPath": "/j/k/l"},
                                                          {"name": "volume-staragent", "mountPath": "/staragent"}]}],
                     "containers": [{"name": "dns-f", "image": "dns-f-image:1.0", "podInjectPolicy": "AfterAppContainer",
                                     "shareVolumePolicy": {"type": "enabled"},
                                     "volumeMounts": [{"name": "volume-1", "mountPath": "/a/b/c"},
                                                      {"name": "volume-2", "mountPath": "/d/e/f"},
                                                      {"name": "volume-staragent", "mountPath": "/staragent"}]}],
                     "volumes": [{"name": n, "emptyDir": {}} for n in
                                 ("volume-1", "volume-2", "volume-staragent", "volume-3", "volume-4")]}}


def pod1() -> dict[str, Any]:
    """`pod1`: one init container, nginx with two envs and two mounts."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "test-pod", "namespace": "default", "labels": {"app": "suxing-test"}},
            "spec": {"initContainers": [{"name": "init-0", "image": "busybox:1.0.0"}],
                     "containers": [{"name": "nginx", "image": "nginx:1.15.1",
                                     "env": [{"name": "hello1", "value": "world1"}, {"name": "hello2", "value": "world2"}],
                                     "volumeMounts": [{"name": "volume-a", "mountPath": "/a/b"},
                                                      {"name": "volume-b", "mountPath": "/e/f"}]}],
                     "volumes": [{"name": "volume-a", "emptyDir": {}}, {"name": "volume-b", "emptyDir": {}}]}}


def pod_staragent() -> dict[str, Any]:
    """`podWithStaragent`: no init containers; nginx also mounts /staragent."""
    pod = pod1()
    del pod["spec"]["initContainers"]
    pod["spec"]["containers"][0]["volumeMounts"].append({"name": "volume-staragent", "mountPath": "/staragent"})
    pod["spec"]["volumes"].append({"name": "volume-staragent", "emptyDir": {}})
    return pod


# --- helpers -----------------------------------------------------------------------------------------

def _text(*docs: dict[str, Any]) -> str:
    return "---\n".join(yaml.safe_dump(d, sort_keys=False) for d in docs)


def _render_pod(*docs: dict[str, Any], **options: Any) -> dict[str, Any]:
    found = [o for o in objects(_text(*docs), **options) if o.get("kind") == "Pod"]
    assert len(found) == 1, found
    return _masked(found[0])


def _masked(pod: dict[str, Any]) -> dict[str, Any]:
    """Hash annotations parsed, their digests replaced by _HASH (see the module docstring)."""
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    for key in ("kruise.io/sidecarset-hash", "kruise.io/sidecarset-hash-without-image"):
        if key in annotations:
            entries = json.loads(annotations[key])
            for entry in entries.values():
                if entry.get("sidecarList") is not None:  # written now; legacy entries keep theirs
                    entry["hash"] = _HASH
            annotations[key] = entries
    return pod


def _entry(name: str, sidecars: list[str], digest: str = _HASH) -> dict[str, Any]:
    return {"updateTimestamp": None, "hash": digest, "sidecarSetName": name, "sidecarList": sidecars}


def _provenance(entries: dict[str, list[str]], **extra: str) -> dict[str, Any]:
    hashes = {name: _entry(name, sidecars) for name, sidecars in entries.items()}
    return {"kruise.io/sidecarset-hash": hashes, "kruise.io/sidecarset-hash-without-image": copy.deepcopy(hashes),
            "kruise.io/sidecarset-injected-list": ",".join(sorted(entries)), **extra}


def _with(pod: dict[str, Any], annotations: dict[str, Any] | None = None, **spec: Any) -> dict[str, Any]:
    out = copy.deepcopy(pod)
    if annotations is not None:
        out["metadata"]["annotations"] = annotations
    out["spec"].update(spec)
    return out


def _errors(*docs: dict[str, Any], **options: Any) -> list[str]:
    return messages(_text(*docs), **options)


NGINX = pod1()["spec"]["containers"][0]
C1_CONTAINERS = [_c("dns-f", "dns-f-image:1.0"), NGINX, _c("log-agent", "log-agent-image:1.0")]
C1_INITS = [{"name": "init-0", "image": "busybox:1.0.0"}, _c("init-1", "busybox:1.0.0"), _c("init-2", "busybox:1.0.0")]


# --- sidecarset_test.go ------------------------------------------------------------------------------

def test_pod_has_no_matched_sidecarset() -> None:
    # TestPodHasNoMatchedSidecarSet: a pod the selector does not pick keeps every container.
    pod = pod1()
    pod["metadata"]["labels"]["app"] = "doesnt-match"
    assert _render_pod(sidecarset1(), pod) == pod
    assert any("matched no pod template" in m for m in _errors(sidecarset1(), pod))


@pytest.mark.parametrize("sidecar_secrets, pod_secrets, expected", [
    (["s0", "s1", "s2"], ["s2", "s3", "s3"], ["s2", "s3", "s0", "s1"]),  # 3 + 3 - 2 = 4
    (["s0", "s1", "s2"], ["s3", "s4", "s5"], ["s3", "s4", "s5", "s0", "s1", "s2"]),  # 3 + 3 - 0 = 6
    (["s0", "s1", "s2"], [], ["s0", "s1", "s2"]),  # 3 + 0 - 0 = 3
    ([], ["s3", "s4", "s5"], ["s3", "s4", "s5"]),  # 0 + 3 - 0 = 3
])
def test_merge_sidecar_secrets(sidecar_secrets: list[str], pod_secrets: list[str], expected: list[str]) -> None:
    # TestMergeSidecarSecrets: the pod's secrets first (its own repeats dropped too), then the
    # SidecarSet's, each name once.
    sidecar = sidecarset1()
    if sidecar_secrets:
        sidecar["spec"]["imagePullSecrets"] = [{"name": n} for n in sidecar_secrets]
    pod = pod1()
    if pod_secrets:
        pod["spec"]["imagePullSecrets"] = [{"name": n} for n in pod_secrets]
    expected_pod = _with(pod, _provenance({"sidecarset1": ["dns-f", "log-agent"]}),
                         initContainers=C1_INITS, containers=C1_CONTAINERS)
    expected_pod["spec"].pop("imagePullSecrets", None)
    if expected:
        expected_pod["spec"]["imagePullSecrets"] = [{"name": n} for n in expected]
    assert _render_pod(sidecar, pod) == expected_pod


def test_injection_strategy_paused() -> None:
    # TestInjectionStrategyPaused: a paused SidecarSet injects nothing.
    sidecar = sidecarset1()
    sidecar["spec"]["injectionStrategy"] = {"paused": True}
    assert _render_pod(sidecar, pod1()) == pod1()


def test_inject_metadata() -> None:
    # TestInjectMetadata: MergePatchJson from two SidecarSets merges into one JSON object; Retain
    # adds a missing key. Upstream's second SidecarSet is a renamed copy of the first, whose
    # containers Kruise's validating webhook would refuse (TestSidecarSetNameConflict): here
    # it injects containers of its own.
    first = sidecarset1()
    first["spec"]["patchPodMetadata"] = [
        {"patchPolicy": "MergePatchJson", "annotations": {"key1": '{"log-agent":1}'}},
        {"patchPolicy": "Retain", "annotations": {"key": "envoy=1,log=2"}}]
    second = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset2"},
              "spec": {"selector": {"matchLabels": {"app": "suxing-test"}},
                       "containers": [{"name": "envoy", "image": "envoy:1.0", "podInjectPolicy": "AfterAppContainer"}],
                       "patchPodMetadata": [{"patchPolicy": "MergePatchJson", "annotations": {"key1": '{"envoy":2}'}}]}}
    expected = _with(pod1(), {"key1": '{"envoy":2,"log-agent":1}', "key": "envoy=1,log=2",
                              **_provenance({"sidecarset1": ["dns-f", "log-agent"], "sidecarset2": ["envoy"]})},
                     initContainers=C1_INITS, containers=C1_CONTAINERS + [_c("envoy", "envoy:1.0")])
    assert _render_pod(first, second, pod1()) == expected


def test_inject_metadata_with_upstream_duplicate_sidecarset_is_a_conflict() -> None:
    # TestInjectMetadata as upstream wrote it: two SidecarSets with the same containers for the
    # same pods. Kruise's validating webhook refuses the second (TestSidecarSetNameConflict).
    second = sidecarset1()
    second["metadata"]["name"] = "sidecarset2"
    found = _errors(sidecarset1(), second, pod1())
    assert any("sidecarset1" in m and "sidecarset2" in m and "dns-f" in m for m in found), found


@pytest.mark.parametrize("revision", [
    {"customVersion": "sidecarset1-12345", "policy": "Always"},  # TestInjectionStrategyRevision
    {"customVersion": "sidecarset1-12345", "policy": "Partial"},  # TestCanarySidecarSetInjection
    {"revisionName": "sidecarset1-12345"},
])
def test_injection_strategy_revision_cannot_be_rendered(revision: dict[str, Any]) -> None:
    # TestInjectionStrategyRevision / TestCanarySidecarSetInjection inject the content of a
    # ControllerRevision in Kruise's namespace: not in the input, so an error naming the field.
    sidecar = sidecarset1()
    sidecar["spec"]["injectionStrategy"] = {"revision": revision}
    found = _errors(sidecar, pod1())
    assert any("spec.injectionStrategy.revision" in m and "cannot be rendered" in m for m in found), found


def test_sidecarset_pod_inject_policy() -> None:
    # TestSidecarSetPodInjectPolicy: dns-f before nginx, log-agent after; injected init
    # containers after the pod's, by name, each with IS_INJECTED.
    expected = _with(pod1(), _provenance({"sidecarset1": ["dns-f", "log-agent"]}),
                     initContainers=C1_INITS, containers=C1_CONTAINERS)
    assert _render_pod(sidecarset1(), pod1()) == expected


def test_sidecar_volumes_append() -> None:
    # TestSidecarVolumesAppend: only the volume a sidecar mounts (volume-1) is added, after the
    # pod's; TestSidecarSetTransferEnv's env check holds here as well.
    hello2 = {"name": "hello2", "value": "world2"}
    mount = [{"name": "volume-1", "mountPath": "/v1"}]
    expected = _with(pod1(), _provenance({"sidecarset2": ["dns-f"]}),
                     initContainers=[_c("dns-e", "dns-e-image:1.0", env=[INJECTED, hello2], volumeMounts=mount),
                                     {"name": "init-0", "image": "busybox:1.0.0"}],
                     containers=[_c("dns-f", "dns-f-image:1.0", env=[INJECTED, hello2], volumeMounts=mount), NGINX],
                     volumes=pod1()["spec"]["volumes"] + [{"name": "volume-1", "emptyDir": {}}])
    assert _render_pod(sidecarset_transfer_env(), pod1()) == expected


def test_sidecarset_transfer_env() -> None:
    # TestSidecarSetTransferEnv: with the init container's podInjectPolicy unset (defaulted to
    # AfterAppContainer) dns-e is initContainers[1]; both sidecars get hello2=world2 after IS_INJECTED.
    sidecar = sidecarset_transfer_env()
    del sidecar["spec"]["initContainers"][0]["podInjectPolicy"]
    pod = _render_pod(sidecar, pod1())
    hello2 = {"name": "hello2", "value": "world2"}
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["init-0", "dns-e"]
    assert pod["spec"]["initContainers"][1]["env"] == [INJECTED, hello2]
    assert pod["spec"]["containers"][0]["env"] == [INJECTED, hello2]


def test_pod_sidecarset_hash_compatibility() -> None:
    # TestPodSidecarSetHashCompatibility: the legacy map[string]string hash annotations are
    # re-written as SidecarSetUpgradeSpec entries (zero time -> null, no sidecar list).
    legacy, legacy_without = ("bv6d2fbw97wz8xx5x4v4wddwbd5z744wcf7c786dd4dvxvd5w6w424df7vx47989",
                              "54x5977vf9zz4248w7v44456zf655b8bcffv7x74w88f6dwb994fw48b8f9b8959")
    pod = pod1()
    pod["metadata"]["annotations"] = {
        "kruise.io/sidecarset-hash": json.dumps({"sidecarset-test": legacy}, separators=(",", ":")),
        "kruise.io/sidecarset-hash-without-image": json.dumps({"sidecarset-test": legacy_without}, separators=(",", ":"))}
    out = _render_pod(sidecarset1(), pod)
    annotations = out["metadata"]["annotations"]
    old = {"updateTimestamp": None, "sidecarSetName": "sidecarset-test", "sidecarList": None}
    assert annotations["kruise.io/sidecarset-hash"] == {
        "sidecarset-test": {**old, "hash": legacy}, "sidecarset1": _entry("sidecarset1", ["dns-f", "log-agent"])}
    assert annotations["kruise.io/sidecarset-hash-without-image"] == {
        "sidecarset-test": {**old, "hash": legacy_without}, "sidecarset1": _entry("sidecarset1", ["dns-f", "log-agent"])}
    # key order of the struct and of the map, byte for byte
    raw = objects(_text(sidecarset1(), pod))[0]["metadata"]["annotations"]["kruise.io/sidecarset-hash"]
    assert raw.startswith('{"sidecarset-test":{"updateTimestamp":null,"hash":"' + legacy
                          + '","sidecarSetName":"sidecarset-test","sidecarList":null},"sidecarset1":{"updateTimestamp":null,')


def _expansion_pod(sub_path_expr: str | None, envs: list[dict[str, str]]) -> dict[str, Any]:
    pod = pod_staragent()
    nginx = pod["spec"]["containers"][0]
    if sub_path_expr is not None:
        mount = {"name": "volume-expansion", "mountPath": "/e/expansion"}
        if sub_path_expr:
            mount["subPathExpr"] = sub_path_expr
        nginx["volumeMounts"].append(mount)
        pod["spec"]["volumes"].append({"name": "volume-expansion", "emptyDir": {}})
    nginx["env"].extend(envs)
    return pod


@pytest.mark.parametrize("sub_path_expr, envs, copied", [
    (None, [], []),  # append normal volumeMounts
    ("foo/$(POD_NAME)/$(OD_NAME)/conf", [{"name": "POD_NAME", "value": "bar"}, {"name": "OD_NAME", "value": "od_name"}],
     ["POD_NAME", "OD_NAME"]),  # subPathExpr with expansions: their envs come along
    ("foo", [], []),  # subPathExpr without expansion
    ("", [], []),  # empty subPathExpr
], ids=["normal", "expansion", "no-expansion", "empty"])
def test_pod_volume_mounts_append(sub_path_expr: str | None, envs: list[dict[str, str]], copied: list[str]) -> None:
    # TestPodVolumeMountsAppend: a sharing sidecar gets every app mount whose path it does not use
    # itself (/staragent stays the sidecar's), after its own; subPathExpr variables bring their env.
    pod = _expansion_pod(sub_path_expr, envs)
    app_mounts = pod["spec"]["containers"][0]["volumeMounts"]
    shared = [m for m in app_mounts if m["mountPath"] != "/staragent"]
    env = [INJECTED] + [e for e in envs if e["name"] in copied]
    sidecar = sidecarset_staragent()
    init_mounts = sidecar["spec"]["initContainers"][0]["volumeMounts"] + shared
    mounts = sidecar["spec"]["containers"][0]["volumeMounts"] + shared
    volumes = pod["spec"]["volumes"] + [{"name": n, "emptyDir": {}} for n in ("volume-3", "volume-4", "volume-1", "volume-2")]
    expected = _with(pod, _provenance({"sidecarset3": ["dns-f"]}),
                     initContainers=[_c("dns-e", "dns-e-image:1.0", env=env, volumeMounts=init_mounts)],
                     containers=[pod["spec"]["containers"][0], _c("dns-f", "dns-f-image:1.0", env=env, volumeMounts=mounts)],
                     volumes=volumes)
    expected["spec"] = {k: expected["spec"][k] for k in ("initContainers", "containers", "volumes")}
    assert _render_pod(sidecar, pod) == expected


def test_sidecarset_hash_inject() -> None:
    # TestSidecarSetHashInject: of three SidecarSets the one whose selector misses is left out of
    # the hash annotation. Upstream's sidecarset2 and sidecarset3 both inject dns-f, which Kruise's
    # validating webhook refuses, so sidecarset3's dns-f is renamed here.
    first = sidecarset1()
    first["spec"]["selector"]["matchLabels"]["app"] = "doesnt-match"
    third = sidecarset3()
    third["spec"]["containers"][0]["name"] = "dns-g"
    out = _render_pod(first, sidecarset_transfer_env(), third, pod1())
    hashes = out["metadata"]["annotations"]["kruise.io/sidecarset-hash"]
    assert hashes == {"sidecarset2": _entry("sidecarset2", ["dns-f"]),
                      "sidecarset3": _entry("sidecarset3", ["dns-g", "log-agent"])}
    assert out["metadata"]["annotations"]["kruise.io/sidecarset-injected-list"] == "sidecarset2,sidecarset3"


def test_sidecarset_hash_inject_as_upstream_is_a_conflict() -> None:
    # TestSidecarSetHashInject as upstream wrote it: sidecarset2 and sidecarset3 both name dns-f.
    first = sidecarset1()
    first["spec"]["selector"]["matchLabels"]["app"] = "doesnt-match"
    found = _errors(first, sidecarset_transfer_env(), sidecarset3(), pod1())
    assert any("sidecarset2" in m and "sidecarset3" in m and "dns-f" in m for m in found), found


def test_sidecarset_name_inject() -> None:
    # TestSidecarSetNameInject: the injected list names every SidecarSet, sorted, comma-joined.
    # (sidecarset3's containers renamed: upstream's clash with sidecarset1's.)
    third = sidecarset3()
    third["spec"]["containers"][0]["name"] = "dns-g"
    third["spec"]["containers"][1]["name"] = "log-agent-2"
    out = _render_pod(sidecarset1(), third, pod1())
    assert out["metadata"]["annotations"]["kruise.io/sidecarset-injected-list"] == "sidecarset1,sidecarset3"
    assert [c["name"] for c in out["spec"]["containers"]] == ["dns-f", "nginx", "log-agent", "dns-g", "log-agent-2"]
    # dns-g shares nginx's mounts after its own; volumes: the pod's, then what each sidecar mounts
    assert out["spec"]["containers"][3]["volumeMounts"] == [
        {"name": "volume-1", "mountPath": "/a/b/c"}, {"name": "volume-2", "mountPath": "/d/e/f"},
        {"name": "volume-a", "mountPath": "/a/b"}, {"name": "volume-b", "mountPath": "/e/f"}]
    assert [v["name"] for v in out["spec"]["volumes"]] == ["volume-a", "volume-b", "volume-1", "volume-2"]


_MERGE_SIDECARS = [{"name": "sidecar-2", "image": "s2:1", "podInjectPolicy": "AfterAppContainer"},
                   {"name": "sidecar-1", "image": "s1:1", "podInjectPolicy": "AfterAppContainer"},
                   {"name": "new-sidecar-1", "image": "n1:1", "podInjectPolicy": "BeforeAppContainer"}]


@pytest.mark.parametrize("pod_names, sidecars, expected", [
    (["app-container"], _MERGE_SIDECARS, ["new-sidecar-1", "app-container", "sidecar-1", "sidecar-2"]),
    (["app-container"], _MERGE_SIDECARS[2:], ["new-sidecar-1", "app-container"]),
    (["app-container"], _MERGE_SIDECARS[:2], ["app-container", "sidecar-1", "sidecar-2"]),
    (["sidecar-1", "app-container", "sidecar-2"], _MERGE_SIDECARS[:2], ["sidecar-1", "app-container", "sidecar-2"]),
    (["sidecar-1", "app-container", "sidecar-2"], _MERGE_SIDECARS, ["new-sidecar-1", "sidecar-1", "app-container", "sidecar-2"]),
], ids=["new-both-sides", "only-before", "only-after", "replace-in-place", "replace-and-new"])
def test_merge_sidecar_containers(pod_names: list[str], sidecars: list[dict[str, Any]], expected: list[str]) -> None:
    # TestMergeSidecarContainers (which sorts the injected list first, as the
    # EnableSortSidecarContainerByName gate does): a name already in the pod is replaced where it
    # stands, new ones go before or after the pod's list. Upstream's "no pod containers" case
    # is a pod the apiserver refuses (containers is required) and is left out.
    sidecar = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "merge"},
               "spec": {"selector": {"matchLabels": {"app": "suxing-test"}}, "containers": copy.deepcopy(sidecars)}}
    pod = pod1()
    pod["spec"] = {"containers": [{"name": n, "image": f"{n}:v0"} for n in pod_names]}
    out = _render_pod(sidecar, pod, feature_gates={"EnableSortSidecarContainerByName": True})
    assert [c["name"] for c in out["spec"]["containers"]] == expected
    injected = {s["name"]: s["image"] for s in sidecars}
    for c in out["spec"]["containers"]:
        if c["name"] in injected:
            assert c == _c(c["name"], injected[c["name"]])
        else:
            assert c == {"name": c["name"], "image": f"{c['name']}:v0"}


def test_inject_init_container() -> None:
    # TestInjectInitContainer: a native sidecar and a native HotUpgrade sidecar from two
    # SidecarSets; the pair and the working/version annotations, volume-1 added once.
    def one(name: str, container: str, **extra: Any) -> dict[str, Any]:
        init = {"name": container, "image": "dns-e-image:1.0", "restartPolicy": "Always",
                "volumeMounts": [{"name": "volume-1", "mountPath": "/v1"}],
                "transferEnv": [{"sourceContainerName": "nginx", "envName": "hello2"}], **extra}
        return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": name},
                "spec": {"selector": {"matchLabels": {"app": "suxing-test"}}, "initContainers": [init],
                         "volumes": [{"name": "volume-1", "emptyDir": {}}]}}
    plain = one("sidecarset-1", "init-1")
    hot = one("sidecarset-2", "hot-init", upgradeStrategy={"upgradeType": "HotUpgrade", "hotUpgradeEmptyImage": "empty:v1"})
    plain["spec"]["updateStrategy"] = hot["spec"]["updateStrategy"] = {"type": "NotUpdate"}
    hello2 = {"name": "hello2", "value": "world2"}
    mount = [{"name": "volume-1", "mountPath": "/v1"}]

    def version_envs(name: str) -> list[dict[str, Any]]:
        return [{"name": "SIDECARSET_VERSION", "valueFrom": {"fieldRef": {
                    "fieldPath": f"metadata.annotations['version.sidecarset.kruise.io/{name}']"}}},
                {"name": "SIDECARSET_VERSION_ALT", "valueFrom": {"fieldRef": {
                    "fieldPath": f"metadata.annotations['versionalt.sidecarset.kruise.io/{name}']"}}}]
    base = [INJECTED, hello2]
    inits = [{"name": "init-0", "image": "busybox:1.0.0"},
             _c("hot-init-1", "dns-e-image:1.0", env=base + version_envs("hot-init-1"), restartPolicy="Always",
                volumeMounts=mount),
             {**_c("hot-init-2", "dns-e-image:1.0", env=base + version_envs("hot-init-2"), restartPolicy="Always",
                   volumeMounts=mount), "image": "empty:v1", "imagePullPolicy": "IfNotPresent"},
             _c("init-1", "dns-e-image:1.0", env=base, restartPolicy="Always", volumeMounts=mount)]
    annotations = _provenance({"sidecarset-1": ["init-1"], "sidecarset-2": ["hot-init"]}, **{
        "kruise.io/sidecarset-working-hotupgrade-container": '{"hot-init":"hot-init-1"}',
        "version.sidecarset.kruise.io/hot-init-1": "1", "versionalt.sidecarset.kruise.io/hot-init-1": "0",
        "version.sidecarset.kruise.io/hot-init-2": "0", "versionalt.sidecarset.kruise.io/hot-init-2": "1"})
    expected = _with(pod1(), annotations, initContainers=inits,
                     volumes=pod1()["spec"]["volumes"] + [{"name": "volume-1", "emptyDir": {}}])
    assert _render_pod(plain, hot, pod1()) == expected


@pytest.mark.parametrize("pod_inits, policies, expected", [
    ([], {}, ["a-init", "b-init", "c-init"]),
    (["app1-init", "app2-init"], {}, ["app1-init", "app2-init", "a-init", "b-init", "c-init"]),
    (["app1-init", "app2-init"], {"a-init": "AfterAppContainer", "c-init": "BeforeAppContainer", "b-init": "BeforeAppContainer"},
     ["b-init", "c-init", "app1-init", "app2-init", "a-init"]),
], ids=["no-pod-inits", "after-pod-inits", "inject-policy"])
def test_inject_init_container_sort(pod_inits: list[str], policies: dict[str, str], expected: list[str]) -> None:
    # TestInjectInitContainerSort: injected init containers are sorted by name (always), then
    # placed by podInjectPolicy around the pod's own.
    inits = [{"name": n, "image": "busybox:1.0.0", **({"podInjectPolicy": policies[n]} if n in policies else {})}
             for n in ("a-init", "c-init", "b-init")]
    sidecar = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "inits"},
               "spec": {"selector": {"matchLabels": {"app": "suxing-test"}}, "initContainers": inits}}
    pod = pod1()
    pod["spec"] = {"initContainers": [{"name": n, "image": "busybox:1.0.0"} for n in pod_inits],
                   "containers": [{"name": "app", "image": "app:1"}]}
    if not pod_inits:
        del pod["spec"]["initContainers"]
    out = _render_pod(sidecar, pod)
    assert [c["name"] for c in out["spec"]["initContainers"]] == expected
    assert list(out["spec"]) == ["initContainers", "containers"]  # a new key lands where PodSpec has it


_DEVICE_POD_DEVICES = [{"name": "origin-pvc-1", "devicePath": "/origin-1"}, {"name": "origin-pvc-share", "devicePath": "/share"}]


@pytest.mark.parametrize("share", [False, True], ids=["share-disabled", "share-enabled"])
def test_pod_volume_devices_append(share: bool) -> None:
    # TestPodVolumeDevicesAppend: with shareVolumeDevicePolicy enabled the app's devices follow
    # the sidecar's own; volumes: the pod's, then the sidecar's in mount/device order, once each.
    pod = pod_staragent()
    pod["spec"]["containers"][0]["volumeDevices"] = copy.deepcopy(_DEVICE_POD_DEVICES)
    pod["spec"]["volumes"] += [{"name": n, "persistentVolumeClaim": {"claimName": n}}
                               for n in ("origin-pvc-1", "origin-pvc-share")]
    sidecar = sidecarset_staragent()
    init, main = sidecar["spec"]["initContainers"][0], sidecar["spec"]["containers"][0]
    init["volumeDevices"] = [{"name": "disk0", "devicePath": "/dev/nvme0"}]
    init["shareVolumePolicy"] = {"type": "disabled"}
    main["volumeDevices"] = [{"name": "disk0", "devicePath": "/dev/nvme1"}]
    del main["volumeMounts"]
    main["shareVolumePolicy"] = {"type": "disabled"}
    disk = {"name": "disk0", "persistentVolumeClaim": {"claimName": "disk0"}}
    if share:
        init["shareVolumeDevicePolicy"] = main["shareVolumeDevicePolicy"] = {"type": "enabled"}
        sidecar["spec"]["volumes"] = [{"name": n, "emptyDir": {}} for n in ("volume-3", "volume-4", "volume-staragent")] + [disk]
    else:
        del init["volumeMounts"]
        sidecar["spec"]["volumes"] = [disk]
    out = _render_pod(sidecar, pod)
    shared = _DEVICE_POD_DEVICES if share else []
    assert out["spec"]["initContainers"][0]["volumeDevices"] == [{"name": "disk0", "devicePath": "/dev/nvme0"}] + shared
    assert out["spec"]["containers"][1]["volumeDevices"] == [{"name": "disk0", "devicePath": "/dev/nvme1"}] + shared
    added = ["volume-3", "volume-4", "disk0"] if share else ["disk0"]
    assert [v["name"] for v in out["spec"]["volumes"]] == [
        "volume-a", "volume-b", "volume-staragent", "origin-pvc-1", "origin-pvc-share"] + added


def test_build_sidecar_volumes_in_mount_then_device_order() -> None:
    # TestBuildSidecarVolumes_WithDifferentVolumeScenarios, "existing volumes": per container its
    # mounts' volumes then its devices', init containers first.
    sidecar = sidecarset_staragent()
    init, main = sidecar["spec"]["initContainers"][0], sidecar["spec"]["containers"][0]
    init["volumeMounts"] = [{"name": "volume-1", "mountPath": "/a/b"}, {"name": "volume-2", "mountPath": "/c/d"}]
    init["volumeDevices"] = [{"name": "disk0", "devicePath": "/dev/nvme0"}]
    main["volumeMounts"] = [{"name": "volume-3", "mountPath": "/a/b"}, {"name": "volume-4", "mountPath": "/c/d"}]
    main["volumeDevices"] = [{"name": "disk1", "devicePath": "/dev/nvme1"}]
    sidecar["spec"]["volumes"] += [{"name": n, "persistentVolumeClaim": {"claimName": n}} for n in ("disk0", "disk1")]
    out = _render_pod(sidecar, pod1())
    assert [v["name"] for v in out["spec"]["volumes"]] == [
        "volume-a", "volume-b", "volume-1", "volume-2", "disk0", "volume-3", "volume-4", "disk1"]


def test_build_sidecar_volumes_missing_volume_is_refused() -> None:
    # TestBuildSidecarVolumes_WithDifferentVolumeScenarios, "missing volume": upstream calls
    # buildSidecars directly; a SidecarSet mounting a volume it does not define never gets past
    # Kruise's validating webhook (validateContainersForSidecarSet), so it is an error here.
    sidecar = sidecarset_staragent()
    sidecar["spec"]["volumes"] = [{"name": n, "emptyDir": {}} for n in ("volume-a1", "volume-b2", "volume-c3")]
    found = _errors(sidecar, pod1())
    assert any("volume-1" in m and "SidecarSet/sidecarset3" in m for m in found), found


# --- sidecarset_hotupgrade_test.go -------------------------------------------------------------------

def test_inject_hot_upgrade_sidecar() -> None:
    # TestInjectHotUpgradeSidecar: dns-f becomes dns-f-1 (working, the image) and dns-f-2 (the
    # empty image), both before nginx, with the working and version annotations.
    sidecar = sidecarset1()
    sidecar["spec"]["containers"][0]["upgradeStrategy"] = {"upgradeType": "HotUpgrade",
                                                           "hotUpgradeEmptyImage": "busy:hotupgrade-empty"}
    out = _render_pod(sidecar, pod1())
    containers = out["spec"]["containers"]
    assert [c["name"] for c in containers] == ["dns-f-1", "dns-f-2", "nginx", "log-agent"]
    assert containers[0]["image"] == "dns-f-image:1.0" and containers[1]["image"] == "busy:hotupgrade-empty"
    annotations = out["metadata"]["annotations"]
    assert annotations["kruise.io/sidecarset-injected-list"] == "sidecarset1"
    assert annotations["kruise.io/sidecarset-hash"] == {"sidecarset1": _entry("sidecarset1", ["dns-f", "log-agent"])}
    assert annotations["kruise.io/sidecarset-working-hotupgrade-container"] == '{"dns-f":"dns-f-1"}'
    assert annotations["version.sidecarset.kruise.io/dns-f-1"] == "1"
    assert annotations["version.sidecarset.kruise.io/dns-f-2"] == "0"
    assert annotations["versionalt.sidecarset.kruise.io/dns-f-1"] == "0"
    assert annotations["versionalt.sidecarset.kruise.io/dns-f-2"] == "1"


def test_copied_mounts_and_envs_are_written_as_go_marshals_them() -> None:
    # buildSidecars copies the app's VolumeMount / EnvVar structs into the sidecar; the Pod is then
    # marshalled from Go: struct field order, empty fields omitted (not the app's own spelling).
    sidecar = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "s"},
               "spec": {"selector": {"matchLabels": {"app": "suxing-test"}},
                        "containers": [{"name": "side", "image": "side:1", "shareVolumePolicy": {"type": "enabled"},
                                        "transferEnv": [{"sourceContainerName": "app", "envName": "B"}]}]}}
    pod = pod1()
    pod["spec"] = {"containers": [{"name": "app", "image": "app:1",
                                   "env": [{"value": "b", "name": "B"}, {"name": "E", "value": ""}],
                                   "volumeMounts": [{"mountPath": "/a", "name": "va", "subPathExpr": "", "readOnly": False},
                                                    {"subPathExpr": "x/$(E)", "mountPath": "/b", "name": "vb"}]}],
                   "volumes": [{"name": "va", "emptyDir": {}}, {"name": "vb", "emptyDir": {}}]}
    side = _render_pod(sidecar, pod)["spec"]["containers"][0]
    assert [list(e) for e in side["env"]] == [["name", "value"], ["name", "value"], ["name"]]
    assert side["volumeMounts"] == [{"name": "va", "mountPath": "/a"}, {"name": "vb", "mountPath": "/b", "subPathExpr": "x/$(E)"}]
    assert [list(m) for m in side["volumeMounts"]] == [["name", "mountPath"], ["name", "mountPath", "subPathExpr"]]


# --- pkg/control/sidecarcontrol/util_test.go ---------------------------------------------------------

def _one_sidecar(container: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset-test"},
            "spec": {"selector": {"matchLabels": {"app": "nginx"}}, "containers": [container], **spec}}


def _main_pod(labels: dict[str, str], annotations: dict[str, str] | None = None, namespace: str = "default") -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "test-pod-1", "namespace": namespace, "labels": labels}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [{"name": "main", "image": "main:v1", "env": [{"name": "test-env", "value": "test-value"}]}]}}


@pytest.mark.parametrize("transfer, labels, annotations", [
    ({"envName": "test-env", "sourceContainerName": "main"}, {"app": "nginx"}, None),
    ({"envName": "test-env", "sourceContainerNameFrom": {"fieldRef": {"apiVersion": "v1",
                                                                      "fieldPath": "metadata.labels['src']"}}},
     {"app": "nginx", "src": "main"}, None),
    ({"envName": "test-env", "sourceContainerNameFrom": {"fieldRef": {"apiVersion": "v1",
                                                                      "fieldPath": "metadata.annotations['src']"}}},
     {"app": "nginx"}, {"src": "main"}),
], ids=["source-name", "source-from-label", "source-from-annotation"])
def test_get_sidecar_transfer_envs(transfer: dict[str, Any], labels: dict[str, str], annotations: dict[str, str] | None) -> None:
    # TestGetSidecarTransferEnvs (and TestExtractContainerNameFromFieldPath's found cases): the
    # env comes from the container named directly or by a label / annotation of the pod.
    sidecar = _one_sidecar({"name": "cold-sidecar", "image": "cold-image:v1", "upgradeStrategy": {"upgradeType": "ColdUpgrade"},
                            "transferEnv": [transfer]})
    out = _render_pod(sidecar, _main_pod(labels, annotations))
    assert out["spec"]["containers"][0] == _c("cold-sidecar", "cold-image:v1",
                                              env=[INJECTED, {"name": "test-env", "value": "test-value"}])


def test_extract_container_name_from_missing_label_transfers_nothing() -> None:
    # TestExtractContainerNameFromFieldPath, label absent: the name is "" and no container has it.
    sidecar = _one_sidecar({"name": "cold-sidecar", "image": "cold-image:v1", "transferEnv": [
        {"envName": "test-env", "sourceContainerNameFrom": {"fieldRef": {"fieldPath": "metadata.labels['test-label']"}}}]})
    out = _render_pod(sidecar, _main_pod({"app": "nginx"}))
    assert out["spec"]["containers"][0]["env"] == [INJECTED]


@pytest.mark.parametrize("field_path, api_version", [
    ("metadata.name", "v1"),  # no subscript: "field label not supported"
    ("metadata.annotations", "v1"),
    ("metadata.labels", "v1"),
    ("invalid-label", "v1"),
    ("spec.nodeName['x']", "v1"),  # a subscript only on labels / annotations
    ("metadata.labels['app']", "v2"),  # "unsupported pod version"
], ids=["metadata.name", "annotations-no-key", "labels-no-key", "invalid", "subscript-elsewhere", "version-v2"])
def test_convert_downward_api_field_label_rejects(field_path: str, api_version: str) -> None:
    # TestConvertDownwardAPIFieldLabel: only metadata.labels['k'] / metadata.annotations['k'] of
    # apiVersion v1 pass the validating webhook (validateDownwardAPI) for a container's transferEnv.
    sidecar = _one_sidecar({"name": "cold-sidecar", "image": "cold-image:v1", "transferEnv": [
        {"envName": "test-env", "sourceContainerNameFrom": {"fieldRef": {"apiVersion": api_version, "fieldPath": field_path}}}]})
    found = _errors(sidecar, _main_pod({"app": "nginx"}))
    assert any("spec.containers[0].transferEnv[0].sourceContainerNameFrom.fieldRef" in m for m in found), found


def test_init_container_transfer_env_field_path_is_not_validated() -> None:
    # validateContainersForSidecarSet runs validateDownwardAPI on containers only: an init
    # container's unusable fieldPath is accepted, and at injection the entry is skipped.
    sidecar = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset-test"},
               "spec": {"selector": {"matchLabels": {"app": "nginx"}},
                        "initContainers": [{"name": "init", "image": "init:v1", "transferEnv": [
                            {"envName": "test-env", "sourceContainerNameFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}]}}
    out = _render_pod(sidecar, _main_pod({"app": "nginx"}))
    assert out["spec"]["initContainers"] == [_c("init", "init:v1")]


@pytest.mark.parametrize("pod_annotations, patches, expected", [
    ({}, [{"patchPolicy": "Retain", "annotations": {"key1": "value1"}},
          {"patchPolicy": "Overwrite", "annotations": {"key2": "value2"}}],
     {"key1": "value1", "key2": "value2"}),  # add pod annotation
    ({"key1": "old", "key2": "old"},
     [{"patchPolicy": "Retain", "annotations": {"key1": "value1"}},
      {"patchPolicy": "Overwrite", "annotations": {"key2": "value2"}}],
     {"key1": "old", "key2": "value2"}),  # add pod annotation, exist
    ({"key1": '{"log-agent":1}', "key2": '{"log-agent":1}'},
     [{"patchPolicy": "MergePatchJson",
       "annotations": {"key1": '{"log-agent":1}', "key2": '{"envoy":2}', "key3": '{"probe":5}'}}],
     {"key1": '{"log-agent":1}', "key2": '{"envoy":2,"log-agent":1}', "key3": '{"probe":5}'}),  # json merge
    ({"key1": '{"log-agent":1}'}, [{"patchPolicy": "MergePatchJson", "annotations": {"key1": '{"log-agent":1}'}}],
     {"key1": '{"log-agent":1}'}),  # json merge, nothing changes
], ids=["add", "exist", "json-merge", "json-merge-skip"])
def test_patch_pod_metadata(pod_annotations: dict[str, str], patches: list[dict[str, Any]], expected: dict[str, str]) -> None:
    # TestPatchPodMetadata, the pod's other annotations being the provenance ones.
    sidecar = _one_sidecar({"name": "s", "image": "s:1"}, patchPodMetadata=patches)
    out = _render_pod(sidecar, _main_pod({"app": "nginx"}, pod_annotations))
    annotations = out["metadata"]["annotations"]
    assert {k: v for k, v in annotations.items() if not k.startswith("kruise.io/")} == expected


@pytest.mark.parametrize("namespace_selector, namespaces, matched", [
    (None, [], True),  # test1: no namespaceSelector
    ({"matchLabels": {"ns": "app1"}}, [("app1", {"ns": "app1"})], True),  # test2
    ({"matchLabels": {"ns": "app2"}}, [("app1", {"ns": "app1"})], False),  # test3
    ({"matchLabels": {"app": "app1"}}, [("app1", {"app": "app1"}), ("app2", {"app": "app2"})], True),  # test4
    ({"matchLabels": {"app": "app2"}}, [("app1", {"app": "app1"}), ("app2", {"app": "app2"})], False),  # test5
], ids=["test1", "test2", "test3", "test4", "test5"])
def test_pod_matched_sidecarset(namespace_selector: dict[str, Any] | None, namespaces: list[tuple[str, dict[str, str]]],
                                matched: bool) -> None:
    # TestPodMatchedSidecarSet: the namespaceSelector is matched against the Namespace's labels.
    spec = {"namespaceSelector": namespace_selector} if namespace_selector else {}
    sidecar = _one_sidecar({"name": "s", "image": "s:1"}, **spec)
    docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n, "labels": labels}} for n, labels in namespaces]
    out = _render_pod(sidecar, *docs, _main_pod({"app": "nginx"}, namespace="app1"))
    assert [c["name"] for c in out["spec"]["containers"]] == (["s", "main"] if matched else ["main"])


def test_get_injected_volume_devices_skips_injected_containers() -> None:
    # TestGetInjectedVolumeDevices: devices of containers marked IS_INJECTED are not shared; with
    # the policy unset nothing is.
    pod = _main_pod({"app": "nginx"})
    pod["spec"]["containers"] = [
        {"name": "a", "image": "a:1", "volumeDevices": [{"name": "vd-1", "devicePath": "/data/volume-1"}]},
        {"name": "b", "image": "b:1", "volumeDevices": [{"name": "vd-2", "devicePath": "/data/volume-2"}]},
        {"name": "c", "image": "c:1", "volumeDevices": [{"name": "vd-3", "devicePath": "/data/volume-3"}], "env": [INJECTED]}]
    for share, expected in ((None, None), ({"type": "enabled"}, [{"name": "vd-1", "devicePath": "/data/volume-1"},
                                                                 {"name": "vd-2", "devicePath": "/data/volume-2"}])):
        container: dict[str, Any] = {"name": "s", "image": "s:1", "podInjectPolicy": "AfterAppContainer"}
        if share:
            container["shareVolumeDevicePolicy"] = share
        out = _render_pod(_one_sidecar(container), pod)
        assert out["spec"]["containers"][3].get("volumeDevices") == expected


# --- pkg/webhook/sidecarset/validating/sidecarset_validating_test.go --------------------------------

def _validating(spec: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = {"selector": {"matchLabels": {"a": "b"}}, "updateStrategy": {"type": "NotUpdate"},
                            "containers": [{"name": "test-sidecar", "image": "test-image"}]}
    base.update(spec)
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "test-sidecarset"},
            "spec": {k: v for k, v in base.items() if v is not None}}


_NOT_IN_BAD = {"matchLabels": {"a": "b"}, "matchExpressions": [
    {"key": "app-name", "operator": "NotIn", "values": ["app-group", "app-risk-"]}]}
_NOT_IN_OK = {"matchLabels": {"a": "b"}, "matchExpressions": [
    {"key": "app-name", "operator": "NotIn", "values": ["app-group", "app-risk"]}]}
_POLICY = {"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu*50%"}}}


@pytest.mark.parametrize("spec, where", [
    ({"selector": None}, "spec.selector"),  # missing-selector
    ({"updateStrategy": {"type": "RollingUpdate", "scatterStrategy": [{"key": "key-1", "value": "value-1"},
                                                                      {"key": "key-1", "value": "value-1"}]}},
     "spec.updateStrategy.scatterStrategy"),  # wrong-updateStrategy
    ({"selector": _NOT_IN_BAD}, "spec.selector"),  # wrong-selector
    ({"selector": _NOT_IN_OK, "namespaceSelector": _NOT_IN_BAD}, "spec.namespaceSelector"),  # wrong-namespaceSelector
    ({"containers": None, "initContainers": [{"name": "test-sidecar"}]}, "spec.initContainers[0].image"),  # wrong-initContainer
    ({"containers": None}, "spec"),  # missing-container
    ({"containers": [{"name": "test-sidecar", "image": "test-image",
                      "volumeDevices": [{"name": "disk0", "devicePath": "/dev/nvme1"}]}]},
     "spec.containers[0].volumeDevices[0].name"),  # wrong-volumeDevice-volumes
    ({"containers": [{"name": "test-sidecar", "image": "test-image",
                      "volumeDevices": [{"name": "disk0", "devicePath": "/home/admin/log"}],
                      "volumeMounts": [{"name": "log", "mountPath": "/home/admin/log"}]}],
      "volumes": [{"name": "disk0", "persistentVolumeClaim": {"claimName": "pvc-0"}}, {"name": "log", "emptyDir": {}}]},
     "spec.containers[0].volume"),  # volumeDevice-volumeMount-path-conflict
    ({"patchPodMetadata": [{"annotations": {"key1": "value1"}, "patchPolicy": "MergePatchJson"},
                           {"annotations": {"key1": "value1"}, "patchPolicy": "Overwrite"}]},
     "spec.patchPodMetadata[1].annotations.key1"),  # wrong-metadata
    ({"injectionStrategy": {"revision": {"customVersion": "normal-sidecarset-01234"}}},
     "spec.injectionStrategy.revision"),  # wrong-name-injectionStrategy
    ({"injectionStrategy": {"revision": {"revisionName": "test-sidecarset-678235", "policy": "Always"}}},
     "spec.injectionStrategy.revision"),  # not-existing-injectionStrategy
    ({"updateStrategy": {"type": "RollingUpdate"}, "containers": None,
      "initContainers": [{"name": "test-sidecar", "image": "test-image", "restartPolicy": "Always"}]},
     "spec.updateStrategy"),  # The initContainer in-place upgrade is not currently supported.
    ({"selector": {"matchLabels": {"app": "test"}}, "containers": [
        {"name": "test-sidecar", "image": "test-image", "resources": {"limits": {"cpu": "100m", "memory": "100Mi"}},
         "resourcesPolicy": _POLICY}]}, "spec.containers[0].resourcesPolicy"),  # resources-policy-and-resources-conflict
    ({"selector": {"matchLabels": {"app": "test"}}, "containers": [
        {"name": "test-sidecar", "image": "test-image", "resourcesPolicy": {**_POLICY, "targetContainersMode": "invalid"}}]},
     "spec.containers[0].resourcesPolicy.targetContainersMode"),  # invalid-target-container-mode
    ({"selector": {"matchLabels": {"app": "test"}}, "containers": None, "initContainers": [
        {"name": "test-init", "image": "test-image", "resourcesPolicy": {**_POLICY, "targetContainersNameRegex": ".*"}}]},
     "spec.initContainers[0].resourcesPolicy"),  # initContainer-with-resources-policy-forbidden
], ids=["missing-selector", "wrong-updateStrategy", "wrong-selector", "wrong-namespaceSelector", "wrong-initContainer",
        "missing-container", "wrong-volumeDevice-volumes", "volumeDevice-volumeMount-path-conflict", "wrong-metadata",
        "wrong-name-injectionStrategy", "not-existing-injectionStrategy", "native-init-rolling-update",
        "resources-policy-and-resources-conflict", "invalid-target-container-mode",
        "initContainer-with-resources-policy-forbidden"])
def test_validate_sidecarset_refuses(spec: dict[str, Any], where: str) -> None:
    # TestValidateSidecarSet, the cases Kruise refuses (each reported at its field).
    found = [m for m in _errors(_validating(spec)) if ": warning:" not in m]
    assert any(f"SidecarSet/test-sidecarset: {where}" in m for m in found), found


@pytest.mark.parametrize("spec", [
    {"selector": _NOT_IN_OK, "namespaceSelector": {"matchLabels": {"a": "b"}}},  # wrong-namespace-selector (valid)
    {"containers": [{"name": "test-sidecar", "image": "test-image",
                     "volumeDevices": [{"name": "disk0", "devicePath": "/dev/nvme1"}]}],
     "volumes": [{"name": "disk0", "persistentVolumeClaim": {"claimName": "pvc-0"}}]},  # right-volumeDevice-volumes
    {"selector": {"matchLabels": {"app": "test"}}, "containers": None, "initContainers": [
        {"name": "test-init", "image": "test-image", "restartPolicy": "Always",
         "resourcesPolicy": {**_POLICY, "targetContainersNameRegex": ".*"}}]},  # native-sidecar-...-allowed
    # wrong-containers / wrong-volumes fail upstream only because that test skips the mutating
    # webhook: shareVolumePolicy "" and a volume without a source are defaulted (disabled, emptyDir).
    {"containers": [{"name": "test-sidecar", "image": "test-image", "shareVolumePolicy": {"type": ""}}]},
    {"volumes": [{"name": "test-volume"}, {"name": "istio-token", "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}}]},
], ids=["wrong-namespace-selector", "right-volumeDevice-volumes", "native-sidecar-initContainer-with-resources-policy-allowed",
        "wrong-containers-once-defaulted", "wrong-volumes-once-defaulted"])
def test_validate_sidecarset_accepts(spec: dict[str, Any]) -> None:
    # TestValidateSidecarSet, the cases Kruise accepts: nothing but the "matched nothing" warning.
    found = _errors(_validating(spec))
    assert all("matched no pod template" in m for m in found), found


def _named(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": {"a": "b"}}, **spec}}


def _conflicts(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return [m for m in _errors(_named("sidecarset1", first), _named("sidecarset2", second)) if ": warning:" not in m]


@pytest.mark.parametrize("first, second, expected", [
    ({"containers": [{"name": "container-name", "image": "i"}], "initContainers": [{"name": "init-name", "image": "i"}],
      "volumes": [{"name": "volume-name"}]},
     {"containers": [{"name": "container-name", "image": "i"}], "initContainers": [{"name": "init-name", "image": "i"}],
      "volumes": [{"name": "volume-name"}]}, 2),  # test1: both names clash, identical volume is fine
    ({"namespaceSelector": {"matchLabels": {"app": "nginx"}}, "containers": [{"name": "container-name", "image": "i"}]},
     {"namespaceSelector": {"matchLabels": {"app": "nginx"}}, "containers": [{"name": "container-name", "image": "i"}]},
     1),  # test2
    ({"namespaceSelector": {"matchLabels": {"app": "redis"}}, "containers": [{"name": "container-name", "image": "i"}]},
     {"namespaceSelector": {"matchLabels": {"app": "nginx"}}, "containers": [{"name": "container-name", "image": "i"}]},
     0),  # test3
], ids=["test1", "test2", "test3"])
def test_sidecarset_name_conflict(first: dict[str, Any], second: dict[str, Any], expected: int) -> None:
    # TestSidecarSetNameConflict: one error per clashing container of the later SidecarSet.
    found = _conflicts(first, second)
    assert len(found) == expected, found
    assert all("SidecarSet/sidecarset2" in m and "sidecarset1" in m for m in found), found


@pytest.mark.parametrize("a, b, overlapping", [
    ({"matchLabels": {"a": "h"}}, {"matchLabels": {"a": "h"}}, True),
    ({"matchLabels": {"a": "h"}}, {"matchLabels": {"a": "i"}}, False),
    ({"matchLabels": {"a": "h"}}, {"matchLabels": {"b": "i"}}, True),
    ({"matchLabels": {"a": "h", "b": "i", "c": "j"}}, {"matchLabels": {"a": "h", "b": "x", "c": "j"}}, False),
    ({"matchLabels": {"a": "h"}}, {"matchExpressions": [{"key": "a", "operator": "In", "values": ["h", "i", "j"]}]}, True),
    ({"matchLabels": {"a": "h"}}, {"matchExpressions": [{"key": "a", "operator": "In", "values": ["i", "j"]}]}, False),
    ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["h", "i"]}]}, {"matchLabels": {"a": "h"}}, False),
    ({"matchLabels": {"a": "h"}}, {"matchExpressions": [{"key": "a", "operator": "Exists"}]}, True),
    ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"matchLabels": {"a": "h"}}, False),
])
def test_selector_conflict(a: dict[str, Any], b: dict[str, Any], overlapping: bool) -> None:
    # TestSelectorConflict: Kruise's overlap heuristic decides whether names may clash.
    clash = {"containers": [{"name": "c", "image": "i"}]}
    found = _conflicts({**clash, "selector": a}, {**clash, "selector": b})
    assert bool(found) == overlapping, found


@pytest.mark.parametrize("mine, theirs, expected", [
    ({"patchPolicy": "Overwrite", "annotations": {"key1": "value1"}},
     {"patchPolicy": "MergePatchJson", "annotations": {"key1": "value1"}}, 1),  # annotation key conflict
    ({"patchPolicy": "Retain", "annotations": {"key1": "value1"}},
     {"patchPolicy": "Overwrite", "annotations": {"key2": "value2"}}, 0),  # annotation key different
    ({"patchPolicy": "MergePatchJson", "annotations": {"oom-score": '{"log-agent": 1}'}},
     {"patchPolicy": "MergePatchJson", "annotations": {"oom-score": '{"envoy": 1}'}}, 0),  # same key, both json
])
def test_sidecarset_pod_metadata_conflict(mine: dict[str, Any], theirs: dict[str, Any], expected: int) -> None:
    # TestSidecarSetPodMetadataConflict
    found = _conflicts({"containers": [{"name": "c1", "image": "i"}], "patchPodMetadata": [theirs]},
                       {"containers": [{"name": "c2", "image": "i"}], "patchPodMetadata": [mine]})
    assert len(found) == expected, found


@pytest.mark.parametrize("mine, theirs, expected", [
    ([{"name": "volume-1"}, {"name": "volume-2"}], [{"name": "volume-3"}, {"name": "volume-4"}], 0),
    ([{"name": "volume-1"}, {"name": "volume-2", "hostPath": {"path": "/home/work"}}],
     [{"hostPath": {"path": "/home/work"}, "name": "volume-2"}, {"name": "volume-3"}], 0),
    ([{"name": "volume-1"}, {"name": "volume-2", "hostPath": {"path": "/home/work-1"}}],
     [{"name": "volume-2", "hostPath": {"path": "/home/work-2"}}, {"name": "volume-3"}], 1),
], ids=["names-different", "same-and-equal", "same-not-equal"])
def test_sidecarset_volume_conflict(mine: list[dict[str, Any]], theirs: list[dict[str, Any]], expected: int) -> None:
    # TestSidecarSetVolumeConflict: a shared volume name is fine when the definitions are equal.
    found = _conflicts({"containers": [{"name": "c1", "image": "i"}], "volumes": theirs},
                       {"containers": [{"name": "c2", "image": "i"}], "volumes": mine})
    assert len(found) == expected, found


# --- pkg/webhook/pod/mutating/sidecarset_resources_test.go ------------------------------------------

def _app(name: str, limits: dict[str, str] | None, requests: dict[str, str] | None, **extra: Any) -> dict[str, Any]:
    resources = {k: v for k, v in (("limits", limits), ("requests", requests)) if v}
    return {"name": name, "image": "nginx:1.14.2", **({"resources": resources} if resources else {}), **extra}


def _policy_pod(containers: list[dict[str, Any]], inits: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    pod = _main_pod({"app": "nginx"})
    pod["spec"] = {**({"initContainers": inits} if inits else {}), "containers": containers}
    return pod


def _with_policy(policy: dict[str, Any], native: bool = False) -> dict[str, Any]:
    sidecar: dict[str, Any] = {"name": "sidecar1", "image": "sidecar:latest", "resourcesPolicy": policy}
    if not native:
        return _one_sidecar({**sidecar, "podInjectPolicy": "AfterAppContainer"})
    return {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset-test"},
            "spec": {"selector": {"matchLabels": {"app": "nginx"}}, "updateStrategy": {"type": "NotUpdate"},
                     "initContainers": [{**sidecar, "restartPolicy": "Always"}]}}


def _injected_resources(sidecar: dict[str, Any], pod: dict[str, Any]) -> dict[str, Any]:
    out = _render_pod(sidecar, pod)
    found = [c for c in out["spec"].get("initContainers", []) + out["spec"]["containers"] if c["name"] == "sidecar1"]
    return found[0].get("resources", {})


_CPU_MEM = ("cpu", "memory")


def _rl(cpu: str | None, memory: str | None) -> dict[str, str] | None:
    out = {k: v for k, v in zip(_CPU_MEM, (cpu, memory), strict=True) if v is not None}
    return out or None


_TWO_APPS = [_app("app1", _rl("200m", "200Mi"), _rl("50m", "100Mi")),
             _app("app2", _rl("400m", "400Mi"), _rl("100m", "200Mi"))]
_ENGINES = [_app("large.engine.v4", _rl("200m", "200Mi"), _rl("50m", "100Mi")),
            _app("large.engine.v8", _rl("400m", "400Mi"), _rl("100m", "200Mi"))]


_Pair = tuple[str | None, str | None]  # (cpu, memory)


def _expr(mode: str, regex: str, limits: _Pair, requests: _Pair) -> dict[str, Any]:
    expr = {part: {k: v for k, v in zip(_CPU_MEM, values, strict=True) if v}
            for part, values in (("limits", limits), ("requests", requests))}
    return {"targetContainersMode": mode, "targetContainersNameRegex": regex,
            "resourcesExpr": {k: v for k, v in expr.items() if v}}


@pytest.mark.parametrize("containers, policy, limits, requests", [
    (_TWO_APPS, _expr("sum", ".*", ("cpu*50%", "200Mi"), ("cpu*50%", "100Mi")),
     _rl("300m", "200Mi"), _rl("75m", "100Mi")),  # sum mode with percentage - basic
    (_ENGINES, _expr("max", "^large.engine.v.*$", ("max(cpu*50%, 50m)", "200Mi"), ("max(cpu*50%, 50m)", "100Mi")),
     _rl("200m", "200Mi"), _rl("50m", "100Mi")),  # max mode with expression
    (_ENGINES, _expr("sum", "^large.engine.v4$", ("max(cpu*50%, 50m)", "200Mi"), ("max(cpu*50%, 50m)", "100Mi")),
     _rl("100m", "200Mi"), _rl("50m", "100Mi")),  # regex filter - specific container
    ([_app("app1", _rl("200m", "200Mi"), _rl("100m", "100Mi")), _app("app2", _rl(None, "400Mi"), _rl("50m", "200Mi"))],
     _expr("sum", ".*", ("cpu*50%", "memory*30%"), ("cpu*30%", "memory*20%")),
     _rl(None, "180Mi"), _rl("45m", "60Mi")),  # sum mode - one container without CPU limit (unlimited)
    ([_app("app1", _rl("200m", "200Mi"), _rl("100m", "100Mi")), _app("app2", _rl("400m", None), _rl("200m", None))],
     _expr("max", ".*", ("cpu*40%", "memory*30%"), ("cpu*25%", "memory*20%")),
     _rl("160m", None), _rl("50m", "20Mi")),  # max mode - one container without Memory limit (unlimited)
    ([_app("app1", _rl("200m", "200Mi"), _rl("100m", "100Mi")), _app("app2", _rl("400m", "400Mi"), None)],
     _expr("sum", ".*", ("cpu*50%", "memory*30%"), ("cpu*30%", "memory*20%")),
     _rl("300m", "180Mi"), _rl("150m", "100Mi")),  # sum mode - container without requests: see below
], ids=["sum-basic", "max-expression", "regex-filter", "sum-no-cpu-limit", "max-no-memory-limit", "sum-no-requests"])
def test_apply_resources_policy(containers: list[dict[str, Any]], policy: dict[str, Any],
                                limits: dict[str, str] | None, requests: dict[str, str] | None) -> None:
    # TestApplyResourcesPolicy: a limit some target lacks stays unset (unlimited). Upstream calls
    # applyResourcesPolicy on an undefaulted Pod, where a missing request counts as 0; a real Pod
    # reaches the webhook defaulted (SetDefaults_Pod: request := limit), so app2's 400m/400Mi
    # requests count here: (100m + 400m) * 30% = 150m, (100Mi + 400Mi) * 20% = 100Mi.
    expected = {k: v for k, v in (("limits", limits), ("requests", requests)) if v}
    assert _injected_resources(_with_policy(policy), _policy_pod(copy.deepcopy(containers))) == expected


def test_apply_resources_policy_native_sidecar() -> None:
    # TestApplyResourcesPolicy, "init-container with resource policy (native sidecar)": native
    # sidecars of the pod count, plain init containers do not. (Upstream's plain init container
    # shares app2's name, which the apiserver refuses; here it is app3.)
    inits = [_app("app1", _rl("400m", "800Mi"), _rl("200m", "400Mi"), restartPolicy="Always"),
             _app("app3", _rl("400m", "800Mi"), _rl("200m", "400Mi"))]
    pod = _policy_pod([_app("app2", _rl("600m", "1200Mi"), _rl("300m", "600Mi"))], inits)
    policy = _expr("sum", "^app.*$", ("max(cpu*30%, 50m)", "max(memory*25%, 100Mi)"), ("cpu*20%", "memory*15%"))
    assert _injected_resources(_with_policy(policy, native=True), pod) == {
        "limits": {"cpu": "300m", "memory": "500Mi"}, "requests": {"cpu": "100m", "memory": "150Mi"}}


def test_apply_resources_policy_no_matching_containers() -> None:
    # TestApplyResourcesPolicy, "no matching containers - should error".
    policy = _expr("sum", "^nonexistent$", ("cpu*50%", None), (None, None))
    found = _errors(_with_policy(policy), _policy_pod([_app("app1", _rl("200m", None), None)]))
    assert any('no containers match the regex pattern "^nonexistent$"' in m for m in found), found


_AGGREGATE_CASES = [  # (mode, containers, limits, requests)
    ("sum", _TWO_APPS, _rl("600m", "600Mi"), _rl("150m", "300Mi")),  # all containers have limits
    ("sum", [_TWO_APPS[0], _app("app2", _rl(None, "400Mi"), _rl("100m", "200Mi"))],
     _rl(None, "600Mi"), _rl("150m", "300Mi")),  # one container without CPU limit
    ("sum", [_TWO_APPS[0], _app("app2", _rl("400m", "400Mi"), None)],
     _rl("600m", "600Mi"), _rl("450m", "500Mi")),  # no requests (upstream, undefaulted: 50m, 100Mi)
    ("max", _TWO_APPS, _rl("400m", "400Mi"), _rl("100m", "200Mi")),  # all containers have limits
    ("max", [_TWO_APPS[0], _app("app2", _rl("400m", None), _rl("100m", None))],
     _rl("400m", None), _rl("100m", "100Mi")),  # one container without Memory limit
    ("max", [_TWO_APPS[0], _app("app2", _rl(None, "400Mi"), _rl(None, "200Mi"))],
     _rl(None, "400Mi"), _rl("50m", "200Mi")),  # one container without CPU limit
    ("max", [_TWO_APPS[0], _app("app2", _rl("100m", "150Mi"), None)],
     _rl("200m", "200Mi"), _rl("100m", "150Mi")),  # no requests (upstream, undefaulted: 50m, 100Mi)
]


@pytest.mark.parametrize("mode, containers, limits, requests", _AGGREGATE_CASES)
def test_aggregate_resources(mode: str, containers: list[dict[str, Any]], limits: dict[str, str] | None,
                             requests: dict[str, str] | None) -> None:
    # TestAggregateResourcesBySum / TestAggregateResourcesByMax, seen through the identity
    # expressions "cpu" and "memory"; a missing request is the limit (SetDefaults_Pod, see above).
    policy = _expr(mode, ".*", ("cpu", "memory"), ("cpu", "memory"))
    expected = {k: v for k, v in (("limits", limits), ("requests", requests)) if v}
    assert _injected_resources(_with_policy(policy), _policy_pod(copy.deepcopy(containers))) == expected


def test_get_target_containers_skips_kruise_sidecars_and_plain_inits() -> None:
    # TestGetTargetContainers: the SidecarSets' own container names (already in the pod) and plain
    # init containers are not targets; native sidecars and app containers are.
    sidecar = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "test-sidecarset"},
               "spec": {"selector": {"matchLabels": {"app": "nginx"}}, "updateStrategy": {"type": "NotUpdate"},
                        "initContainers": [{"name": "init-sidecar1", "image": "i:1"}],
                        "containers": [{"name": "sidecar1", "image": "sidecar:latest", "podInjectPolicy": "AfterAppContainer",
                                        "resourcesPolicy": _expr("sum", "^.*$", ("cpu", None), (None, None))}]}}
    one = _rl("100m", None)
    pod = _policy_pod([_app("app1", one, None), _app("app2", one, None), _app("sidecar1", _rl("1", None), None)],
                      [_app("init-sidecar1", _rl("1", None), None), _app("plain-init-container", _rl("1", None), None),
                       _app("sidecar-container", one, None, restartPolicy="Always")])
    assert _injected_resources(sidecar, pod) == {"limits": {"cpu": "300m"}}


@pytest.mark.parametrize("expr, aggregated, is_limit, expected", [
    ("cpu*50%", "200m", True, "100m"),
    ("memory*30%", "600Mi", True, "180Mi"),
    ("max(cpu*50%, 100m)", "150m", True, "100m"),
    ("max(cpu*50%, 100m)", "400m", True, "200m"),
    ("cpu + 50m", "100m", True, "150m"),
    ("max(memory*20% + 100Mi, 200Mi)", "800Mi", True, "260Mi"),
    ("500m", "100m", True, "500m"),
    ("1Gi", "500Mi", True, "1Gi"),
    ("cpu*50%", "0", False, "0"),
    ("memory*25%", "400Mi", False, "100Mi"),
    ("1", "2", False, "1"),
    ("1", "2Mi", False, "1"),
])
def test_evaluate_resource_expression(expr: str, aggregated: str, is_limit: bool, expected: str) -> None:
    # TestEvaluateResourceExpression (its two empty-expression cases are not reachable from a
    # policy: an empty expression is never evaluated).
    resource = "memory" if "memory" in expr or aggregated.endswith(("Mi", "Gi")) else "cpu"
    part = "limits" if is_limit else "requests"
    policy = {"targetContainersMode": "sum", "resourcesExpr": {part: {resource: expr}}}
    app = _app("app1", {resource: aggregated} if is_limit else None, None if is_limit else {resource: aggregated})
    assert _injected_resources(_with_policy(policy), _policy_pod([app])) == {part: {resource: expected}}


def test_evaluate_resource_expression_invalid() -> None:
    # TestEvaluateResourceExpression, "invalid expression should return error" (here the
    # validating webhook already refuses it).
    policy = {"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu * invalid"}}}
    found = _errors(_with_policy(policy), _policy_pod([_app("app1", _rl("100m", None), None)]))
    assert any("spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu" in m for m in found), found


# --- pkg/webhook/sidecarset/validating/sidecarset_resources_policy_test.go --------------------------

@pytest.mark.parametrize("policy, where", [
    ({"targetContainersMode": "sum", "targetContainersNameRegex": "", "resourcesExpr": {"limits": {"cpu": "cpu*50%"}}},
     "targetContainersNameRegex"),  # valid resources policy with empty regex (an explicit "" is not defaulted)
    ({"targetContainersMode": "sum", "targetContainersNameRegex": "[invalid(regex",
      "resourcesExpr": {"limits": {"cpu": "cpu*50%"}}}, "targetContainersNameRegex"),  # invalid regex pattern
    ({"targetContainersMode": "sum", "targetContainersNameRegex": "^app.*$", "resourcesExpr": {}},
     "resourcesExpr"),  # no limits and requests
    ({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "invalid expression @#$"}}}, "resourcesExpr.limits.cpu"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "max(cpu*50%, 50m"}}}, "resourcesExpr.limits.cpu"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "max(cpu*50%)"}}}, "resourcesExpr.limits.cpu"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "invalidvar * 50%"}}}, "resourcesExpr.limits.cpu"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"requests": {"cpu": "invalid_cpu_expr"}}}, "resourcesExpr.requests.cpu"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"memory": "bad_memory_expr"}}}, "resourcesExpr.limits.memory"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"requests": {"memory": "bad_memory_expr"}}},
     "resourcesExpr.requests.memory"),
    ({"targetContainersMode": "sum", "resourcesExpr": {"limits": {"cpu": "cpu +*/ 50%"}}}, "resourcesExpr.limits.cpu"),
])
def test_validate_resources_policy_refuses(policy: dict[str, Any], where: str) -> None:
    # TestValidateResourcesPolicy / TestValidateResourceExpression, the refused cases.
    found = [m for m in _errors(_with_policy(policy)) if ": warning:" not in m]
    assert any(f"spec.containers[0].resourcesPolicy.{where}" in m for m in found), found


@pytest.mark.parametrize("policy", [
    _expr("sum", "^app.*$", ("max(cpu*50%, 50m)", "max(memory*50%, 100Mi)"), ("max(cpu*50%, 50m)", "max(memory*50%, 100Mi)")),
    _expr("max", "^app.*$", ("cpu*50%", None), (None, None)),
    _expr("sum", ".*", (None, None), ("max(cpu*50%, 50m)", "100Mi")),
    _expr("sum", "^app.*$", ("0.5*cpu - 0.3*max(0, cpu-4) + 0.3*max(0, cpu-8)", "max(memory*50%, 100Mi)"), (None, None)),
    _expr("max", "^.*", (None, "memory*50%"), (None, None)),
    _expr("sum", "^.*", (None, None), (None, "100Mi")),
    _expr("sum", ".*", ("min(cpu*50%, 100m)", None), ("max( cpu * 0.5 , 50m )", None)),
    _expr("sum", ".*", ("max(min(cpu*50%, 100m), 50m)", None), (None, None)),
], ids=["sum-both", "max-only-limits", "only-requests", "story-5", "only-memory-limit", "only-memory-request",
        "min-and-spaces", "nested"])
def test_validate_resources_policy_accepts(policy: dict[str, Any]) -> None:
    # TestValidateResourcesPolicy / TestValidateResourceExpression, the accepted cases.
    found = _errors(_with_policy(policy))
    assert all(": warning:" in m for m in found), found


# --- pkg/webhook/sidecarset/mutating/sidecarset_mutating_test.go ------------------------------------

def test_mutating_sidecarset_fn_defaults_and_hash_reach_the_pod() -> None:
    # TestMutatingSidecarSetFn: the defaults (BeforeAppContainer, IfNotPresent, termination
    # message, Retain) and the hash Kruise stores, here seen byte for byte in the pod.
    sidecar = {"apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet", "metadata": {"name": "sidecarset-test"},
               "spec": {"selector": {"matchLabels": {"app": "nginx"}},
                        "containers": [{"name": "dns-f", "image": "dns:1.0"}],
                        "patchPodMetadata": [{"annotations": {"key1": "value1"}}]}}
    out = objects(_text(sidecar, _main_pod({"app": "nginx"}, {"key1": "mine"})))[0]
    digest, without = ("6wbd76bd7984x24fb4f44fv9222cw9v9bcf85x766744wddd4zwx927zzz2zb684",
                       "82684vwf9d4cb4wz4vffx4ddfbb47ww4z4wwxdbwb8w2zbb7zvf4524cdd49bv94")
    entry = '{"sidecarset-test":{"updateTimestamp":null,"hash":"%s","sidecarSetName":"sidecarset-test","sidecarList":["dns-f"]}}'
    assert out["metadata"]["annotations"] == {
        "key1": "mine",  # Retain keeps the pod's value
        "kruise.io/sidecarset-hash": entry % digest,
        "kruise.io/sidecarset-hash-without-image": entry % without,
        "kruise.io/sidecarset-injected-list": "sidecarset-test"}
    assert out["spec"]["containers"][0] == _c("dns-f", "dns:1.0")
    assert list(out["spec"]["containers"][0]) == ["name", "image", "env", "terminationMessagePath",
                                                  "terminationMessagePolicy", "imagePullPolicy"]  # Go field order


def test_new_spec_keys_go_where_go_pod_spec_has_them() -> None:
    # The Pod Kruise returns is marshalled from corev1.PodSpec: volumes, initContainers,
    # containers, ..., imagePullSecrets. A key the template lacked is added at that position
    # relative to the keys it has; the template's own keys keep their order.
    sidecar = sidecarset_transfer_env()
    sidecar["spec"]["imagePullSecrets"] = [{"name": "s0"}]
    pod = pod1()
    pod["spec"] = {"restartPolicy": "Always", "containers": pod["spec"]["containers"], "dnsPolicy": "ClusterFirst"}
    out = _render_pod(sidecar, pod)
    assert list(out["spec"]) == ["restartPolicy", "volumes", "initContainers", "containers", "dnsPolicy", "imagePullSecrets"]


# --- util_test.go TestValidateSidecarSetPatchMetadataWhitelist --------------------------------------

def _kruise_configuration(whitelist: str | None) -> dict[str, Any]:
    data = {"SidecarSet_PatchPodMetadata_WhiteList": whitelist} if whitelist is not None else {"other": "x"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kruise-configuration", "namespace": "kruise-system"},
            "data": data}


def _patching(patch: bool = True) -> dict[str, Any]:
    sidecar = _one_sidecar({"name": "s", "image": "s:1"})
    sidecar["metadata"]["labels"] = {"app": "sidecar"}
    if patch:
        sidecar["spec"]["patchPodMetadata"] = [{"annotations": {"key1": "value1"}}]
    return sidecar


@pytest.mark.parametrize("patch, whitelist, refused", [
    (False, None, False),  # validate sidecarSet no patch Metadata
    (True, None, True),  # whitelist failed-1: the ConfigMap has no whitelist
    (True, '{"rules":[{"allowedAnnotationKeyExprs":["key.*"]}]}', False),  # success-1
    (True, '{"rules":[{"allowedAnnotationKeyExprs":["key2"]}]}', True),  # failed-2
    (True, '{"rules":[{"allowedAnnotationKeyExprs":["key.*"],"selector":{"matchLabels":{"app":"other"}}}]}', True),  # failed-3
    (True, '{"rules":[{"allowedAnnotationKeyExprs":["key.*"],"selector":{"matchLabels":{"app":"sidecar"}}}]}',
     False),  # success-2
], ids=["no-patch", "failed-1", "success-1", "failed-2", "failed-3", "success-2"])
def test_validate_sidecarset_patch_metadata_whitelist(patch: bool, whitelist: str | None, refused: bool) -> None:
    # TestValidateSidecarSetPatchMetadataWhitelist, with the kruise-configuration ConfigMap in the input.
    found = [m for m in _errors(_patching(patch), _kruise_configuration(whitelist), _main_pod({"app": "nginx"}))
             if ": warning:" not in m]
    assert bool(found) == refused, found
    assert all("SidecarSet/sidecarset-test: spec.patchPodMetadata" in m for m in found), found


@pytest.mark.parametrize("gate, warned", [(False, True), (True, False)])
def test_patch_metadata_whitelist_absent_from_the_input(gate: bool, warned: bool) -> None:
    # Without the ConfigMap in the input the check cannot be made: a warning (unless the
    # SidecarSetPatchPodMetadataDefaultsAllowed gate is on), and the patch is applied.
    text = _text(_patching(), _main_pod({"app": "nginx"}))
    options = {"feature_gates": {"SidecarSetPatchPodMetadataDefaultsAllowed": True}} if gate else {}
    found = messages(text, **options)
    assert any("warning: Kruise v1.9.0 accepts patchPodMetadata only when" in m for m in found) == warned, found
    assert _render_pod(_patching(), _main_pod({"app": "nginx"}), **options)["metadata"]["annotations"]["key1"] == "value1"
