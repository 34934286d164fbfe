"""blockyaml writes exactly what PyYAML's dumper writes, or declines."""
from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kruise_render.yaml import blockyaml, codec

KEYS = st.one_of(
    st.sampled_from(["name", "app.kubernetes.io/name", "on", "yes", "1", "a b", "", "x" * 101, "key: v", "- a", "#c",
                     "é", "multi\nline", "null", "~", "'q'", "\"d\"", "*a", "&b", "!t", "%p", "@x", "`y"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=10),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "yes", "y", "1e3", "0o17", "08", "null", "1.5", "a: b", "# no", "it's", '"q"', "- x",
                     "é€", "x\ny", "tail\n", " lead", "trail ", "---", "...", "\t", "a\u2028b", "\x85", "\ufeff"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=16),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=int(os.environ.get("BLOCKYAML_EXAMPLES", "400")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.one_of(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6), st.lists(VALUES, min_size=1, max_size=4)))
def test_the_same_bytes_as_the_dumper_or_declined(data: Any) -> None:
    fast = blockyaml.block(data, codec.scalar_line)
    event("written" if fast is not None else "declined")
    if fast is not None:
        assert fast == codec._pyyaml_dump(data)
    assert codec.dump(data) == codec._pyyaml_dump(data)


def test_a_workload_is_written_without_the_representer() -> None:
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
            "containers": [{"name": "main", "image": "web:1", "ports": [{"containerPort": 80}], "args": ["--x", "y"]}],
            "volumes": [{"name": "v", "emptyDir": {}}]}}},
    }
    fast = blockyaml.block(deployment, codec.scalar_line)
    assert fast is not None
    assert fast == codec._pyyaml_dump(deployment)
    assert "      containers:\n      - name: main\n" in fast  # a sequence under a key at the key's column


@pytest.mark.parametrize("data", [
    {"a": "line one\nline two"},  # a block scalar: its indentation is the dumper's
    {"x" * 101: 1},  # past a simple key
    {1: "a"},  # not a string key
    {"a": ("t",)},  # not YAML data
    {},
    [],
])
def test_declined(data: Any) -> None:
    assert blockyaml.block(data, codec.scalar_line) is None
    assert codec.dump(data) == codec._pyyaml_dump(data)


def test_scalar_texts_are_kept_per_value_and_type() -> None:
    assert codec.scalar_line(1) == "1"
    assert codec.scalar_line(True) == "true"
    assert codec.scalar_line(1.0) == "1.0"
    assert codec.scalar_line(-0.0) == "-0.0" and codec.scalar_line(0.0) == "0.0"
    assert codec.scalar_line("yes") == '"yes"'
    assert codec.scalar_line("two\nlines") is None
    with pytest.raises(TypeError):
        codec.scalar_line(["unhashable"])
