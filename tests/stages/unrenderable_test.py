from __future__ import annotations

from pathlib import Path

from kruise_render import kinds
from kruise_render.stages import unrenderable
from tests.conftest import run_cli
from tests.stages.otherkinds_support import render

IMAGE_PULL_JOB = (
    "apiVersion: apps.kruise.io/v1beta1\nkind: ImagePullJob\nmetadata: {name: pull}  # keep me\nspec: {image: nginx}\n"
)


def test_runtime_object_is_an_error_naming_it() -> None:
    out = render(IMAGE_PULL_JOB)
    assert out.objects == []
    assert out.errors[0].startswith("in.yaml:1: ImagePullJob/pull: not renderable: runtime object")


def test_keep_unrenderable_passes_the_text_through_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(IMAGE_PULL_JOB)
    result = run_cli("render", "--keep-unrenderable", str(source))
    assert result.code == 0
    assert result.out == IMAGE_PULL_JOB
    assert "warning: not renderable: runtime object" in result.err


def test_unknown_kruise_kinds_are_never_passed_silently() -> None:
    out = render("apiVersion: apps.kruise.io/v1alpha1\nkind: Gadget\nmetadata: {name: g}\n")
    assert out.errors == ["in.yaml:1: Gadget/g: not renderable: no stage renders apps.kruise.io/v1alpha1 Gadget; "
                          "a Kruise object is never passed through silently (--keep-unrenderable passes it through unchanged)"]


def test_an_unknown_kind_near_a_kruise_kind_says_which_one() -> None:
    out = render("apiVersion: apps.kruise.io/v1alpha1\nkind: Cloneset\nmetadata: {name: c}\n")
    assert out.errors == ["in.yaml:1: Cloneset/c: not renderable: no stage renders apps.kruise.io/v1alpha1 Cloneset "
                          "(did you mean CloneSet?); a Kruise object is never passed through silently "
                          "(--keep-unrenderable passes it through unchanged)"]


def test_unserved_version_is_refused_even_when_the_unrenderable_stage_runs_alone() -> None:
    # The validate stage refuses it in a full run (tests/kinds_test.py); run alone, this stage
    # says the same, never "no stage renders".
    from kruise_render.context import Context
    from kruise_render.document import Document, Origin

    ctx = Context()
    doc = Document({"apiVersion": "apps.kruise.io/v1beta1", "kind": "CloneSet", "metadata": {"name": "c"}}, Origin("f", 1, 0))
    assert unrenderable.run([doc], ctx) == []
    assert [d.message for d in ctx.problems] == [kinds.unserved("apps.kruise.io/v1beta1", "CloneSet")]
    assert [d.path for d in ctx.problems] == ["apiVersion"]


def test_native_objects_are_untouched() -> None:
    out = render("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert out.errors == [] and out.warnings == []
