"""yamlio's guards: the cheap depth bound must never let a deep document through unchecked."""
from __future__ import annotations

import pytest

from kruise_render import yamlio
from kruise_render.options import Limits


def _chain(kinds: str) -> str:
    """Block YAML for a chain of mappings (m) and sequences (s) with the least indentation YAML
    allows: a sequence under a key stays in the key's column, everything else moves one right."""
    lines, column = [], 0
    for i, kind in enumerate(kinds):
        last = i == len(kinds) - 1
        if kind == "m":
            lines.append(" " * column + "k:" + (" x" if last else ""))
            column += 0 if not last and kinds[i + 1] == "s" else 1
        else:
            lines.append(" " * column + "-" + (" x" if last else ""))
            column += 1
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("pattern", ["ms", "m", "mss", "msm", "s"])
@pytest.mark.parametrize("depth", [199, 200, 201, 202, 260])
def test_depth_limit_is_exact_for_the_tightest_indentation(pattern: str, depth: int) -> None:
    kinds = "m" + "".join(pattern[i % len(pattern)] for i in range(1, depth))
    text = _chain(kinds)
    if depth <= 200:
        yamlio.load(text, Limits())
    else:
        with pytest.raises(yamlio.YamlProblem, match="nesting deeper than 200 levels"):
            yamlio.load(text, Limits())


def test_compact_and_flow_nesting_add_up() -> None:
    text = "a:\n" + "- " * 150 + "[" * 60 + "]" * 60 + "\n"
    with pytest.raises(yamlio.YamlProblem, match="nesting deeper"):
        yamlio.load(text, Limits())
    yamlio.load(text, Limits(max_depth=212))


def test_ordinary_manifests_skip_the_exact_check() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: '[{}]'\n"
    assert not yamlio._may_be_deep(text, Limits())


def test_nan_and_infinity_are_refused_like_in_json_input():
    from kruise_render import yamlio
    from kruise_render.options import Limits

    for text in ("a: .nan\n", "a: [1, -.inf]\n", "a: .Inf\n"):
        try:
            yamlio.load(text, Limits())
        except yamlio.YamlProblem as problem:
            assert "is not a number Kubernetes accepts" in problem.message and problem.line == 0
        else:
            raise AssertionError(f"{text!r} was accepted")
    assert yamlio.load("a: 1.5\nb: '.nan'\n", Limits()) == {"a": 1.5, "b": ".nan"}
