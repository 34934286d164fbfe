from __future__ import annotations

from kruise_render.diff.describe import field_phrase, fields_phrase, value
from kruise_render.diff.fields import MISSING, FieldChange, Named


def _image(old: str, new: str) -> FieldChange:
    return FieldChange(("spec", "containers", Named("log-agent"), "image"), old, new)


def test_one_container_is_said_once_and_images_by_tag() -> None:
    assert fields_phrase([_image("r.io/a:2.1", "r.io/a:2.2")]) == "image 2.1 → 2.2"
    assert fields_phrase([_image("r.io/a:2.1", "r.io/b:2.2")]) == "image r.io/a:2.1 → r.io/b:2.2"
    assert fields_phrase([_image("r:5000/a", "r:5000/a:1")]) == "image r:5000/a → r:5000/a:1"


def test_more_than_three_fields_are_counted() -> None:
    changes = [FieldChange(("spec", f"f{i}"), 1, 2) for i in range(5)]
    assert fields_phrase(changes) == "f0 1 → 2, f1 1 → 2, f2 1 → 2, and 2 more fields"


def test_values_from_the_input_stay_one_short_line() -> None:
    assert value("a\nb") == "a\\nb"
    assert len(value("x" * 500)) == 60
    assert field_phrase(FieldChange(("data", "k"), MISSING, "v")) == "data.k added (v)"
    assert field_phrase(FieldChange(("metadata", "annotations", "a/b"), "1", MISSING)) == "metadata.annotations[a/b] removed"
