"""Fuzz target: bytes → reader (split, libyaml, JSON, limits) → writer, no stage.

Run: python fuzz/reader_fuzz.py CORPUS_DIR [-max_total_time=600]  (fuzz/run.py does it all)
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["kruise_render", "fuzz"]):
    from fuzz import common


def test_one_input(data: bytes) -> None:
    common.guarded(lambda: common.check(data, common.options_for(data), stages=()))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
