"""The exceptions of k8s/ belong to kruise-render's one hierarchy: a "this field is wrong" error
is a diagnostics.FieldError (message, relative path, `under`), everything else a
KruiseRenderError, so a caller can catch at the level it understands."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render.diagnostics import FieldError, KruiseRenderError
from kruise_render.k8s import goregex, gotypes, intstr, nodes, quantity, selectors, smp
from kruise_render.options import Limits

FIELD_ERRORS = [
    gotypes.GoTypeError, smp.StrategicMergeError, selectors.SelectorError, quantity.QuantityError,
    intstr.IntStrError, intstr.IntStrRangeError, goregex.RegexError,
]


@pytest.mark.parametrize("cls", FIELD_ERRORS, ids=lambda cls: cls.__name__)
def test_field_errors_keep_their_class_and_message_under_a_prefix(cls: type[FieldError]) -> None:
    error = cls("must be a list", ("values",)).under("spec", 0)
    assert type(error) is cls
    assert (str(error), error.message, error.path) == ("must be a list", "must be a list", ("spec", 0, "values"))


def test_raised_errors_carry_the_path_of_the_field() -> None:
    with pytest.raises(selectors.SelectorError) as caught:
        selectors.validate({"matchExpressions": [{"key": "a", "operator": "Near"}]})
    assert caught.value.path == ("matchExpressions", 0, "operator")
    with pytest.raises(gotypes.GoTypeError) as typed:
        gotypes.normalize({"name": "c", "ports": "80"}, "Container")
    assert (typed.value.message, typed.value.path) == ("must be a list", ("ports",))
    with pytest.raises(smp.StrategicMergeError) as patched:
        smp.apply({"spec": {}}, {"spec": {"$patch": "merge"}})
    assert isinstance(patched.value, FieldError) and patched.value.path == ("spec", "$patch")


def test_a_nodes_file_problem_is_no_field_error(tmp_path: Path) -> None:
    path = tmp_path / "nodes.yaml"
    path.write_text("- n1\n- n1\n")
    with pytest.raises(KruiseRenderError) as caught:
        nodes.load(str(path), Limits())
    assert type(caught.value) is nodes.NodesFileError and not isinstance(caught.value, FieldError)
    assert (str(caught.value), caught.value.line) == ("node n1 is listed twice", 1)
