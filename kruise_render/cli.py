"""The command line: argument parsing only; each command is a plain function in commands/.

Exit codes: 0 ok, 1 problems in the input (or a stale check), 2 usage errors (and a missing
optional dependency), 3 a bug in kruise-render. Never a traceback.

Habits kept from kubectl, helm and kustomize: `--version` and `version`, `completion SHELL`, an
Examples section in every command's help, `kruise-render` alone prints the help on stdout and
exits 0, and a command that reads stdin by default refuses to wait on a terminal.
"""
from __future__ import annotations

import io
import sys
from typing import Any

import click

from kruise_render import exits
from kruise_render.diagnostics import one_line
from kruise_render.optionargs import Command, render_options
from kruise_render.options import DIFF, EXPLAIN, RENDER, VALIDATE, Options

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = exits.OK, exits.PROBLEMS, exits.USAGE, exits.BUG
PROG = "kruise-render"
DIAGNOSTICS_FORMATS = ("text", "json", "github", "sarif")
# What kubectl users type after -o: an output format, never the directory -o/--output-dir means here.
_FORMAT_WORDS = ("json", "yaml", "yml", "name", "wide", "-")
_FORMAT_PREFIXES = ("jsonpath", "go-template", "custom-columns", "template")


# The order of `kruise-render --help`: what a user runs by hand first, the integrations' steps after.
ORDER = ("render", "validate", "explain", "diff", "check", "fn", "argocd-generate", "argocd-discover", "completion",
         "version")


class Group(click.Group):
    """The commands in the order a user needs them, each summary whole (click cuts them at 45
    characters by default; each `short_help` fits an 80-column terminal)."""

    command_class = Command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.commands[name].get_short_help_str(limit=10_000)) for name in self.list_commands(ctx)
                if not self.commands[name].hidden]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def examples(*lines: str) -> str:
    """An Examples section for a command's help, kept as written (click's `\\b`)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from kruise_render.commands import version

        ctx.exit(version.run())


quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print errors only, no warnings.")
diagnostics_option = click.option(
    "--diagnostics-format", "diagnostics", type=click.Choice(DIAGNOSTICS_FORMATS), default="text", show_default=True,
    help="How problems are printed on stderr: text lines, JSON lines, GitHub Actions workflow commands, or one "
         "SARIF 2.1.0 log (codes: docs/diagnostics.md).")


def _stdin_paths(paths: tuple[str, ...]) -> tuple[str, ...]:
    """No PATH means stdin; on a terminal that would wait silently for input never coming."""
    if not paths and sys.stdin.isatty():
        raise click.UsageError("no PATH given and stdin is a terminal: give files or directories, or pipe into it "
                               "with - for stdin (helm template . | kruise-render render -)")
    return paths


def _output_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """-o is a directory here; kubectl's `-o json` would silently make a directory `json/`."""
    if value is None:
        return None
    if not value.strip():
        # `-o "$OUT"` with OUT unset: an empty path would resolve to the current directory and
        # replace it with the rendered files.
        raise click.BadParameter("an empty path (an unset variable?); give the directory to write", ctx, param)
    word = value.strip().lower()
    if word == "-":
        raise click.BadParameter("'-' is not a directory: leave out -o to write to stdout", ctx, param)
    if word in _FORMAT_WORDS or word.startswith(_FORMAT_PREFIXES):
        fmt = "json" if word.startswith("json") else "yaml"
        raise click.BadParameter(f"{value!r} looks like an output format, but -o/--output-dir takes a directory: use "
                                 f"--format {fmt} (stdout), or -o ./{value} for a directory of that name", ctx, param)
    return value


def _kubectl_output(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """kubectl's `--output FORMAT`: without it click would suggest --output-dir, which is not a format."""
    if value is not None:
        raise click.UsageError("--output is kubectl's output format; here the manifests go to stdout as YAML, or "
                               "--format json; -o/--output-dir DIR writes one file per object into DIR")


@click.group(cls=Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=examples("kruise-render render k8s/ > rendered.yaml",
                             "helm template my-chart | kruise-render render -",
                             "kruise-render validate --strict k8s/",
                             "kruise-render explain k8s/",
                             "kruise-render completion bash > /etc/bash_completion.d/kruise-render"))
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Print the version and exit.")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Render OpenKruise custom resources into plain native Kubernetes manifests."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(EXIT_OK)


@cli.command("render", short_help="Render Kruise objects in PATHs to native manifests.",
             epilog=examples("kruise-render render k8s/ > rendered.yaml",
                             "kruise-render render -o rendered/ k8s/",
                             "cat app.yaml | kruise-render render --allow-lossy=spec.scaleStrategy.maxUnavailable -",
                             "kubectl kustomize overlays/prod | kruise-render render --strict -",
                             "kruise-render render --diagnostics-format github k8s/"))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output-dir", default=None, type=click.Path(file_okay=False), callback=_output_dir, metavar="DIR",
              help="Write one file per object into DIR (replaced atomically) instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True,
              help="Output format of the manifests.")
