"""The command line: argument parsing only; each command is a plain function in commands/.

Exit codes: 0 ok, 1 problems in the input (or a stale check), 2 usage errors, 3 a bug in
kruise-render. Never a traceback.
"""
from __future__ import annotations

import io
import sys

import click

from kruise_render import fdio
from kruise_render.diagnostics import InternalError, RenderError, one_line
from kruise_render.optionargs import render_options
from kruise_render.options import Options

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print errors only, no warnings.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
def cli() -> None:
    """Render OpenKruise custom resources into plain native Kubernetes manifests."""


@cli.command("render")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output-dir", default=None, type=click.Path(file_okay=False),
              help="Write one file per object into DIR (replaced atomically) instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--report", is_flag=True, help="Print on stderr what happened to every input object.")
@quiet_option
@render_options
def render_command(paths: tuple[str, ...], output_dir: str | None, fmt: str, report: bool, quiet: bool,
                   options: Options) -> None:
    """Render PATHs (files, directories, - for stdin; default stdin) to native manifests."""
    from kruise_render.commands import render

    if output_dir is not None and not output_dir.strip():
        # `-o "$OUT"` with OUT unset: an empty path would resolve to the current directory and
        # replace it with the rendered files.
        raise click.BadParameter("an empty path (an unset variable?); give the directory to write",
                                 param_hint="'-o' / '--output-dir'")

    sys.exit(render.run(paths, options, output_dir=output_dir, fmt=fmt, report=report, quiet=quiet))


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@quiet_option
@render_options
def validate_command(paths: tuple[str, ...], quiet: bool, options: Options) -> None:
    """Check PATHs' Kruise objects against kruise-render's schemas; render nothing (exit 1 on errors)."""
    from kruise_render.commands import validate

    sys.exit(validate.run(paths, options, quiet=quiet))


@cli.command("fn")
@click.option("--config", "config_file", default=None, type=click.Path(dir_okay=False),
              help="kustomize legacy exec plugin mode: the KruiseRender config file (kustomize passes it as "
                   "the first argument); stdin and stdout are then plain YAML streams.")
@quiet_option
def fn_command(config_file: str | None, quiet: bool) -> None:
    """KRM function: a ResourceList on stdin, the rendered ResourceList on stdout.

    The functionConfig is a kruise-render.io/v1alpha1 KruiseRender whose fields are the render
    options in camelCase (kubeVersion, featureGates, allowLossy, ...), or a ConfigMap with the
    same keys under data (kpt fn eval ... -- kubeVersion=1.30).
    """
    from kruise_render.commands import fn

    sys.exit(fn.run(config_file, quiet, sys.stdin.buffer, sys.stdout.buffer))


@cli.command("check")
@click.option("--fix", is_flag=True, help="Rewrite stale outputs (atomically) instead of failing.")
@click.option("--config", default=None, type=click.Path(dir_okay=False, exists=True),
              help="The targets file (default: .kruise-render.yaml here or in a parent, up to the git root).")
@quiet_option
def check_command(fix: bool, config: str | None, quiet: bool) -> None:
    """Check that the rendered outputs listed in .kruise-render.yaml are current (exit 1 and a diff if not)."""
    from kruise_render.commands import check

    sys.exit(check.run(fix, quiet, config))


@cli.command("diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", "base_rev", metavar="REV",
              help="git revision to compare from (default: the merge base with origin/HEAD, main or master; else HEAD).")
@click.option("--head", "head_rev", metavar="REV", help="git revision to compare to (default: the working tree).")
@click.option("--base-dir", metavar="DIR", help="Read the base side's PATHs below DIR instead of from git.")
@click.option("--head-dir", metavar="DIR", help="Read the head side's PATHs below DIR instead of the working tree.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--details", is_flag=True, help="Add a unified YAML diff of every changed object.")
@click.option("--no-color", is_flag=True, help="No colour, even on a terminal (NO_COLOR works too).")
@quiet_option
@render_options
def diff_command(paths: tuple[str, ...], base_rev: str | None, head_rev: str | None, base_dir: str | None,
                 head_dir: str | None, fmt: str, details: bool, no_color: bool, quiet: bool, options: Options) -> None:
    """What a change does to the cluster: render PATHs (default: every .kruise-render.yaml target,
    else .) at two points and compare the rendered objects. Exit 0 no differences, 1 differences,
    2 an error (as kubectl diff)."""
    from kruise_render.commands import diff

    sys.exit(diff.run(paths, options, base=base_rev, head=head_rev, base_dir=base_dir, head_dir=head_dir,
                      fmt=fmt, details=details, no_color=no_color, quiet=quiet))


@cli.command("argocd-generate")
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


@cli.command("argocd-discover")
def argocd_discover_command() -> None:
    """Argo CD plugin discovery: print where this application (or its kustomize bases, or its
    chart's templates and subcharts) has an OpenKruise object; print nothing otherwise."""
    import os

    from kruise_render.commands import argocd

    sys.exit(argocd.run_discover(os.environ, sys.stdout.buffer))


@cli.command("explain")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@quiet_option
@render_options
def explain_command(paths: tuple[str, ...], fmt: str, quiet: bool, options: Options) -> None:
    """For each pod template in PATHs, which SidecarSets would be injected, in which order, and why
    the others would not (selector, namespace, namespaceSelector, paused, excluded namespace)."""
    from kruise_render.commands import explain

    sys.exit(explain.run(paths, options, fmt=fmt, quiet=quiet))


@cli.command("version")
def version_command() -> None:
    """Print kruise-render's version and the Kruise release it follows."""
    from kruise_render.commands import version

    sys.exit(version.run())


def main(argv: list[str] | None = None) -> int:
    try:
        with fdio.whole_stdout():
            cli.main(args=argv, prog_name="kruise-render", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("kruise-render: aborted", err=True)
        return EXIT_PROBLEMS
    except click.ClickException as exc:
        _show(exc)
        return EXIT_USAGE
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else EXIT_PROBLEMS
    except RenderError as exc:
        click.echo(f"kruise-render: {one_line(str(exc))}", err=True)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        return EXIT_PROBLEMS
    except (InternalError, Exception) as exc:
        detail = one_line(str(exc).splitlines()[0][:200]) if str(exc) else ""
        click.echo(f"kruise-render: internal error (a bug, please report it): {type(exc).__name__}: {detail}", err=True)
        return EXIT_BUG
    return EXIT_OK


def _show(exc: click.ClickException) -> None:
    """click's usage error, its message escaped: it quotes what the user typed, which may hold
    line breaks or bidi controls (one problem, one line, as every other message)."""
    buffer = io.StringIO()
    exc.show(file=buffer)
    head, marker, message = buffer.getvalue().partition("Error: ")
    click.echo(head + marker + one_line(message.rstrip("\n")), err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
