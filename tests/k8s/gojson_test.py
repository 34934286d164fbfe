from __future__ import annotations

import pytest

from kruise_render.k8s import gojson


def test_keys_are_sorted_and_output_compact() -> None:
    assert gojson.dumps({"b": [1, True, None], "a": {"d": "x", "c": 2}}) == '{"a":{"c":2,"d":"x"},"b":[1,true,null]}'


def test_html_characters_and_line_separators_are_escaped_as_go_does() -> None:
    assert gojson.dumps("<a&b>\u2028") == '"\\u003ca\\u0026b\\u003e\\u2028"'


def test_non_ascii_stays_utf8_and_control_characters_are_escaped() -> None:
    assert gojson.dumps("é\n\x01") == '"é\\n\\u0001"'


def test_floats_follow_go_formatting() -> None:
    # encoding/json floatEncoder: 'f' format in [1e-6, 1e21), else 'e' with `e-07` tidied to `e-7`.
    assert gojson.dumps([1.0, 0.5, 1e-5, 1e-7, 1e21, -0.0]) == "[1,0.5,0.00001,1e-7,1e+21,-0]"


def test_non_finite_floats_are_unsupported_as_in_go() -> None:
    with pytest.raises(ValueError, match="unsupported value: NaN"):
        gojson.dumps({"a": float("nan")})


def test_marshal_keeps_struct_field_order_and_raw_numbers() -> None:
    assert gojson.marshal({"name": "x", "image": "y", "n": gojson.RawNumber("1.50")}) == '{"name":"x","image":"y","n":1.50}'
