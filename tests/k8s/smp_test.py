"""Strategic merge patch: a table of cases, each checked against Kubernetes' own implementation
(kubectl patch --local, the same strategicpatch code) when kubectl is installed."""
from __future__ import annotations

import copy
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kruise_render.k8s import smp


def _required_term(key: str) -> dict[str, Any]:
    """A pod spec whose required node affinity is one term on `key`."""
    required = {'nodeSelectorTerms': [{'matchExpressions': [{'key': key, 'operator': 'Exists'}]}]}
    return {'spec': {'affinity': {'nodeAffinity': {'requiredDuringSchedulingIgnoredDuringExecution': required}}}}


CASES = [
    ('new container goes before untouched ones',
     {'spec': {'containers': [{'name': 'a', 'image': '1'}, {'name': 'b'}]}},
     {'spec': {'containers': [{'name': 'c'}]}},
     {'spec': {'containers': [{'name': 'c'}, {'name': 'a', 'image': '1'}, {'name': 'b'}]}}),
    ('containers merge by name keeping patch order',
     {'spec': {'containers': [{'name': 'a', 'image': '1'}, {'name': 'b'}]}},
     {'spec': {'containers': [{'name': 'c'}, {'name': 'a', 'image': '2'}]}},
     {'spec': {'containers': [{'name': 'c'}, {'name': 'a', 'image': '2'}, {'name': 'b'}]}}),
    ('patch delete removes a keyed element',
     {'spec': {'containers': [{'name': 'a', 'image': '1'}, {'name': 'b'}]}},
     {'spec': {'containers': [{'name': 'b', '$patch': 'delete'}]}},
     {'spec': {'containers': [{'name': 'a', 'image': '1'}]}}),
    ('patch replace in a list replaces it',
     {'spec': {'containers': [{'name': 'a', 'image': '1'}, {'name': 'b'}]}},
     {'spec': {'containers': [{'name': 'z'}, {'$patch': 'replace'}]}},
     {'spec': {'containers': [{'name': 'z'}]}}),
    ('primitive merge list unions',
     {'metadata': {'finalizers': ['a', 'b', 'c']}},
     {'metadata': {'finalizers': ['d', 'b']}},
     {'metadata': {'finalizers': ['d', 'a', 'b', 'c']}}),
    ('deduplication order of primitive merge lists',
     {'metadata': {'finalizers': ['a', 'b', 'a', 'c']}},
     {'metadata': {'finalizers': ['c', 'd', 'd']}},
     {'metadata': {'finalizers': ['a', 'b', 'c', 'd']}}),
    ('deleteFromPrimitiveList',
     {'metadata': {'finalizers': ['a', 'b', 'c']}},
     {'metadata': {'$deleteFromPrimitiveList/finalizers': ['b']}},
     {'metadata': {'finalizers': ['a', 'c']}}),
    ('setElementOrder reorders',
     {'spec': {'containers': [{'name': 'a'}, {'name': 'b'}, {'name': 'c'}]}},
     {'spec': {'$setElementOrder/containers': [{'name': 'c'}, {'name': 'a'}, {'name': 'b'}],
               'containers': [{'name': 'a', 'image': 'x'}]}},
     {'spec': {'containers': [{'name': 'c'}, {'name': 'a', 'image': 'x'}, {'name': 'b'}]}}),
    ('retainKeys clears other keys',
     {'spec': {'volumes': [{'name': 'v', 'emptyDir': {}}]}},
     {'spec': {'volumes': [{'name': 'v', '$retainKeys': ['name', 'hostPath'], 'hostPath': {'path': '/x'}}]}},
     {'spec': {'volumes': [{'name': 'v', 'hostPath': {'path': '/x'}}]}}),
    ('patch delete on a map empties it',
     {'spec': {'affinity': {'nodeAffinity': {'x': 1}}}},
     {'spec': {'affinity': {'$patch': 'delete'}}},
     {'spec': {'affinity': {}}}),
    ('patch replace on a map',
     {'spec': {'nodeSelector': {'a': 'b'}}},
     {'spec': {'nodeSelector': {'$patch': 'replace', 'c': 'd'}}},
     {'spec': {'nodeSelector': {'c': 'd'}}}),
    ('ports by containerPort, env by name, null deletes',
     {'spec': {'containers': [{'name': 'a',
                               'ports': [{'containerPort': 80, 'name': 'h'}],
                               'env': [{'name': 'A', 'value': '1'}]}]}},
     {'spec': {'containers': [{'name': 'a',
                               'ports': [{'containerPort': 81}],
                               'env': [{'name': 'A', 'value': None}, {'name': 'B', 'value': '2'}]}]}},
     {'spec': {'containers': [{'name': 'a',
                               'ports': [{'containerPort': 81}, {'containerPort': 80, 'name': 'h'}],
                               'env': [{'name': 'A'}, {'name': 'B', 'value': '2'}]}]}}),
    ('labels merge and null deletes',
     {'metadata': {'labels': {'a': '1', 'b': '2'}}},
     {'metadata': {'labels': {'a': None, 'c': '3'}}},
     {'metadata': {'labels': {'b': '2', 'c': '3'}}}),
    ('tolerations are atomic',
     {'spec': {'tolerations': [{'key': 'a', 'operator': 'Exists'}]}},
     {'spec': {'tolerations': [{'key': 'b', 'operator': 'Exists'}]}},
     {'spec': {'tolerations': [{'key': 'b', 'operator': 'Exists'}]}}),
    ('command is atomic',
     {'spec': {'containers': [{'name': 'a', 'command': ['x', 'y']}]}},
     {'spec': {'containers': [{'name': 'a', 'command': ['z']}]}},
     {'spec': {'containers': [{'name': 'a', 'command': ['z']}]}}),
    ('nodeSelectorTerms are atomic', _required_term('a'), _required_term('b'), _required_term('b')),
    ('volumeMounts by mountPath',
     {'spec': {'containers': [{'name': 'a',
                               'volumeMounts': [{'name': 'v', 'mountPath': '/a'}, {'name': 'w', 'mountPath': '/b'}]}]}},
     {'spec': {'containers': [{'name': 'a', 'volumeMounts': [{'name': 'x', 'mountPath': '/b', 'readOnly': True}]}]}},
     {'spec': {'containers': [{'name': 'a',
                               'volumeMounts': [{'name': 'v', 'mountPath': '/a'},
                                                {'name': 'x', 'mountPath': '/b', 'readOnly': True}]}]}}),
    ('resources merge as maps',
     {'spec': {'containers': [{'name': 'a', 'resources': {'limits': {'cpu': '1'}, 'requests': {'cpu': '1'}}}]}},
     {'spec': {'containers': [{'name': 'a', 'resources': {'limits': {'memory': '1Gi'}, 'requests': None}}]}},
     {'spec': {'containers': [{'name': 'a', 'resources': {'limits': {'cpu': '1', 'memory': '1Gi'}}}]}}),
    ('new key takes the patch value without directives',
     {'spec': {}},
     {'spec': {'initContainers': [{'name': 'i', 'env': [{'name': 'X', '$patch': 'delete'}, {'name': 'Y'}]}]}},
     {'spec': {'initContainers': [{'name': 'i', 'env': [{'name': 'Y'}]}]}}),
    ('type change replaces',
     {'spec': {'containers': [{'name': 'a', 'args': 'x'}]}},
     {'spec': {'containers': [{'name': 'a', 'args': ['y']}]}},
     {'spec': {'containers': [{'name': 'a', 'args': ['y']}]}}),
    ('unknown scalar field is set',
     {'spec': {}},
     {'spec': {'foo': 'bar'}},
     {'spec': {'foo': 'bar'}}),
    ('imagePullSecrets by name, hostAliases by ip',
     {'spec': {'imagePullSecrets': [{'name': 'a'}], 'hostAliases': [{'ip': '1.1.1.1', 'hostnames': ['a']}]}},
     {'spec': {'imagePullSecrets': [{'name': 'b'}], 'hostAliases': [{'ip': '1.1.1.1', 'hostnames': ['b']}]}},
     {'spec': {'imagePullSecrets': [{'name': 'b'}, {'name': 'a'}], 'hostAliases': [{'ip': '1.1.1.1', 'hostnames': ['b']}]}}),
    ('topologySpreadConstraints by topologyKey',
     {'spec': {'topologySpreadConstraints': [{'topologyKey': 'zone', 'maxSkew': 1}]}},
     {'spec': {'topologySpreadConstraints': [{'topologyKey': 'zone', 'maxSkew': 2}]}},
     {'spec': {'topologySpreadConstraints': [{'topologyKey': 'zone', 'maxSkew': 2}]}}),
    ('empty patch changes nothing',
     {'spec': {'containers': [{'name': 'a', 'image': '1'}, {'name': 'b'}]}},
     {},
     {'spec': {'containers': [{'name': 'a', 'image': '1'}, {'name': 'b'}]}}),
    ('empty patch list leaves a merged list alone',
     {'spec': {'containers': [{'name': 'a'}, {'name': 'b'}]}},
     {'spec': {'containers': []}},
     {'spec': {'containers': [{'name': 'a'}, {'name': 'b'}]}}),
    ('setElementOrder of a primitive list',
     {'metadata': {'finalizers': ['a', 'b']}},
     {'metadata': {'$setElementOrder/finalizers': ['b', 'x', 'a'], 'finalizers': ['x']}},
     {'metadata': {'finalizers': ['b', 'x', 'a']}}),
    ('patch replace at the root',
     {'metadata': {'labels': {'a': '1'}}, 'spec': {'x': 1}},
     {'$patch': 'replace', 'spec': {'y': 2}},
     {'spec': {'y': 2}}),
    ('retainKeys on the pod spec',
     {'spec': {'hostname': 'h', 'subdomain': 's', 'containers': [{'name': 'a'}]}},
     {'spec': {'$retainKeys': ['containers', 'hostname'], 'hostname': 'z'}},
     {'spec': {'hostname': 'z', 'containers': [{'name': 'a'}]}}),
    ('original element before a mentioned one stays first',
     {'spec': {'containers': [{'name': 'a'}, {'name': 'b'}, {'name': 'c'}]}},
     {'spec': {'containers': [{'name': 'b', 'image': '1'}, {'name': 'new'}]}},
     {'spec': {'containers': [{'name': 'a'}, {'name': 'b', 'image': '1'}, {'name': 'new'}, {'name': 'c'}]}}),
    ('volume source switched with null',
     {'spec': {'volumes': [{'name': 'a', 'secret': {'secretName': 's'}}]}},
     {'spec': {'volumes': [{'name': 'a', 'secret': None, 'configMap': {'name': 'c'}}]}},
     {'spec': {'volumes': [{'name': 'a', 'configMap': {'name': 'c'}}]}}),
    ('deleteFromPrimitiveList on an atomic list',
     {'spec': {'containers': [{'name': 'a', 'args': ['x', 'y']}]}},
     {'spec': {'containers': [{'name': 'a', '$deleteFromPrimitiveList/args': ['x']}]}},
     {'spec': {'containers': [{'name': 'a', 'args': ['y']}]}}),
    ('patch delete of a port by containerPort',
     {'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80}, {'containerPort': 81, 'protocol': 'UDP'}]}]}},
     {'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 81, '$patch': 'delete'}]}]}},
     {'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80}]}]}}),
]

ERRORS = [
    ('patch merge on a map',
     {'spec': {'affinity': {'nodeAffinity': {}}}},
     {'spec': {'affinity': {'$patch': 'merge'}}},
     'unknown patch type: merge in map: {"$patch":"merge"}', ('spec', 'affinity', '$patch')),
    ('patch merge in a list',
     {'spec': {'containers': [{'name': 'a'}]}},
     {'spec': {'containers': [{'name': 'a', '$patch': 'merge'}]}},
     'merging lists cannot yet be specified in the patch', ('spec', 'containers', 0, '$patch')),
    ('missing merge key',
     {'spec': {'containers': [{'name': 'a'}]}},
     {'spec': {'containers': [{'image': 'a'}]}},
     'map: {"image":"a"} does not contain declared merge key: name', ('spec', 'containers', 0)),
    ('unknown field holding a map',
     {'spec': {'foo': {'a': 1}}},
     {'spec': {'foo': {'b': 1}}},
     'unable to find api field in struct PodSpec for the json field "foo"', ('spec', 'foo')),
    ('retainKeys not a list',
     {'spec': {}},
     {'spec': {'$retainKeys': 'x'}},
     'invalid patch format of retainKeys', ('spec', '$retainKeys')),
    ('retainKeys missing a patched key',
     {'spec': {'a': 1}},
     {'spec': {'$retainKeys': ['a'], 'b': 2}},
     "invalid patch format of retainKeys: 'b' is patched but not retained", ('spec', '$retainKeys')),
    ('setElementOrder disagreeing with the patch',
     {'spec': {'containers': [{'name': 'a'}, {'name': 'b'}]}},
     {'spec': {'$setElementOrder/containers': [{'name': 'a'}], 'containers': [{'name': 'b'}]}},
     'the order in the patch list [{"name":"b"}] doesn\'t match $setElementOrder list [{"name":"a"}]',
     ('spec', '$setElementOrder/containers')),
    ('mixed element types',
     {'metadata': {'finalizers': ['a']}},
     {'metadata': {'finalizers': [1]}},
     'list element types are not identical: [["a"],[1]]', ('metadata', 'finalizers')),
    ('bad deleteFromPrimitiveList key',
     {'metadata': {'finalizers': ['a']}},
     {'metadata': {'$deleteFromPrimitiveListfinalizers': ['a']}},
     'invalid patch format of primitive list', ('metadata', '$deleteFromPrimitiveListfinalizers')),
    ('unknown patch type',
     {'spec': {'affinity': {}}},
     {'spec': {'affinity': {'$patch': 'zap'}}},
     'unknown patch type: zap in map: {"$patch":"zap"}', ('spec', 'affinity', '$patch')),
]


@pytest.mark.parametrize("name,original,patch,expected", CASES, ids=[c[0] for c in CASES])
def test_apply(name: str, original: dict, patch: dict, expected: dict) -> None:
    assert smp.apply(original, patch) == expected


@pytest.mark.parametrize("name,original,patch,message,path", ERRORS, ids=[c[0] for c in ERRORS])
def test_invalid_patch(name: str, original: dict, patch: dict, message: str, path: tuple) -> None:
    with pytest.raises(smp.StrategicMergeError) as caught:
        smp.apply(original, patch)
    assert (caught.value.message, caught.value.path) == (message, path)


def test_inputs_are_not_modified() -> None:
    original = {"spec": {"containers": [{"name": "a", "env": [{"name": "X"}]}]}}
    patch = {"spec": {"containers": [{"name": "a", "env": [{"name": "X", "$patch": "delete"}]}]}}
    before = copy.deepcopy((original, patch))
    smp.apply(original, patch)
    assert (original, patch) == before


def test_pod_schema_reaches_the_spec_through_the_pod() -> None:
    pod = {"kind": "Pod", "spec": {"containers": [{"name": "a"}]}}
    patched = smp.apply(pod, {"spec": {"containers": [{"name": "a", "image": "x"}]}}, schema="Pod")
    assert patched["spec"]["containers"] == [{"name": "a", "image": "x"}]


def test_unknown_schema_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        smp.apply({}, {}, schema="Nope")


def _kubectl(original: dict, patch: dict, tmp_path: Path) -> tuple[int, dict | None]:
    """Kubernetes' answer: the PodTemplateSpec patched inside a v1 PodTemplate."""
    source = tmp_path / "obj.json"
    obj = {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "x"}, "template": original}
    source.write_text(json.dumps(obj))
    proc = subprocess.run(
        ["kubectl", "patch", "--local", "-f", str(source), "--type", "strategic",
         "-p", json.dumps({"template": patch}), "-o", "json"],
        capture_output=True, text=True, timeout=30,
    )
    if proc.returncode != 0:
        return proc.returncode, None
    return 0, json.loads(proc.stdout).get("template")


needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")


@needs_kubectl
@pytest.mark.parametrize("name,original,patch,expected", CASES, ids=[c[0] for c in CASES])
def test_cases_agree_with_kubectl(name: str, original: dict, patch: dict, expected: dict, tmp_path: Path) -> None:
    code, result = _kubectl(original, patch, tmp_path)
    assert code == 0
    assert result == expected


@needs_kubectl
@pytest.mark.parametrize("name,original,patch,message,path", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_agree_with_kubectl(name: str, original: dict, patch: dict, message: str, path: tuple,
                                   tmp_path: Path) -> None:
    code, _ = _kubectl(original, patch, tmp_path)
    assert code != 0


def test_prune_unknown_keeps_what_gos_typed_decode_keeps() -> None:
    value = {"metadata": {"labels": {"any-key": "kept"}, "foo": 1},
             "spec": {"containers": [{"name": "a", "Image": "x", "imagee": "y", "resources": {"limits": {"cpu": "1"}}}],
                      "volumes": [{"name": "v", "emptyDir": {"medium": "Memory", "bad": 1}}]}}
    pruned, dropped = smp.prune_unknown(value)
    assert pruned == {"metadata": {"labels": {"any-key": "kept"}},
                      "spec": {"containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "1"}}}],
                               "volumes": [{"name": "v", "emptyDir": {"medium": "Memory"}}]}}
    assert dropped == [("metadata", "foo"), ("spec", "containers", 0, "imagee"), ("spec", "volumes", 0, "emptyDir", "bad")]


def test_prune_unknown_keeps_directives_and_takes_type_expressions() -> None:
    assert smp.prune_unknown({"spec": {"$retainKeys": ["a"]}}) == ({"spec": {"$retainKeys": ["a"]}}, [])
    assert smp.prune_unknown([{"key": "k", "efect": "NoSchedule"}], "[]Toleration") == ([{"key": "k"}], [(0, "efect")])


# The merge-key index (smp._key_index/_order_index) must answer exactly as Kubernetes' linear
# scan: same results, same errors, for keys of every JSON type, duplicates, missing keys and
# non-map items.
_KEYS = st.one_of(*[st.sampled_from(["a", "b", "c"])] * 6, st.sampled_from([1, True, 0, False, None]), st.just({"x": 1}))
_PLAIN_ITEM = st.fixed_dictionaries({"name": _KEYS}, optional={"image": st.sampled_from(["i1", "i2"])})
_GOOD_ITEM = st.one_of(*[_PLAIN_ITEM] * 8, st.fixed_dictionaries({"name": _KEYS, "$patch": st.just("delete")}))
_ITEM = st.one_of(
    *[_PLAIN_ITEM] * 8,
    st.fixed_dictionaries({"name": _KEYS, "$patch": st.sampled_from(["delete", "replace"])}),
    st.fixed_dictionaries({"image": st.just("i3")}),
    st.just("not-a-map"),
)


def _outcome(original: list, patch: list, order: list | None) -> Any:
    body: dict[str, Any] = {"spec": {"containers": copy.deepcopy(patch)}}
    if order is not None:
        body["spec"]["$setElementOrder/containers"] = copy.deepcopy(order)
    try:
        return ("ok", smp.apply({"spec": {"containers": copy.deepcopy(original)}}, body))
    except smp.StrategicMergeError as exc:
        return ("error", str(exc), exc.path)


_LISTS = [st.lists(_GOOD_ITEM, max_size=6), st.lists(_ITEM, max_size=6)]  # mostly merges; and errors


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.sampled_from(_LISTS).flatmap(lambda items: st.tuples(items, items, st.one_of(st.none(), items))))
def test_merge_key_index_answers_as_the_linear_scan(case: tuple[list, list, list | None]) -> None:
    original, patch, order = case
    indexed = _outcome(original, patch, order)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(smp, "_key_index", lambda items, key: None)
        mp.setattr(smp, "_order_index", lambda items, key, kind: None)
        scanned = _outcome(original, patch, order)
    assert indexed == scanned


def test_large_keyed_merges_are_linear() -> None:
    n = 20_000
    original = {"spec": {"containers": [{"name": f"c{i}", "image": "a"} for i in range(n)]}}
    patch = {"spec": {"containers": [{"name": f"c{i}", "image": "b"} for i in range(n, 0, -1)]}}
    start = time.monotonic()
    merged = smp.apply(original, patch)
    assert len(merged["spec"]["containers"]) == n + 1 and time.monotonic() - start < 5
