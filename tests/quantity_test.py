from __future__ import annotations

import pytest

from kruise_render import quantity


@pytest.mark.parametrize("text, canonical", [
    ("0.5", "500m"), ("1000m", "1"), ("2000", "2k"), ("1500", "1500"), ("1.5", "1500m"), ("1Gi", "1Gi"),
    ("1536Mi", "1536Mi"), ("1.5Gi", "1536Mi"), ("1024", "1024"), ("1e3", "1e3"), ("0", "0"), ("100u", "100u"),
])
def test_canonical_form_is_what_go_prints(text: str, canonical: str) -> None:
    assert quantity.canonical(quantity.parse(text)) == canonical


def test_defaulting_rounds_up_to_milli() -> None:
    assert quantity.milli_rounded("0.0001") == "1m"
    assert quantity.milli_rounded("123456789n") == "124m"


def test_bad_suffix_is_an_error() -> None:
    with pytest.raises(quantity.QuantityError):
        quantity.parse("12parsecs")
