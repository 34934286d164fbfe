"""Every input a fuzz target ever crashed on (fuzz/regressions/), replayed through the same
checks as the fuzzers (fuzz/common.py), for the reader alone and for the whole pipeline.

fuzz/pending/ holds crashes found in stages of branches not yet merged when they were found
(named after the stage): replayed as non-strict xfail, so that a merge shows them; once one
passes (XPASS), move it to fuzz/regressions/."""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz import common
from kruise_render import pipeline
from tests.conftest import ROOT

CASES = sorted((ROOT / "fuzz" / "regressions").iterdir())
PENDING = sorted((ROOT / "fuzz" / "pending").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("stages", [(), pipeline.STAGES], ids=["reader", "pipeline"])
def test_fuzz_regression(case: Path, stages: tuple) -> None:
    data = case.read_bytes()
    for options in common.VARIANTS:
        common.check(data, options, stages=stages)


@pytest.mark.xfail(reason="crash found by fuzzing a stage still under way on its branch", strict=False)
@pytest.mark.parametrize("case", PENDING, ids=lambda p: p.name)
def test_pending_fuzz_crash(case: Path) -> None:
    data = case.read_bytes()
    for options in common.VARIANTS:
        common.check(data, options)
