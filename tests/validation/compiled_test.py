"""The compiled yes/no check agrees with jsonschema, which stays the authority for messages."""
from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kruise_render.validation import compiled, schemas
from tests.stages.validate_test import CASES, CLONESET, SIDECARSET, UNITED

_VALUES: list[Any] = [None, -1, 0, 2.0, 2.5, "x", "30%", "", True, [], {}, ["a"], {"k": "v"}]


def _engines_agree(data: dict[str, Any]) -> None:
    file_name = schemas.kind_schemas().get((str(data.get("apiVersion")), str(data.get("kind"))))
    if file_name is None:
        return
    expected = schemas.validator(file_name).is_valid(data)
    assert schemas.fast_check(file_name)(data) is expected, data


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _mutations(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every field replaced by values of every type, removed, and given an unknown sibling."""
    for path in list(_paths(data))[1:]:
        for value in _VALUES:
            mutated = copy.deepcopy(data)
            parent = mutated
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = value
            yield mutated
        mutated = copy.deepcopy(data)
        parent = mutated
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict):
            del parent[path[-1]]
            yield mutated
            parent["unknownField"] = 1
            yield mutated


@pytest.mark.parametrize("text", [CLONESET, SIDECARSET, UNITED], ids=["cloneset", "sidecarset", "united"])
def test_engines_agree_on_every_mutation(text: str) -> None:
    for mutated in _mutations(yaml.safe_load(text)):
        _engines_agree(mutated)


def test_engines_agree_on_the_invalid_corpus() -> None:
    for _, text, _ in CASES:
        for data in yaml.safe_load_all(text):
            _engines_agree(data)


def test_engines_agree_on_kruise_samples(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "kruise-samples").rglob("*.yaml")):
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except yaml.YAMLError:
            continue
        for data in documents:
            if isinstance(data, dict):
                _engines_agree(data)


def test_draft_2020_12_number_semantics() -> None:
    check = compiled.compile_schema({"type": "integer", "minimum": 0})
    assert check(2.0) and check(0) and not check(True) and not check(2.5) and not check(-1)
    schema = {"type": ["integer", "string"], "minimum": 0, "pattern": "^[0-9]+%$"}
    check = compiled.compile_schema(schema)
    for value in (3, "30%", "3", -3, None, False):
        assert check(value) is jsonschema.Draft202012Validator(schema).is_valid(value)


def test_an_unsupported_keyword_is_refused_not_ignored() -> None:
    with pytest.raises(ValueError, match="uniqueItems"):
        compiled.compile_schema({"type": "array", "uniqueItems": True})


def test_every_kind_file_compiles() -> None:
    for file_name in schemas.kind_schemas().values():
        assert callable(schemas.fast_check(file_name))
        compiled.compile_all(schemas.inlined(file_name))  # every part, not only those checked so far


def test_an_unsupported_keyword_deep_down_is_refused_when_compiled() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"uniqueItems": True}}}}}
    check = compiled.compile_schema(schema)
    assert check({"x": 1})
    with pytest.raises(ValueError, match="uniqueItems"):
        check({"a": {"b": [1]}})
    with pytest.raises(ValueError, match="uniqueItems"):
        compiled.compile_all(schema)


def test_patterns_match_as_go_regexp_does() -> None:
    # The API server matches OpenAPI `pattern` with Go's regexp, where `$` is the end of the text;
    # Python's re.search also lets `$` match before a final newline.
    schema = {"type": "string", "pattern": "^[0-9]+%$"}
    strict = schemas.go_validator_class()(schema)
    assert strict.is_valid("20%") and not strict.is_valid("20%\n")
    check = compiled.compile_schema(schema)
    assert check("20%") and not check("20%\n")


def _schema_patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _schema_patterns(value)]
    if isinstance(node, list):
        return [p for item in node for p in _schema_patterns(item)]
    return []


def test_python_re_answers_like_re2_for_every_schema_pattern_on_one_line_values() -> None:
    """What lets the compiled check leave RE2 unloaded for values without a newline."""
    import re

    from kruise_render.k8s import goregex

    patterns = sorted({p for _, schema in schemas.schema_files().items() for p in _schema_patterns(schema)})
    assert patterns
    probes = ["", "0", "5", "50%", "100%", "101%", "1.5%", "a", "a-b", "-a", "a-", "3-7", "3-", "x%", "20%\n", "20%\nx",
              "\n20%", "ab\n", "9" * 40, "0.%", "a" * 63]
    for pattern in patterns:
        for probe in probes:
            check = compiled.compile_schema({"type": "string", "pattern": pattern})
            assert check(probe) is (goregex.compile(pattern).search(probe) is not None), (pattern, probe)
            if "\n" not in probe:
                assert (re.search(pattern, probe) is None) is (goregex.compile(pattern).search(probe) is None)