@click.option("--output", hidden=True, expose_value=False, callback=_kubectl_output, metavar="FORMAT")
@click.option("--report", is_flag=True, help="Print on stderr what happened to every input object.")
@quiet_option
@diagnostics_option
@render_options(RENDER)
def render_command(paths: tuple[str, ...], output_dir: str | None, fmt: str, report: bool, quiet: bool,
                   diagnostics: str, options: Options) -> None:
    """Render PATHs (files, directories, - for stdin; default stdin) to native manifests.

    Everything or nothing: with any error, nothing is written (stdout or -o DIR) and the exit code is 1.
    """
    from kruise_render.commands import render

    if report and diagnostics != "text":
        raise click.UsageError("--report prints text lines on stderr: use it with --diagnostics-format text")
    sys.exit(render.run(_stdin_paths(paths), options, output_dir=output_dir, fmt=fmt, report=report, quiet=quiet,
                        diagnostics=diagnostics))


@cli.command("validate", short_help="Check PATHs against Kruise's schemas; render nothing.",
             epilog=examples("kruise-render validate k8s/",
                             "kruise-render validate --strict --expect-rendered rendered.yaml",
                             "kruise-render validate --validate-output --kube-version 1.30 k8s/",
                             "kruise-render validate --diagnostics-format sarif k8s/ 2> kruise-render.sarif"))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--skip-non-kubernetes", "skip_foreign", is_flag=True,
              help="Pass over documents without apiVersion and kind (docker-compose.yml, package.json, ...) and "
                   "unrendered Helm templates, with one note per run (the pre-commit hook sets it).")
@quiet_option
@diagnostics_option
@render_options(VALIDATE)
def validate_command(paths: tuple[str, ...], skip_foreign: bool, quiet: bool, diagnostics: str, options: Options) -> None:
    """Check PATHs' Kruise objects against kruise-render's schemas; render nothing (exit 1 on errors).

    With --validate-output the inputs are also rendered, with the render options, and every output
    object is checked against Kubernetes' schemas for --kube-version.
    """
    from kruise_render.commands import validate

    sys.exit(validate.run(_stdin_paths(paths), options, quiet=quiet, diagnostics=diagnostics, skip_foreign=skip_foreign))


@cli.command("fn", short_help="KRM function: a ResourceList in, the rendered one out.",
             epilog=examples("kpt fn eval app/ --exec kustomize-plugin/kruise-render-fn -- kubeVersion=1.30 strict=true",
                             "kruise-render fn < resource-list.yaml",
                             "kruise-render fn --config kruise-render.yaml < manifests.yaml   # kustomize exec plugin"))
@click.option("--config", "config_file", default=None, type=click.Path(dir_okay=False),
              help="kustomize legacy exec plugin mode: the KruiseRender config file (kustomize passes it as "
                   "the first argument); stdin and stdout are then plain YAML streams.")
@quiet_option
def fn_command(config_file: str | None, quiet: bool) -> None:
    """KRM function: a ResourceList on stdin, the rendered ResourceList on stdout.

    The functionConfig is a kruise-render.io/v1alpha1 KruiseRender whose fields are the render
    options in camelCase (kubeVersion, featureGates, allowLossy, strict, ...), or a ConfigMap with
    the same keys under data (kpt fn eval ... -- kubeVersion=1.30).
    """
    from kruise_render.commands import fn

    sys.exit(fn.run(config_file, quiet, sys.stdin.buffer, sys.stdout.buffer))


@cli.command("check", short_help="Check that .kruise-render.yaml's outputs are current.",
             epilog=examples("kruise-render check",
                             "kruise-render check --fix",
                             "kruise-render check --strict --diagnostics-format github"))
@click.option("--fix", is_flag=True, help="Rewrite stale outputs (atomically) instead of failing.")
@click.option("--config", default=None, type=click.Path(dir_okay=False, exists=True),
              help="The targets file (default: .kruise-render.yaml here or in a parent, up to the git root).")
@click.option("--strict", is_flag=True, help="Warnings of any target's render are errors (exit 1).")
@quiet_option
@diagnostics_option
def check_command(fix: bool, config: str | None, strict: bool, quiet: bool, diagnostics: str) -> None:
    """Check that the rendered outputs listed in .kruise-render.yaml are current (exit 1 and a diff if not).

    The pre-commit hook kruise-render-check runs it; give the hook `args: [--fix]` to have it
    rewrite stale outputs instead (then commit them).
    """
    from kruise_render.commands import check

    sys.exit(check.run(fix, quiet, config, strict=strict, diagnostics=diagnostics))


@cli.command("diff", short_help="Render PATHs at two points; say what the change does.",
             epilog=examples("kruise-render diff",
                             "kruise-render diff --base HEAD~1 apps/",
                             "kruise-render diff --base-dir old/ --head-dir new/ app.yaml",
                             "kruise-render diff --format markdown > comment.md"))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", "base_rev", metavar="REV",
              help="git revision to compare from (default: the merge base with origin/HEAD, main or master; else HEAD).")
