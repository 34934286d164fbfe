"""Documents held as text (document.py): built on first use, dropped again while unchanged,
settled into their output text once no stage edits them; and a render that holds most of a
stream as text writes exactly what a render that builds everything writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render import api
from kruise_render.document import Document, Origin
from kruise_render.k8s.identity import ResourceId
from kruise_render.options import Limits, Options
from kruise_render.yaml import edit, look, reader, writer
from tests.conftest import FIXTURES, case_args
from tests.golden_test import _cases

WEB = """\
# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  template:
    metadata:
      labels:
        app: web  # matched by the SidecarSet
    spec:
      containers:
        - name: main
          image: web:1
"""

SIDECARSET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: web
  containers:
    - name: agent
      image: agent:1
"""


def _held(text: str = WEB) -> Document:
    found = look.read(text, Limits())
    assert found is not None
    return Document.from_text(text, Origin("in.yaml", 1, 0), found.id, Limits(), found.templates)


def test_a_held_document_is_built_on_first_use_and_dropped_again() -> None:
    doc = _held()
    assert not doc.parsed and doc.id == ResourceId("apps/v1", "Deployment", None, "web")
    assert doc.held_templates == ((("spec", "template"), {"app": "web"}),)
    assert doc.held_text == WEB
    assert doc.data["spec"]["template"]["spec"]["containers"][0]["image"] == "web:1"
    assert doc.parsed and doc.node is None and doc.held_templates is None and doc.held_text is None
    doc.release()
    assert doc.editable() is doc.data and doc.node is not None  # built for an edit: with its node tree
    doc.release()
    assert not doc.parsed and doc.node is None and doc.kind == "Deployment"
    doc.data["metadata"]["labels"]["x"] = "y"
    doc.mark_changed()
    doc.release()
    assert doc.parsed  # changed: the data is the only place the change is


def test_settle_keeps_the_output_and_a_later_edit_starts_from_it() -> None:
    doc = _held()
    doc.data["metadata"]["labels"]["tier"] = "front"
    doc.mark_changed()
    out = writer.document_text(doc)
    doc.settle(out)
    assert not doc.parsed and doc.settled == out and writer.document_text(doc) == out
    assert doc.raw == WEB  # messages still point into the input
    doc.data["metadata"]["labels"]["more"] = "so"  # a later stage: built again from the output
    doc.mark_changed()
    again = writer.document_text(doc)
    assert "tier: front" in again and "more: so" in again and "# matched by the SidecarSet" in again


def test_the_kept_node_edits_as_composing_again_does() -> None:
    doc = _held()
    data = doc.editable()  # built with its node tree, which the splice then reuses
    node = doc.node
    data["spec"]["template"]["spec"]["containers"].append({"name": "agent", "image": "agent:1"})
    assert edit.rewrite(WEB, data, node) == edit.rewrite(WEB, data)


@pytest.mark.parametrize(("text", "holds"), [
    (WEB, False),
    (WEB.replace("app: web\n", "app: web\n    kruise-render.io/allow-lossy: spec\n", 1), True),
    (WEB.replace("# the web tier", "# kruise-render.io/allow-lossy in a comment"), True),  # may: never misses
])
def test_may_hold(text: str, holds: bool) -> None:
    assert _held(text).may_hold("kruise-render.io/allow-lossy") is holds


def test_may_hold_never_misses_an_escaped_key() -> None:
    escaped = WEB.replace("app: web\n", '"kruise-render.io/allow\\u002dlossy": spec\n    app: web\n', 1)
    doc = Document(data={"metadata": {}}, origin=Origin("in.yaml", 1, 0), raw=escaped, limits=Limits())
    assert doc.may_hold("kruise-render.io/allow-lossy")


def test_the_sidecarset_stage_builds_only_what_it_injects_into_and_settles_it(tmp_path: Path) -> None:
    other = WEB.replace("web", "db")
    (tmp_path / "in.yaml").write_text("---\n".join([SIDECARSET, WEB, other]))
    options = Options()
    sources, _ = api.read([str(tmp_path)], options)
    documents, problems = reader.read_documents(sources, options.limits)
    assert not problems and [doc.parsed for doc in documents] == [True, False, False]  # only the Kruise object
    result = api.render_documents(documents, options)
    web, db = result.documents
    assert web.settled is not None and "image: agent:1" in web.settled and not web.parsed
    assert not db.parsed and db.settled is None  # judged by the labels read off its text
    assert result.stream() == writer.to_stream(result.documents)


def test_an_edit_after_settling_is_written(tmp_path: Path) -> None:
    """The allow-lossy annotation is taken off after SidecarSet injection settled the document."""
    annotated = WEB.replace("  labels:\n    app: web\n", "  annotations:\n    kruise-render.io/allow-lossy: spec\n"
                            "  labels:\n    app: web\n", 1)
    result = api.render([reader.Source("in.yaml", "---\n".join([SIDECARSET, annotated]))])
    assert result.ok, result.problems
    out = result.stream()
    assert "allow-lossy" not in out and "image: agent:1" in out and "# matched by the SidecarSet" in out


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_holding_documents_as_text_changes_no_output(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every golden case rendered with every document built while reading (as before) and held as
    text: the same output, byte for byte, and the same problems."""
    monkeypatch.chdir(case)
    source = "input.yaml" if (case / "input.yaml").exists() else "input"
    options = api.options_from_args(case_args(case))

    def rendered() -> tuple[str, list[str]]:
        result = api.render_paths([source], options)
        return result.stream(), [problem.format() for problem in result.problems]

    held = rendered()
    monkeypatch.setattr(reader, "wanted_for", lambda sources: lambda api_version, kind: True)
    assert rendered() == held
