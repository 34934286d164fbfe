"""Properties of every render, over generated Kubernetes-like streams with Kruise objects.

They must hold whatever the stages do: deterministic output (also across PYTHONHASHSEED),
idempotence (rendering the output gives the output), nothing lost (every input object is kept,
changed, expanded or consumed: api.account / --report), output that reads back, and untouched
documents written back byte for byte. Fixed example budget, derandomized: same run in CI.
"""
from __future__ import annotations

import copy
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.seeds import SEEDS
from kruise_render import api
from kruise_render.options import Options
from kruise_render.yaml import reader
from tests.conftest import run_cli

PROFILE = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SUBPROCESS = settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

NAMES = st.from_regex(r"\A[a-z]([a-z0-9-]{0,10}[a-z0-9])?\Z")
NAMESPACES = st.sampled_from([None, "default", "shop", "kube-system"])
APPS = st.sampled_from(["web", "db", "agent", "spread"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
UNTOUCHABLE = ("ConfigMap", "Service", "Namespace")


@st.composite
def objects(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(SEEDS)))
    obj = copy.deepcopy(SEEDS[kind])
    meta = obj["metadata"]
    meta["name"] = draw(NAMES)
    if "namespace" in meta or kind in ("deployment", "pod", "configmap", "service"):
        namespace = draw(NAMESPACES)
        if namespace:
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
    if draw(st.booleans()):
        meta["annotations"] = {"note": draw(TEXT)}
    spec = obj.get("spec")
    if isinstance(spec, dict):
        if "replicas" in spec:
            spec["replicas"] = draw(st.integers(0, 12))
        app = draw(APPS)
        for holder in (spec.get("selector", {}).get("matchLabels"), spec.get("selector")):
            if isinstance(holder, dict) and "app" in holder:
                holder["app"] = app
        template = spec.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            template.setdefault("metadata", {}).setdefault("labels", {})["app"] = app
            containers = template["spec"]["containers"]
            for i in range(draw(st.integers(0, 2))):
                containers.append({"name": f"extra-{i}", "image": f"img:{draw(st.integers(0, 9))}"})
    return obj


@st.composite
def streams(draw: Any) -> str:
    """A stream the way people write them: comments, varied indentation and separators."""
    parts = []
    for obj in draw(st.lists(objects(), min_size=1, max_size=6)):
        indent = draw(st.sampled_from([2, 4]))
        text = yaml.safe_dump(obj, sort_keys=draw(st.booleans()), indent=indent, allow_unicode=True)
        if draw(st.booleans()):
            text = f"# {obj['kind']} written by hand\n" + text
        parts.append(text)
    separator = draw(st.sampled_from(["---\n", "--- # next\n", "\n---\n"]))
    return separator.join(parts)


OPTIONS = st.sampled_from([Options(), Options(allow_lossy=True), Options(keep_unrenderable=True),
                           Options(allow_lossy=True, keep_unrenderable=True)])


def _render(text: str, options: Options) -> api.Result:
    return api.render([reader.Source("in.yaml", text)], options)


@PROFILE
@given(streams(), OPTIONS)
def test_render_properties(text: str, options: Options) -> None:
    result = _render(text, options)
    for diagnostic in result.problems:
        line = diagnostic.format()
        assert "\n" not in line and line.startswith("in.yaml:"), line
    if not result.ok:
        assert result.documents == []
        for line in api.account(result):
            assert line.endswith(": not written (the run has errors)") or ": consumed: " in line, line
        return
    output = result.stream()
    # Deterministic in one process: a second run over fresh objects gives the same bytes.
    assert _render(text, options).stream() == output
    # Idempotent.
    assert _render(output, options).stream() == output
    # Output reads back, as the same objects.
    back, problems = reader.read_documents([reader.Source("out.yaml", output)], options.limits)
    assert problems == []
    assert [d.data for d in back] == [d.data for d in result.documents]
    # Nothing lost: one account line per input object, each saying what became of it.
    lines = api.account(result)
    assert len(lines) == len(result.inputs)
    for doc, line in zip(result.inputs, lines, strict=True):
        assert re.match(rf"in\.yaml:{doc.origin.line}: \S+: (unchanged|changed|expanded into \S|consumed: \S)", line), line
        # Untouched documents are written back byte for byte.
        if ": unchanged" in line:
            assert doc.raw is not None and doc.raw in output
    for doc in result.inputs:
        if doc.kind in UNTOUCHABLE and doc.api_version == "v1":
            assert doc.raw in output, f"{doc.id} was rewritten"


@SUBPROCESS
@given(streams())
def test_output_and_report_do_not_depend_on_hash_seed(text: str) -> None:
    first = run_cli("render", "--report", "-", stdin=text, env={"PYTHONHASHSEED": "0"})
    second = run_cli("render", "--report", "-", stdin=text, env={"PYTHONHASHSEED": "4242"})
    assert first.code == second.code
    assert first.out == second.out
    assert first.err == second.err
    assert len([line for line in first.err.splitlines() if line.startswith("<stdin>:")]) >= 1