@click.option("--head", "head_rev", metavar="REV", help="git revision to compare to (default: the working tree).")
@click.option("--base-dir", metavar="DIR", help="Read the base side's PATHs below DIR instead of from git.")
@click.option("--head-dir", metavar="DIR", help="Read the head side's PATHs below DIR instead of the working tree.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="Report format.")
@click.option("--details", is_flag=True, help="Add a unified YAML diff of every changed object.")
@click.option("--no-color", is_flag=True, help="No colour, even on a terminal (NO_COLOR works too).")
@quiet_option
@render_options(DIFF)
def diff_command(paths: tuple[str, ...], base_rev: str | None, head_rev: str | None, base_dir: str | None,
                 head_dir: str | None, fmt: str, details: bool, no_color: bool, quiet: bool, options: Options) -> None:
    """What a change does to the cluster: render PATHs (default: every .kruise-render.yaml target,
    else .) at two points and compare the rendered objects. Exit 0 no differences, 1 differences,
    2 an error (as kubectl diff)."""
    from kruise_render.commands import diff

    sys.exit(diff.run(paths, options, base=base_rev, head=head_rev, base_dir=base_dir, head_dir=head_dir,
                      fmt=fmt, details=details, no_color=no_color, quiet=quiet))


@cli.command("explain", short_help="Which SidecarSets each pod template gets, and why.",
             epilog=examples("kruise-render explain k8s/",
                             "kruise-render explain --format json k8s/ | jq '.podTemplates[].injectionOrder'"))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
@quiet_option
@render_options(EXPLAIN)
def explain_command(paths: tuple[str, ...], fmt: str, quiet: bool, options: Options) -> None:
    """For each pod template in PATHs, which SidecarSets would be injected, in which order, and why
    the others would not (selector, namespace, namespaceSelector, paused, excluded namespace)."""
    from kruise_render.commands import explain

    sys.exit(explain.run(_stdin_paths(paths), options, fmt=fmt, quiet=quiet))


@cli.command("argocd-generate", short_help="Argo CD plugin: build and render the application here.",
             epilog=examples("ARGOCD_ENV_KUBE_VERSION=1.30 kruise-render argocd-generate",
                             "kruise-render argocd-generate rendered/app.yaml"))
@click.argument("paths", nargs=-1, type=click.Path())
@quiet_option
def argocd_generate_command(paths: tuple[str, ...], quiet: bool) -> None:
    """Argo CD plugin step: build the application here (kustomize, Helm chart or plain manifests) and
    render it, with options from ARGOCD_ENV_* / PARAM_*; or render PATHs (- for stdin) as given.

    Refuses an input without objects, so that a broken source never syncs as an empty app.
    """
    import os

    from kruise_render.commands import argocd

    sys.exit(argocd.run(paths, os.environ, quiet, sys.stdin.buffer, sys.stdout.buffer))


@cli.command("argocd-discover", short_help="Argo CD plugin: say whether this app has Kruise objects.",
             epilog=examples("kruise-render argocd-discover"))
def argocd_discover_command() -> None:
    """Argo CD plugin discovery: print where this application (or its kustomize bases, or its
    chart's templates and subcharts) has an OpenKruise object; print nothing otherwise."""
    import os

    from kruise_render.commands import argocd

    sys.exit(argocd.run_discover(os.environ, sys.stdout.buffer))


@cli.command("completion", short_help="Print a bash, zsh or fish completion script.",
             epilog=examples("source <(kruise-render completion bash)            # bash, this shell",
                             "kruise-render completion zsh > \"${fpath[1]}/_kruise-render\"",
                             "kruise-render completion fish > ~/.config/fish/completions/kruise-render.fish"))
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_command(shell: str) -> None:
    """Print the shell completion script for SHELL (commands, options and their choices)."""
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None  # the three choices are click's own
    script: Any = completion(cli, {}, PROG, "_KRUISE_RENDER_COMPLETE").source()
    click.echo(script)


@cli.command("version", short_help="Print the version and the Kruise release followed.",
             epilog=examples("kruise-render version", "kruise-render --version"))
def version_command() -> None:
    """Print kruise-render's version and the Kruise release it follows."""
    from kruise_render.commands import version

    sys.exit(version.run())


def main(argv: list[str] | None = None) -> int:
    """The click command line (launch.py sends here everything but a plain render)."""
    def run() -> int:
        try:
            cli.main(args=argv, prog_name=PROG, standalone_mode=False)
        except click.exceptions.Exit as exc:
            return int(exc.exit_code)
        except click.exceptions.Abort:
            exits.say("kruise-render: aborted")
            return EXIT_PROBLEMS
        except click.ClickException as exc:
            _show(exc)
            return EXIT_USAGE
        return EXIT_OK

    return exits.guarded(run)


def _show(exc: click.ClickException) -> None:
    """click's usage error, its message escaped: it quotes what the user typed, which may hold
    line breaks or bidi controls (one problem, one line, as every other message)."""
    buffer = io.StringIO()
    exc.show(file=buffer)
    head, marker, message = buffer.getvalue().partition("Error: ")
    click.echo(head + marker + one_line(message.rstrip("\n")), err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
