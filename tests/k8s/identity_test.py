"""Object identity and ObjectMeta's types, as kubectl decodes them for every kind."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kruise_render.k8s import identity
from kruise_render.options import Limits
from kruise_render.yaml import codec

BAD_METADATA = {
    "namespace: 5": "metadata.namespace is the number 5, not a string (quote it)",
    "namespace: [a]": "metadata.namespace is a list, not a string",
    "labels: {a: 1}": "metadata.labels.a is the number 1, not a string (quote it)",
    "labels: {a: true}": "metadata.labels.a is the boolean true, not a string (quote it)",
    "labels: x": "metadata.labels is a string, not a mapping of strings",
    "annotations: [a]": "metadata.annotations is a list, not a mapping of strings",
    "annotations: {a.b/c: {k: v}}": "metadata.annotations['a.b/c'] is a mapping, not a string",
}
GOOD_METADATA = ["namespace: ~", "labels: ~", "labels: {a: ~}", "annotations: {a: '1', b: ~}", "labels: {1: a}"]


def _doc(line: str) -> str:
    return f"apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: x\n  {line}\n"


@pytest.mark.parametrize("line", list(BAD_METADATA), ids=list(BAD_METADATA))
def test_metadata_of_the_wrong_type_is_refused_for_every_kind(line: str) -> None:
    assert identity.header_problem(codec.load(_doc(line), Limits())) == BAD_METADATA[line]


@pytest.mark.parametrize("line", GOOD_METADATA)
def test_null_metadata_values_are_unset_not_wrong(line: str) -> None:
    assert identity.header_problem(codec.load(_doc(line), Limits())) is None


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_agrees(tmp_path: Path) -> None:
    """The oracle: kubectl's decoding of ObjectMeta (`json: cannot unmarshal ... ObjectMeta`)."""
    for i, line in enumerate([*BAD_METADATA, *GOOD_METADATA]):
        path = tmp_path / f"{i}.yaml"
        path.write_text(_doc(line))
        proc = subprocess.run(["kubectl", "patch", "--local", "-f", str(path), "--type", "merge", "-p", "{}",
                               "-o", "json"], capture_output=True, text=True, timeout=30)
        assert (proc.returncode != 0) == (line in BAD_METADATA), (line, proc.stderr)
