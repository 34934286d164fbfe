"""The workload goldens' outputs pass Kubernetes' own OpenAPI schemas for their --kube-version."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, case_args

CASES = sorted(path.parent for path in (FIXTURES / "workloads").glob("*/expected.yaml"))


def _kube_version(case: Path) -> str:
    args = case_args(case)
    if "--kube-version" in args:
        return args[args.index("--kube-version") + 1] + ".0"
    return "1.32.0"  # options.DEFAULT_KUBE_VERSION


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden_output_passes_kubernetes_schemas(case: Path) -> None:
    validate = pytest.importorskip("kubernetes_validate")
    for obj in yaml.safe_load_all((case / "expected.yaml").read_text()):
        assert obj["apiVersion"] in ("apps/v1",), obj["apiVersion"]
        validate.validate(obj, _kube_version(case), strict=True)
