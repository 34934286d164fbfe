"""render(render(x)) == render(x) for the outputs of the issue-6 stages (their golden outputs)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

AREAS = ("resourcedistribution", "podunavailablebudget", "advancedcronjob", "broadcastjob", "workloadspread")
OUTPUTS = sorted(p for area in AREAS for p in (FIXTURES / area).glob("*/expected.yaml"))


@pytest.mark.parametrize("expected", OUTPUTS, ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_rendering_the_output_again_changes_nothing(expected: Path) -> None:
    result = run_cli("render", str(expected))
    assert result.code == 0, result.err
    assert result.out == expected.read_text(encoding="utf-8")
