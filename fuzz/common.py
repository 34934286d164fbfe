"""What every fuzz target checks, and a YAML-aware mutator that keeps inputs Kubernetes-shaped.

A crash is any exception escaping `api.render` (problems must come back as diagnostics), a
diagnostic that is not one line, output that does not read back as the same objects, or a
second render of the output that differs from it. The regression tests call `check` too.
"""
from __future__ import annotations

import importlib
import io
import json
import os
import pkgutil
import random
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import yaml

import kruise_render
from kruise_render import api, pipeline
from kruise_render.options import Limits, Options
from kruise_render.yaml import reader


def import_everything() -> list[str]:
    """Import every module of kruise_render now. The targets import this module inside
    `atheris.instrument_imports`, and atheris instruments only what is imported there; kruise-render
    imports its stages and most helpers on first use (start-up), so without this the code the
    fuzzers exercise would give them no coverage feedback."""
    names = []
    for module in pkgutil.walk_packages(kruise_render.__path__, "kruise_render."):
        if module.name.endswith("__main__"):  # running it would run the command line
            continue
        importlib.import_module(module.name)
        names.append(module.name)
    return names


IMPORTED = import_everything()

# Small limits keep each execution fast; the hostile tests cover the default limits.
LIMITS = Limits(max_document_bytes=256 * 1024, max_total_bytes=1024 * 1024, max_depth=60, max_alias_nodes=5_000)
VARIANTS = (
    Options(limits=LIMITS),
    Options(limits=LIMITS, allow_lossy=True),
    Options(limits=LIMITS, keep_unrenderable=True),
    Options(limits=LIMITS, allow_lossy=True, keep_unrenderable=True, timestamp="2024-01-02T03:04:05Z"),
)


def options_for(data: bytes) -> Options:
    """Deterministic per input, so that a crash replays with the same options."""
    return VARIANTS[sum(data[:64]) % len(VARIANTS)]


def stages_named(names: Sequence[str]) -> tuple[tuple[str, pipeline.Stage], ...]:
    return tuple((name, stage) for name, stage in pipeline.STAGES if name in names)


