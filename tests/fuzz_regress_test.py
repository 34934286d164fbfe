"""Every input a fuzz target ever crashed on (fuzz/regressions/), replayed through the same
checks as the fuzzers (fuzz/common.py), for the reader alone and for the whole pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz import common
from kruise_render import pipeline
from tests.conftest import ROOT

CASES = sorted((ROOT / "fuzz" / "regressions").iterdir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("stages", [(), pipeline.STAGES], ids=["reader", "pipeline"])
def test_fuzz_regression(case: Path, stages: tuple) -> None:
    data = case.read_bytes()
    for options in common.VARIANTS:
        common.check(data, options, stages=stages)

