from __future__ import annotations

import pytest

from kruise_render.k8s import quantity


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


@pytest.mark.parametrize("text", ["1e999999999", "1E-999999999", "1e" + "0" * 5000 + "1", "9" * 5000, "9" * 81])
def test_absurd_quantities_are_refused_not_crashed_on(text: str) -> None:
    with pytest.raises(quantity.QuantityError):
        quantity.parse(text)


@pytest.mark.parametrize("text,printed", [
    ("9" * 79 + "e3", "9" * 79 + "e3"),
    ("1234567890123456789012345678901", "1234567890123456789012345678901"),  # past 28 digits: exact
    ("0." + "0" * 500 + "1", "1n"),                                          # rounded up to nano
])
def test_large_and_tiny_quantities_print_exactly(text: str, printed: str) -> None:
    assert quantity.canonical(quantity.parse(text)) == printed


def test_quantities_at_the_bounds_still_print() -> None:
    for text in ("1e1000", "1e-1000", "9" * 80 + "e1000", "-" + "9" * 80 + "Ei"):
        assert quantity.canonical(quantity.parse(text))
