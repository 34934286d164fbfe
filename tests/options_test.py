from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import kruise_render
from kruise_render import api
from kruise_render.diagnostics import RenderError
from kruise_render.options import GATES, Options


def test_library_callers_may_write_the_kube_version_as_on_the_command_line() -> None:
    assert Options(kube_version="1.30").kube_version == (1, 30)  # type: ignore[arg-type]
    assert Options(kube_version=(1, 29)).kube_version == (1, 29)


def test_bad_kube_version_string_is_a_render_error() -> None:
    with pytest.raises(RenderError, match=r"expected a version like 1\.32"):
        Options(kube_version="2.0")  # type: ignore[arg-type]


def test_gates_lists_every_gate_a_stage_reads() -> None:
    """Gates are read as literals (`options.gate("Name")`) or through a module constant `*GATE`."""
    package = Path(kruise_render.__file__).parent
    literals = {m.group(1) for path in package.rglob("*.py") for m in re.finditer(r'\.gate\("(\w+)"', path.read_text())}
    constants = set()
    for path in sorted(p for p in package.rglob("*.py") if p.name != "__main__.py"):
        module = importlib.import_module(".".join(path.relative_to(package.parent).with_suffix("").parts))
        constants |= {v for k, v in vars(module).items() if k.endswith("GATE") and isinstance(v, str)}
    assert literals | constants == set(GATES)


def test_unknown_feature_gate_is_a_warning() -> None:
    result = api.render([], Options(feature_gates={"EnableSortSidecarContainerByname": True}))
    assert [d.format() for d in result.problems] == [
        "warning: feature gate EnableSortSidecarContainerByname changes nothing kruise-render renders (it reads "
        "EnableSortSidecarContainerByName, MaxUnavailableStatefulSet, PDBUnhealthyPodEvictionPolicy, "
        "SidecarSetPatchPodMetadataDefaultsAllowed, "
        "StatefulSetAutoDeletePVC, "
        "StatefulSetAutoResizePVCGate, StatefulSetStartOrdinal)",
        "warning: no Kubernetes objects in the input",
    ]


def test_kube_versions_older_than_kruise_supports_are_refused() -> None:
    # openkruise/kruise@v1.6.0 CHANGELOG.md: Kubernetes 1.16 and 1.17 no longer supported.
    from kruise_render.diagnostics import RenderError
    from kruise_render.options import MIN_KUBE_VERSION, parse_kube_version

    assert MIN_KUBE_VERSION == (1, 18) and parse_kube_version("1.18") == (1, 18)
    for text in ("1.3", "1.17", "1.0"):
        with pytest.raises(RenderError, match=r"older than the oldest OpenKruise v1\.9\.0 supports, 1\.18"):
            parse_kube_version(text)
    for text in ("1.٣٠", "1.30\n1", "1." + "9" * 5000):
        with pytest.raises(RenderError, match=r"expected a version like 1\.32"):
            parse_kube_version(text)
