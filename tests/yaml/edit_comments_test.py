"""Comments of documents a stage edits (QA findings on kruise_render/yaml/edit.py)."""
from __future__ import annotations

from kruise_render import api
from kruise_render.options import Options
from kruise_render.yaml.reader import Source

SIDECARSET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata: {name: sc}
spec:
  selector: {matchLabels: {inject: "yes"}}
  containers:
  - {name: sc, image: sc:1, volumeMounts: [{name: v, mountPath: /v}]}
  volumes:
  - {name: v, emptyDir: {}}
---
"""

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    inject: "yes"
spec:
  containers:
  - name: a
    image: b
    # about container a
# about the whole pod
"""


def render(text: str) -> str:
    result = api.render([Source("in.yaml", text)], Options())
    assert result.ok, [d.format() for d in result.problems]
    return result.stream()


def test_comments_of_an_edited_document_are_kept() -> None:
    out = render(SIDECARSET + POD)
    assert "    # about container a\n" in out and "# about the whole pod\n" in out


def test_trailing_comment_of_a_document_stays_last() -> None:
    assert render(SIDECARSET + POD).endswith("# about the whole pod\n")
