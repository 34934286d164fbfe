"""Golden cases: fixtures/<area>/<case>/ holds input.yaml (or input/), expected.yaml or
expected.stderr, and optionally `args` (extra CLI arguments, one per line) and `exit-code`.

A new case is a new folder. Regenerate after a deliberate change with
`KRUISE_RENDER_REGEN=1 pytest tests/golden_test.py` and review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, case_args, run_cli

REGEN = os.environ.get("KRUISE_RENDER_REGEN") == "1"


def _cases() -> list[Path]:
    found = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_dir() and ((path / "input.yaml").exists() or (path / "input").is_dir()):
            found.append(path)
    return found


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_golden(case: Path) -> None:
    source = case / "input.yaml" if (case / "input.yaml").exists() else case / "input"
    result = run_cli("render", *case_args(case), str(source.relative_to(case)), cwd=case)
    code_file = case / "exit-code"
    expected_code = int(code_file.read_text().strip()) if code_file.exists() else 0
    if REGEN:
        if result.code == 0:
            (case / "expected.yaml").write_bytes(result.stdout_bytes)
        if result.err or (case / "expected.stderr").exists():
            (case / "expected.stderr").write_text(result.err)
        if result.code != 0:
            code_file.write_text(f"{result.code}\n")
        return
    assert result.code == expected_code, result.err
    if (case / "expected.yaml").exists():
        assert result.out == (case / "expected.yaml").read_text(encoding="utf-8")
    if (case / "expected.stderr").exists():
        assert result.err == (case / "expected.stderr").read_text(encoding="utf-8")
