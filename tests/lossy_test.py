"""Field path patterns for selective lossiness (kruise_render/lossy.py)."""
from __future__ import annotations

import pytest

from kruise_render import lossy
from kruise_render.diagnostics import format_path


@pytest.mark.parametrize(("text", "patterns"), [
    ("spec.updateStrategy.partition", (("spec", "updateStrategy", "partition"),)),
    (" spec.a , metadata.b ,", (("spec", "a"), ("metadata", "b"))),
    ("spec.volumeClaimTemplates[*].spec", (("spec", "volumeClaimTemplates", "*", "spec"),)),
    ("spec.*.maxUnavailable", (("spec", "*", "maxUnavailable"),)),
    ("spec.template.spec.containers[0].image", (("spec", "template", "spec", "containers", "0", "image"),)),
    ("metadata.annotations['a.b/c']", (("metadata", "annotations", "a.b/c"),)),
    ("*.x", (("*", "x"),)),
    ("", ()),
])
def test_parse(text: str, patterns: tuple[tuple[str, ...], ...]) -> None:
    assert lossy.parse(text) == patterns


@pytest.mark.parametrize("text", ["maybe", "status.x", "spec..x", ".spec", "spec.[0]", "spec.a b", "spec[x]", "spec.a,yes"])
def test_what_is_no_field_path_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a field path"):
        lossy.parse(text)


@pytest.mark.parametrize("path", [
    ("spec", "updateStrategy", "rollingUpdate", "maxUnavailable"),
    ("spec", "template", "spec", "containers", 0, "image"),
    ("metadata", "annotations", "a.b/c"),
])
def test_a_path_as_messages_print_it_matches_itself(path: tuple[str | int, ...]) -> None:
    printed = format_path(path)
    assert printed is not None
    assert lossy.accepted(lossy.parse(printed), path)


def test_a_star_is_one_segment_and_matching_is_exact() -> None:
    [pattern] = lossy.parse("spec.volumeClaimTemplates[*].spec.resources")
    assert lossy.matches(pattern, ("spec", "volumeClaimTemplates", 3, "spec", "resources"))
    assert not lossy.matches(pattern, ("spec", "volumeClaimTemplates", 3, "x", "spec", "resources"))
    [parent] = lossy.parse("spec.updateStrategy")
    assert not lossy.matches(parent, ("spec", "updateStrategy", "partition"))  # a reviewer reads each loss by name
