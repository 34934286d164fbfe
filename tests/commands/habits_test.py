"""The habits of kubectl, helm and kustomize users: --version, completion, examples in every help,
whole summaries, per-command options, help for no arguments, no silent wait on a terminal, and
an -o that is never a format."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kruise_render import __version__, cli
from tests.conftest import ROOT, run_cli

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n"
COMMANDS = sorted(cli.cli.commands)


def test_version_option_and_command_agree() -> None:
    option, command = run_cli("--version"), run_cli("version")
    assert option.code == command.code == 0
    assert option.out == command.out == f"kruise-render {__version__} (OpenKruise v1.9.0 semantics)\n"


def test_no_arguments_prints_the_help_on_stdout_and_exits_0() -> None:
    run = run_cli()
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith("Usage: kruise-render [OPTIONS] [COMMAND] [ARGS]...\n")
    assert run.out == run_cli("--help").out


def test_every_summary_is_whole_and_in_the_order_a_user_needs_them() -> None:
    out = run_cli("--help", env={"COLUMNS": "80"}).out
    listed = re.findall(r"^  ([a-z-]+) +(\S.*)$", out.split("Commands:\n", 1)[1].split("\n\n", 1)[0], re.M)
    assert [name for name, _ in listed] == list(cli.ORDER)
    assert sorted(cli.ORDER) == COMMANDS
    for name, summary in listed:
        assert summary == cli.cli.commands[name].short_help and summary.endswith(".") and "..." not in summary, name


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples_in_its_help(command: str) -> None:
    run = run_cli(command, "--help")
    assert run.code == 0
    examples = run.out.split("Examples:\n", 1)[1].splitlines()
    assert examples and all("kruise-render" in line for line in examples if line.strip()), run.out


def _options(command: str) -> set[str]:
    return set(re.findall(r"^  (?:-\w, )?(--[a-z-]+)", run_cli(command, "--help").out, re.M))


def test_render_only_options_are_on_render_only() -> None:
    render, explain, validate, diff = (_options(c) for c in ("render", "explain", "validate", "diff"))
    assert {"--timestamp", "--keep-unrenderable", "--validate-output", "--strict", "--allow-lossy",
            "--output-dir", "--diagnostics-format"} <= render
    assert not {"--timestamp", "--keep-unrenderable", "--validate-output", "--strict", "--output-dir"} & explain
    assert "--timestamp" not in validate and {"--strict", "--skip-non-kubernetes", "--validate-output"} <= validate
    assert "--strict" not in diff and "--timestamp" in diff
    refused = run_cli("explain", "--timestamp", "2024-01-02T03:04:05Z", "-")
    assert refused.code == 2 and "No such option '--timestamp'" in refused.err


def test_validate_lists_the_render_options_as_those_of_validate_output() -> None:
    out = run_cli("validate", "--help").out
    section = out.split("Render options (with --validate-output):\n", 1)[1].split("\n\n", 1)[0]
    assert "--kube-version" in section and "--allow-lossy" in section and "--strict" not in section


def test_completion_scripts_for_bash_zsh_and_fish() -> None:
    for shell, start in (("bash", "_kruise_render_completion() {"), ("zsh", "#compdef kruise-render"),
                         ("fish", "function _kruise_render_completion;")):
        run = run_cli("completion", shell)
        assert run.code == 0 and run.out.startswith(start) and "_KRUISE_RENDER_COMPLETE" in run.out, shell
    assert run_cli("completion", "powershell").code == 2


def test_bash_completes_a_command_and_an_option_value(tmp_path: Path) -> None:
    bash = "/bin/bash"
    if not os.access(bash, os.X_OK):
        pytest.skip("bash is not installed")
    shim = tmp_path / "kruise-render"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kruise_render "$@"\n')
    shim.chmod(0o755)
    script = run_cli("completion", "bash").out
    (tmp_path / "completion.bash").write_text(script)
    probe = ('source completion.bash\n'
             'COMP_WORDS=(kruise-render re); COMP_CWORD=1; _kruise_render_completion kruise-render\n'
             'echo "commands: ${COMPREPLY[*]}"; COMPREPLY=()\n'
             'COMP_WORDS=(kruise-render render --diagnostics-format s); COMP_CWORD=3; _kruise_render_completion kruise-render\n'
             'echo "formats: ${COMPREPLY[*]}"\n')
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run([bash, "--norc", "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.stdout.splitlines() == ["commands: render", "formats: sarif"], run.stderr


@pytest.mark.parametrize("command", ["render", "validate", "explain"])
def test_no_path_on_a_terminal_is_a_usage_error_not_a_silent_wait(command: str) -> None:
    leader, follower = pty.openpty()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        run = subprocess.run([sys.executable, "-m", "kruise_render", command], stdin=follower, capture_output=True,
                             text=True, env=env, timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert run.returncode == 2 and run.stdout == ""
    assert "no PATH given and stdin is a terminal" in run.stderr and "kruise-render render -" in run.stderr


@pytest.mark.parametrize("value", ["json", "yaml", "YAML", "name", "wide", "jsonpath={.items}", "-"])
def test_output_dir_refuses_what_kubectl_users_mean_as_a_format(tmp_path: Path, value: str) -> None:
    run = run_cli("render", "-o", value, "-", cwd=tmp_path, stdin=CONFIGMAP)
    assert run.code == 2 and run.out == ""
    hint = "leave out -o to write to stdout" if value == "-" else "--format"
    assert hint in run.err
    assert list(tmp_path.iterdir()) == []


def test_output_dir_of_that_name_when_written_as_a_path_and_one_summary_line(tmp_path: Path) -> None:
    run = run_cli("render", "-o", "./json", "-", cwd=tmp_path, stdin=CONFIGMAP)
    assert run.code == 0 and run.out == ""
    assert run.err == "wrote 2 files to ./json/\n"
    assert sorted(p.name for p in (tmp_path / "json").iterdir()) == ["configmap-a.yaml", "service-b.yaml"]
    quiet = run_cli("render", "-q", "-o", "out/", "-", cwd=tmp_path, stdin=CONFIGMAP)
    assert (quiet.code, quiet.err) == (0, "")
    assert run_cli("render", "--output-dir", "one", "-", cwd=tmp_path, stdin=CONFIGMAP.split("---")[0]).err == (
        "wrote 1 file to one/\n")


def test_kubectls_long_output_option_says_what_to_use_instead(tmp_path: Path) -> None:
    """Without it, click would suggest --output-dir, which takes a directory, not a format."""
    run = run_cli("render", "--output", "json", "-", cwd=tmp_path, stdin=CONFIGMAP)
    assert run.code == 2 and run.out == "" and list(tmp_path.iterdir()) == []
    assert "--output is kubectl's output format" in run.err and "--format json" in run.err
    assert "--output " not in run_cli("render", "--help").out  # not offered, only explained
