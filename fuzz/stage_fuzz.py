"""Fuzz target: Kubernetes-shaped YAML through validation and the stage(s) named in
KRUISE_FUZZ_STAGES (comma-separated; `all` = the whole pipeline), with a YAML-aware mutator.

Run: KRUISE_FUZZ_STAGES=cloneset python fuzz/stage_fuzz.py CORPUS_DIR [-max_total_time=600]
"""
from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["kruise_render", "fuzz"]):
    from fuzz import common
    from kruise_render import pipeline

_NAMES = os.environ.get("KRUISE_FUZZ_STAGES", "all")
STAGES = pipeline.STAGES if _NAMES == "all" else common.stages_named(["validate", *_NAMES.split(",")])


def test_one_input(data: bytes) -> None:
    common.guarded(lambda: common.check(data, common.options_for(data), stages=STAGES, idempotent=_NAMES == "all"))


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    return common.mutate(data, max_size, seed, atheris.Mutate)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
