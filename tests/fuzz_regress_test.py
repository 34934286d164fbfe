"""Every input a fuzz target ever crashed on (fuzz/regressions/), replayed through the same
checks as the fuzzers (fuzz/common.py), for the reader alone and for the whole pipeline;
`config-*` inputs through the configuration target's checks (fuzz/configs.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz import common, configs
from kruise_render import pipeline
from tests.conftest import ROOT

ALL = sorted((ROOT / "fuzz" / "regressions").iterdir())
CASES = [case for case in ALL if not case.name.startswith("config-")]
CONFIG_CASES = [case for case in ALL if case.name.startswith("config-")]  # the config target's (fuzz/configs.py)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("stages", [(), pipeline.STAGES], ids=["reader", "pipeline"])
def test_fuzz_regression(case: Path, stages: tuple) -> None:
    data = case.read_bytes()
    for options in common.VARIANTS:
        common.check(data, options, stages=stages)



def test_config_fuzz_regressions_and_seeds() -> None:
    """Crash inputs of the config target (none found so far) and its seeds, through its checks."""
    for data in [case.read_bytes() for case in CONFIG_CASES] + list(configs.SEEDS.values()):
        configs.check_config(data)


def test_the_fuzz_targets_import_every_module_while_atheris_instruments() -> None:
    import sys

    assert {"kruise_render.stages.sidecarset", "kruise_render.sidecarset.inject", "kruise_render.k8s.smp"} <= set(
        common.IMPORTED
    )
    assert all(name in sys.modules for name in common.IMPORTED)
