"""Odd values in every place the fixtures have a plain value: each one replaced, one at a time,
by an empty string, a mapping, a list, null, a boolean, an overlong name, a regex or cron
fragment... Every render must end in output or diagnostics, never an exception (found this
way: a container named by a mapping crashed resourcesPolicy's target search).
tests/hostile_numbers_test.py does the same for numbers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kruise_render import api
from kruise_render.options import Limits, Options
from kruise_render.yaml import reader
from tests.conftest import ROOT

ODD = ['""', '"-"', '"0%"', '"*/0 * * * *"', '"' + "a" * 300 + '"', '"../x"', '"("', "{}", "[]", "null", "true", "[{}]"]
VALUE = re.compile(r"(?<=: )[A-Za-z0-9./_-][^\n#]*?(?=\s*(?:#.*)?$)", re.M)
INPUTS = sorted(p for p in (ROOT / "fixtures").rglob("*.yaml") if "expected" not in p.name and p.stat().st_size < 64_000)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(ROOT / "fixtures")))
def test_odd_values_never_crash(path: Path) -> None:
    text = path.read_text()
    for match in VALUE.finditer(text):
        for odd in ODD:
            variant = text[:match.start()] + odd + text[match.end():]
            docs, problems = reader.read_documents([reader.Source(name=path.name, text=variant)], Limits())
            api.render_documents(docs, Options(allow_lossy=True), problems)  # raises only on a bug