def _typed(value: Any) -> Any:
    """Keys with their types (YAML 1.1 reads `on:` as the key True), so that JSON can sort them."""
    if isinstance(value, dict):
        return {f"{type(key).__name__}:{key!r}": _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return value


def _canonical(docs: Sequence[Any]) -> list[str]:
    return [json.dumps(_typed(doc.data), sort_keys=True, default=repr) for doc in docs]


def check(
    data: bytes, options: Options, stages: tuple[tuple[str, pipeline.Stage], ...] | None = None, idempotent: bool = True
) -> None:
    """Render `data` as stdin would be rendered; raise AssertionError on a broken guarantee.

    `idempotent=False` for a narrowed pipeline: a stage may emit Kruise objects (a UnitedDeployment
    emits CloneSets) that a later stage, left out, would have made native; rendering them again
    validates them as input, which the whole pipeline never does."""
    sources, problems = api.read(["-"], options, stdin=io.BytesIO(data))
    result = api.render(sources, options, stages=stages)
    for diagnostic in [*problems, *result.problems]:
        line = diagnostic.format()
        assert "\n" not in line and "\r" not in line, f"diagnostic is not one line: {line!r}"
    if not result.ok:
        assert not result.documents, "documents returned although errors were found"
        return
    stream = result.stream()
    stream.encode("utf-8")
    result.json().encode("utf-8")
    for text in result.files("yaml").values():
        text.encode("utf-8")
    again_sources = [reader.Source("<output>", stream)]
    reread, reread_problems = reader.read_documents(again_sources, options.limits)
    assert not reread_problems, f"output does not read back: {reread_problems[0].format()}"
    assert _canonical(reread) == _canonical(result.documents), "output reads back as different objects"
    if not idempotent:
        return
    second = api.render(again_sources, options, stages=stages)
    assert second.ok, f"output does not render again: {[d.format() for d in second.problems][:1]}"
    assert second.stream() == stream, "render is not idempotent"


def signature(exc: BaseException) -> str:
    """Where a crash comes from: its type and the innermost frame in kruise_render (else fuzz/)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "kruise_render" in f.filename] or [f for f in frames if "fuzz" in f.filename]
    where = ours[-1] if ours else frames[-1]
    folder = os.path.basename(os.path.dirname(where.filename))
    return f"{type(exc).__name__} at {folder}/{os.path.basename(where.filename)}:{where.lineno}"


def _known() -> set[str]:
    path = os.environ.get("KRUISE_FUZZ_KNOWN")
    if not path or not os.path.exists(path):
        return set()
    with open(path) as handle:
        return {line.strip() for line in handle if line.strip()}


KNOWN = _known()


def guarded(run: Callable[[], None]) -> None:
    """Run one input; a crash already found (fuzz/run.py lists them in KRUISE_FUZZ_KNOWN) is not
    reported again, so one run can go on to find the next one."""
    try:
        run()
    except Exception as exc:
        where = signature(exc)
        if where in KNOWN:
            return
        print(f"KRUISE_FUZZ_SIGNATURE: {where}", file=sys.stderr, flush=True)
        raise


# ---------------------------------------------------------------------------------------------
# Mutation: change Kubernetes-shaped data, not bytes, most of the time.

VOCABULARY = (
    "replicas", "partition", "maxUnavailable", "maxSurge", "paused", "selector", "matchLabels",
    "matchExpressions", "template", "spec", "metadata", "labels", "annotations", "namespace", "name",
    "containers", "initContainers", "volumes", "volumeMounts", "env", "image", "subsets", "topology",
    "nodeSelectorTerm", "tolerations", "patch", "updateStrategy", "rollingUpdate", "type",
    "injectionStrategy", "namespaceSelector", "podInjectPolicy", "shareVolumePolicy", "upgradeStrategy",
    "targetRef", "kind", "apiVersion", "minReplicas", "maxReplicas", "scheduleStrategy", "revisionHistoryLimit",
    "volumeClaimTemplates", "serviceName", "persistentVolumeClaimRetentionPolicy", "lifecycle", "schedule",
    "jobTemplate", "completionPolicy", "parallelism", "resource", "targets", "includedNamespaces", "list",
)
SCALARS: tuple[Any, ...] = (
    None, True, False, 0, 1, -1, 3, 2**31, 2**63, 10**30, 0.5, float("inf"), "", "a", "50%", "100%",
    "150%", "-1%", "0%", "x%", "1.5", "Always", "Never", "InPlaceIfPossible", "AfterAppContainer",
    "BeforeAppContainer", "In", "NotIn", "Exists", "DoesNotExist", "enabled", "kube-system", "default",
    "a" * 300, "ä/ü\u2028", "10:30", "y", "null", "~", "-", "${X}", "a\nb",
)
KINDS = (
    ("apps.kruise.io/v1alpha1", "CloneSet"), ("apps.kruise.io/v1beta1", "StatefulSet"),
    ("apps.kruise.io/v1alpha1", "StatefulSet"), ("apps.kruise.io/v1alpha1", "DaemonSet"),
    ("apps.kruise.io/v1alpha1", "UnitedDeployment"), ("apps.kruise.io/v1alpha1", "SidecarSet"),
    ("apps.kruise.io/v1alpha1", "AdvancedCronJob"), ("apps.kruise.io/v1alpha1", "BroadcastJob"),
    ("apps.kruise.io/v1alpha1", "WorkloadSpread"), ("apps.kruise.io/v1alpha1", "ResourceDistribution"),
    ("policy.kruise.io/v1alpha1", "PodUnavailableBudget"), ("apps/v1", "Deployment"), ("v1", "Pod"),
    ("v1", "Namespace"), ("apps.kruise.io/v1alpha1", "ImagePullJob"), ("apps.kruise.io/v1alpha1", "List"),
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, path + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, path + (index,)))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _mutate_one(docs: list[Any], rng: random.Random) -> None:
    index = rng.randrange(len(docs))
    doc = docs[index]
    if not isinstance(doc, (dict, list)):
        docs[index] = {}
        return
    if rng.random() < 0.05:
        docs.append(json.loads(json.dumps(doc)))  # same object twice (same name)
        return
    if rng.random() < 0.05 and len(docs) > 1:
        del docs[index]
        return
    paths = _paths(doc)
    path = rng.choice(paths)
    target = _get(doc, path)
    parent = _get(doc, path[:-1]) if path else None
    choice = rng.random()
    if choice < 0.1 and isinstance(doc, dict):
        doc["apiVersion"], doc["kind"] = rng.choice(KINDS)
    elif choice < 0.3 and isinstance(target, dict):
        target[rng.choice(VOCABULARY)] = rng.choice(SCALARS + ({}, [], {"a": "b"}, [{"name": "x"}]))
    elif choice < 0.4 and isinstance(target, list) and target:
        target.append(json.loads(json.dumps(rng.choice(target))))
    elif choice < 0.5 and parent is not None:
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    elif choice < 0.6 and parent is not None:
        donor = rng.choice(docs)
        other = _get(donor, rng.choice(_paths(donor)))
        parent[path[-1]] = json.loads(json.dumps(other))  # splice a subtree from elsewhere
    elif parent is not None:
        parent[path[-1]] = rng.choice(SCALARS)


def mutate(data: bytes, max_size: int, seed: int, fallback: Any) -> bytes:
    """Parse, change one to three things, dump; bytes-level mutation when it does not parse."""
    rng = random.Random(seed)
    if rng.random() < 0.2:
        return fallback(data, max_size)
    try:
        docs = [doc for doc in yaml.load_all(data.decode("utf-8"), Loader=yaml.CSafeLoader) if doc is not None]
    except Exception:
        return fallback(data, max_size)
    if not docs:
        return fallback(data, max_size)
    for _ in range(rng.randint(1, 3)):
        _mutate_one(docs, rng)
    try:
        out = yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False).encode("utf-8")
    except Exception:
        return fallback(data, max_size)
    return out if len(out) <= max_size else fallback(data, max_size)
