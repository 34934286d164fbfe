"""Fuzz target: option parsing from everything an adversary can write (a KRM functionConfig,
`.kruise-render.yaml`, Argo CD plugin variables) and the `--nodes` file (fuzz/configs.py).

Run: python fuzz/config_fuzz.py CORPUS_DIR [-max_total_time=600]  (fuzz/run.py does it all)
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["kruise_render", "fuzz"]):
    from fuzz import common, configs


def test_one_input(data: bytes) -> None:
    common.guarded(lambda: configs.check_config(data))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
