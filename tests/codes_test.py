"""The message codes (kruise_render/codes.py): each documented in docs/diagnostics.md, each used,
and every problem a run emits carries one."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kruise_render import CODES, api, codes
from kruise_render.diagnostics import Problem
from tests.conftest import FIXTURES, ROOT, case_args
from tools.gen_diagnostics_doc import codes_markdown

DOC = ROOT / "docs" / "diagnostics.md"


def test_the_page_lists_exactly_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text.split("<!-- codes:begin -->\n", 1)[1].split("<!-- codes:end -->", 1)[0]
    assert generated == codes_markdown(), "run tools/gen_diagnostics_doc.py and paste its output into docs/diagnostics.md"
    documented = set(re.findall(r"^### (KR\d{3}):", text, re.M))
    assert documented == set(CODES)


def test_codes_are_kr_and_three_digits_and_every_one_is_given_somewhere() -> None:
    assert all(re.fullmatch(r"KR\d{3}", code) for code in CODES)
    names = {name: value for name, value in vars(codes).items() if isinstance(value, str) and value in CODES}
    assert set(names.values()) == set(CODES)
    source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "kruise_render").rglob("*.py")
                       if path.name != "codes.py")
    generic = {codes.default(True), codes.default(False)}  # given by Context.report
    unused = sorted(name for name, code in names.items() if f"codes.{name}" not in source and code not in generic)
    assert unused == []


def _cases() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*")
                  if path.is_dir() and ((path / "input.yaml").exists() or (path / "input").is_dir()))


def _problems_of(case: Path) -> list[Problem]:
    cwd = os.getcwd()
    os.chdir(case)
    try:
        options = api.options_from_args(case_args(case))
        source = "input.yaml" if (case / "input.yaml").exists() else "input"
        found = list(api.render_paths([source], options).problems)
        found += api.validate_paths([source], options).problems
        found += api.explain([source], options).problems
        return found
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_problem_of_the_golden_runs_has_a_code(case: Path) -> None:
    assert [p.format() for p in _problems_of(case) if p.code not in CODES] == []


def test_the_specific_codes_reach_the_golden_runs() -> None:
    """Not only the generic KR204/KR205: the goldens exercise the kinds of message they are about."""
    seen = {p.code for case in _cases() for p in _problems_of(case)}
    assert {codes.SCHEMA, codes.NOT_EXPRESSIBLE, codes.CONTROLLER_ONLY, codes.UNKNOWN_KIND, codes.RUNTIME_ONLY,
            codes.REJECTED, codes.RENDER_NOTE, codes.NODES} <= seen
