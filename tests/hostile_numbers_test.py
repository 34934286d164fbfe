"""Absurd numbers in every place the fixtures have a number: each percentage, integer and
quantity of every fixture input replaced, one at a time, by values past int64, past float64 or
with huge exponents. Every render must end in output or diagnostics, never an exception (found
this way: reserveOrdinals ranges expanded into memory, 1e999999999 quantities, 5,000-digit
percentages and `cpu*1e400` expressions all crashed or hung)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kruise_render import api
from kruise_render.options import Limits, Options
from kruise_render.yaml import reader
from tests.conftest import ROOT

BIG = "9" * 5000
MUTATIONS = [
    (re.compile(r"(?<=[ :])\d+%"), ['"' + BIG + '%"', '"1e400%"', '"9223372036854775808%"', '"1e300%"']),
    (re.compile(r"(?<=: )\d+$", re.M), [BIG, "1e400", "99999999999999999999", "-" + BIG, "1e300"]),
    (re.compile(r"(?<=: )\"?\d+m?\"?$", re.M), ['"1e999999999"', '"' + BIG + 'm"', '"1e-999999999"', '"1Ei"']),
    (re.compile(r"(?<=: )(?:max\()?(?:cpu|memory)\*[^\n]*$", re.M), ['"cpu*1e400"', '"memory*1e300*1e300"', '"cpu/1e-400"']),
    (re.compile(r"(?<=: )\[[0-9, \"-]+\]$", re.M), ['["0-2000000000"]', '["0-' + BIG + '"]']),
]
INPUTS = sorted(p for p in (ROOT / "fixtures").rglob("*.yaml") if "expected" not in p.name and p.stat().st_size < 64_000)


def _variants(text: str):
    for pattern, replacements in MUTATIONS:
        for match in pattern.finditer(text):
            for replacement in replacements:
                yield text[:match.start()] + replacement + text[match.end():]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(ROOT / "fixtures")))
def test_absurd_numbers_never_crash(path: Path) -> None:
    text = path.read_text()
    for variant in _variants(text):
        for options in (Options(), Options(allow_lossy=True)):
            docs, problems = reader.read_documents([reader.Source(name=path.name, text=variant)], Limits())
            api.render_documents(docs, options, problems)  # raises only on a bug


def test_the_mutations_reach_every_kind_of_number() -> None:
    counts = [sum(1 for p in INPUTS for _ in pattern.finditer(p.read_text())) for pattern, _ in MUTATIONS]
    assert all(counts), counts
