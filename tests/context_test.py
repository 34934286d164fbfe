"""Where messages point: a problem of an object a stage created is told at the line and the
field path of the input it came from (Document.derive(at=...), Context.report)."""
from __future__ import annotations

import re
from typing import Any

import yaml

from kruise_render.context import Context
from kruise_render.document import Document, Origin
from tests.conftest import FIXTURES, run_cli

UD_TEXT = """\
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: shop
spec:
  template:
    cloneSetTemplate:
      spec:
        template:
          spec:
            containers:
              - name: c
                image: i
"""


def _ud() -> Document:
    return Document(data=yaml.safe_load(UD_TEXT), origin=Origin("ud.yaml", 1, 0), raw=UD_TEXT)


def _follow(data: Any, path: str) -> Any:
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[key]
    return data


def test_a_problem_of_a_united_deployment_subset_points_at_its_template_once() -> None:
    case = FIXTURES / "uniteddeployment" / "invalid-sidecar-injection"
    result = run_cli("render", "input.yaml", cwd=case)
    assert result.code == 1 and result.out == ""
    [line] = result.err.splitlines()  # both subsets have it: said once
    where, kind, path, _ = line.split(": ", 3)
    assert (where, kind) == ("input.yaml:45", "UnitedDeployment/shop")
    ud = list(yaml.safe_load_all((case / "input.yaml").read_text()))[1]
    assert _follow(ud, path) == "shop"  # the path exists in the file as written ...
    text = (case / "input.yaml").read_text().splitlines()
    assert text[45 - 1].strip() == "- name: shop"  # ... and the line is its line
    assert path.startswith("spec.template.deploymentTemplate.spec.template.spec.")


def test_a_path_of_a_created_object_becomes_the_path_it_came_from() -> None:
    subset = _ud().derive({"kind": "CloneSet"}, at=("spec", "template", "cloneSetTemplate"))
    ctx = Context()
    ctx.error(subset, ("spec", "template", "spec", "containers", 0, "image"), "bad image")
    assert ctx.problems[0].format() == (
        "ud.yaml:13: UnitedDeployment/shop: spec.template.cloneSetTemplate.spec.template.spec.containers[0].image: bad image")
    ctx.error(subset, ["spec", "template"], "a list")  # type: ignore[arg-type]  # as an untyped caller might
    assert ctx.problems[1].path == "spec.template.cloneSetTemplate.spec.template"


def test_the_longest_matching_prefix_applies_through_every_created_object() -> None:
    ud = _ud()
    first = ud.derive({}, at={(): ("spec", "template"), ("metadata", "name"): ("metadata", "name")})
    second = first.derive({}, at={(): (), ("spec", "x"): ("cloneSetTemplate", "spec")})
    assert second.input_path(("spec", "x", "template")) == ("spec", "template", "cloneSetTemplate", "spec", "template")
    assert second.input_path(("metadata", "name")) == ("metadata", "name")
    assert second.input_path(("metadata", "labels")) == ("spec", "template", "metadata", "labels")
    assert ud.derive({}).input_path(("spec",)) is None  # created without saying where from


def test_a_field_only_the_created_object_has_is_cut_to_what_the_file_has() -> None:
    subset = _ud().derive({}, at=("spec", "template", "cloneSetTemplate"))
    ctx = Context()
    ctx.error(subset, ("spec", "template", "spec", "containers", 1, "name"), "duplicate name")
    assert ctx.problems[0].format() == (
        "ud.yaml:11: UnitedDeployment/shop: spec.template.cloneSetTemplate.spec.template.spec.containers: "
        "[1].name: duplicate name")


def test_without_a_source_path_the_closest_existing_field_is_named() -> None:
    created = _ud().derive({})
    ctx = Context()
    ctx.warning(created, ("spec", "replicas"), "odd")
    assert ctx.problems[0].format() == "ud.yaml:5: UnitedDeployment/shop: spec: warning: replicas: odd"


def test_items_without_text_are_looked_up_in_their_data() -> None:
    item = Document(data=yaml.safe_load(UD_TEXT), origin=Origin("<stdin>", 0, 0))
    ctx = Context()
    ctx.error(item.derive({}, at=("spec", "template")), ("cloneSetTemplate", "metadata"), "missing")
    assert ctx.problems[0].path == "spec.template.cloneSetTemplate" and ctx.problems[0].message == "metadata: missing"


def test_an_identical_problem_is_reported_once() -> None:
    ud = _ud()
    ctx = Context()
    for _ in range(2):
        ctx.error(ud.derive({}, at=()), ("spec",), "same")
    ctx.error(ud, ("spec",), "other")
    assert [p.message for p in ctx.problems] == ["same", "other"]
