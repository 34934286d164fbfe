from __future__ import annotations

import pytest

from kruise_render.diagnostics import RenderError
from kruise_render.options import Options


def test_library_callers_may_write_the_kube_version_as_on_the_command_line() -> None:
    assert Options(kube_version="1.30").kube_version == (1, 30)  # type: ignore[arg-type]
    assert Options(kube_version=(1, 29)).kube_version == (1, 29)


def test_bad_kube_version_string_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="expected a version like 1.32"):
        Options(kube_version="2.0")  # type: ignore[arg-type]
