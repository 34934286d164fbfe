"""Golden cases of `kruise-render diff`: fixtures/diff/<case>/ holds base/ and head/ (the two
sides, read with --base-dir/--head-dir), optionally `args` (extra CLI arguments, one per line;
default `.`), and the expected reports: expected.txt (text), expected.md (markdown with
--details), expected.json, expected.stderr, exit-code (default 1: differences).

Regenerate after a deliberate change with `KRUISE_RENDER_REGEN=1 pytest tests/diff/golden_test.py`
and review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, case_args, run_cli

REGEN = os.environ.get("KRUISE_RENDER_REGEN") == "1"
CASES = sorted(p for p in (FIXTURES / "diff").iterdir() if (p / "base").is_dir() and (p / "head").is_dir())
FORMATS = {"expected.txt": [], "expected.md": ["--format", "markdown", "--details"], "expected.json": ["--format", "json"]}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("expected", sorted(FORMATS))
def test_diff_golden(case: Path, expected: str) -> None:
    args = case_args(case) or ["."]
    result = run_cli("diff", "--base-dir", "base", "--head-dir", "head", "--no-color", *FORMATS[expected], *args, cwd=case)
    code_file = case / "exit-code"
    if REGEN:
        if result.out or expected == "expected.txt":
            (case / expected).write_text(result.out, encoding="utf-8")
        if expected == "expected.txt":
            if result.err:
                (case / "expected.stderr").write_text(result.err, encoding="utf-8")
            if result.code != 1:
                code_file.write_text(f"{result.code}\n")
        return
    assert result.code == (int(code_file.read_text()) if code_file.exists() else 1), result.err
    if (case / expected).exists():
        assert result.out == (case / expected).read_text(encoding="utf-8")
    else:
        assert result.out == ""
    if (case / "expected.stderr").exists():
        assert result.err == (case / "expected.stderr").read_text(encoding="utf-8")
    else:
        assert result.err == ""
