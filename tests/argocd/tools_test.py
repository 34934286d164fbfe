from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kruise_render.argocd import tools
from kruise_render.diagnostics import RenderError


def test_the_child_environment_has_the_sidecars_tool_settings_only() -> None:
    environ = {
        "PATH": "/bin", "HOME": "/home/argocd", "KUSTOMIZE_PLUGIN_HOME": "/plugins", "HELM_CACHE_HOME": "/c",
        "ARGOCD_ENV_KUSTOMIZE_PLUGIN_HOME": "/repo/evil", "PARAM_HELM_PLUGINS": "/repo/evil",
        "ARGOCD_APP_PARAMETERS": "[]", "ARGOCD_APP_NAME": "shop", "AWS_SECRET_ACCESS_KEY": "s", "GIT_ASKPASS": "x",
        "LD_PRELOAD": "/repo/evil.so", "BASH_ENV": "/repo/evil.sh",
    }
    assert tools.environment(environ) == {
        "PATH": "/bin", "HOME": "/home/argocd", "KUSTOMIZE_PLUGIN_HOME": "/plugins", "HELM_CACHE_HOME": "/c"}


def test_stdout_is_returned_stdin_is_empty_and_stderr_passes_through(tmp_path: Path,
                                                                     capfd: pytest.CaptureFixture[str]) -> None:
    script = "import sys; sys.stderr.write('Error: from the tool\\n'); sys.stdout.write(repr(sys.stdin.read()))"
    out = tools.run([sys.executable, "-c", script], str(tmp_path), {"PATH": "/bin"}, 100)
    assert out == b"''"
    assert capfd.readouterr().err == "Error: from the tool\n"


def test_a_failing_tool_is_an_error_naming_it_and_its_exit_code(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"^python\S* -c failed \(exit 3\); its messages are above$"):
        tools.run([sys.executable, "-c", "raise SystemExit(3)"], str(tmp_path), {}, 100)


def test_output_past_the_limit_stops_the_tool(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="wrote more than 1000 bytes"):
        tools.run([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x' * 4096)"], str(tmp_path), {}, 1000)


def test_a_missing_tool_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="cannot run no-such-tool"):
        tools.run([str(tmp_path / "no-such-tool")], str(tmp_path), {}, 100)
