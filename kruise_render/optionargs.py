"""Render options in every spelling, generated from the one table `options.RENDER_OPTIONS`.

- command line: `render_options` adds one click option per entry to a command, and hands the
  command a single `options: Options`;
- KRM functionConfig (`kruise-render.io/v1alpha1 KruiseRender`, or the ConfigMap kpt builds from
  `key=value` arguments): field = the long option in lowerCamelCase (`--kube-version` →
  `kubeVersion`);
- Argo CD: the long option in UPPER_SNAKE, read as `ARGOCD_ENV_KUBE_VERSION` (Application
  `plugin.env`) and `PARAM_KUBE_VERSION` (plugin parameters; they win over env entries);
- `.kruise-render.yaml` target `args:`: command-line arguments.

Every spelling becomes command-line arguments parsed by the same click parser as
`kruise-render render`, so validation, defaults and messages are the same everywhere.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import click

from kruise_render.diagnostics import RenderError
from kruise_render.options import (
    RENDER_OPTIONS,
    RENDERING,
    VALIDATE,
    Options,
    OptionSpec,
    options_from_values,
)

CONFIG_API_VERSION = "kruise-render.io/v1alpha1"
CONFIG_KIND = "KruiseRender"
ENV_PREFIXES = ("ARGOCD_ENV_", "PARAM_")  # later prefixes win
# kustomize's own exec-plugin fields: they would arrive as extra argv, which kruise-render ignores.
_KUSTOMIZE_FIELDS = ("argsOneLiner", "argsFromFile")

F = TypeVar("F", bound=Callable[..., Any])


def _param_name(spec: OptionSpec) -> str:
    return spec.attr.replace(".", "__")


def _callback(spec: OptionSpec) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or spec.parse is None or spec.is_flag:
            return value
        try:
            return spec.parse(str(value))
        except RenderError as exc:
            raise click.BadParameter(str(exc).split(": ", 1)[-1] if str(exc).startswith("--") else str(exc)) from None

    return callback


def click_option(spec: OptionSpec) -> Callable[[F], F]:
    if spec.is_flag:
        return click.option(spec.flag, _param_name(spec), is_flag=True, help=spec.help)
    return click.option(spec.flag, _param_name(spec), default=spec.default, show_default=spec.default not in (None, ""),
                        metavar=spec.metavar, callback=_callback(spec), help=spec.help)


def render_options(command_name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the render options of `command_name` (OptionSpec.commands; None: all) to a click
    command; they arrive as one `options: Options`, the others at their defaults."""
    specs = [spec for spec in RENDER_OPTIONS if command_name is None or command_name in spec.commands]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            values = {spec.attr: kwargs.pop(_param_name(spec)) for spec in specs}
            return command(options=options_from_values(values), **kwargs)

        for spec in reversed(specs):
            wrapper = click_option(spec)(wrapper)
        return wrapper

    return decorate


def normalize(args: Sequence[str]) -> list[str]:
    """An option with a `bare` meaning written without a value gets it (`--allow-lossy` →
    `--allow-lossy=true`), so that it never takes the next argument (a PATH) as its value."""
    bare = {spec.flag: spec.bare for spec in RENDER_OPTIONS if spec.bare is not None}
    out: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return out + list(args[index:])
        out.append(f"{arg}={bare[arg]}" if arg in bare else arg)
    return out


class Command(click.Command):
    """A command whose render options take their `bare` values (`normalize`) and whose help lists
    options under the table's headings (OptionSpec.section), its own options first."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, normalize(args))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        by_name = {_param_name(spec): spec.section for spec in RENDER_OPTIONS}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                sections.setdefault(by_name.get(param.name or "", "Options"), []).append(record)
        for title, records in sections.items():
            heading = f"{title} (with --validate-output)" if title == RENDERING and self.name == VALIDATE else title
            with formatter.section(heading):
                formatter.write_dl(records)


@functools.cache
def _parser() -> click.Command:
    @click.command("options", cls=Command, add_help_option=False)
    @render_options()
    def probe(options: Options) -> Options:
        return options

    return probe


def _by_field() -> dict[str, OptionSpec]:
    return {spec.field: spec for spec in RENDER_OPTIONS}


def fields() -> list[str]:
    return sorted(_by_field())


def parse_args(args: Sequence[str], where: str = "options", name: Callable[[str], str] | None = None) -> Options:
    """Render options given as command-line arguments → Options (RenderError if bad).

    `name(field)` says how messages call an option (default: its `--flag`), so a user who wrote
    `kubeVersion` or `ARGOCD_ENV_KUBE_VERSION` reads that name back.
    """
    try:
        return _parser().main(args=list(args), prog_name=where, standalone_mode=False)  # type: ignore[no-any-return]
    except click.ClickException as exc:
        message = exc.format_message()
        if name is not None:
            for field, spec in _by_field().items():
                message = message.replace(f"'{spec.flag}'", name(field))
        raise RenderError(f"{where}: {message}") from None


def _value_args(field: str, value: Any, where: str) -> list[str]:
    spec = _by_field()[field]
    if spec.is_flag:
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise RenderError(f"{where}: {field}: expected true or false, got {value!r}")
        return [spec.flag] if value else []
    if spec.bare is not None and isinstance(value, bool):  # allowLossy: true
        value = str(value).lower()
    if isinstance(value, Mapping):  # featureGates: {Name: true}
        value = ",".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in value.items())
    elif isinstance(value, list):  # excludeNamespaces: [a, b]
        value = ",".join(str(item) for item in value)
    elif isinstance(value, bool) or value is None or not isinstance(value, (str, int, float)):
        raise RenderError(f"{where}: {field}: expected a string, got {value!r}")
    return [f"{spec.flag}={value}"]


def config_args(config: Mapping[str, Any], where: str) -> list[str]:
    """The fields of a KruiseRender object or ConfigMap data → render option arguments."""
    known = _by_field()
    args: list[str] = []
    for field, value in config.items():
        if field in _KUSTOMIZE_FIELDS:
            raise RenderError(f"{where}: {field}: not read by kruise-render; write options as fields, e.g. kubeVersion: \"1.30\"")
        if field not in known:
            raise RenderError(f"{where}: unknown field {field!r}; the fields are: {', '.join(fields())}")
        if value is None or value == "":
            continue  # unset: the option's default
        args.extend(_value_args(field, value, f"{where}"))
    return args


def function_config_args(config: Any, where: str = "functionConfig") -> list[str]:
    """A KRM functionConfig: KruiseRender (fields at the top), a ConfigMap (`data`), or none."""
    if config is None:
        return []
    if not isinstance(config, Mapping):
        raise RenderError(f"{where}: expected an object, got {type(config).__name__}")
    api_version, kind = config.get("apiVersion"), config.get("kind")
    if kind == "ConfigMap" and api_version == "v1":
        data = config.get("data") or {}
        if not isinstance(data, Mapping):
            raise RenderError(f"{where}: ConfigMap data must be a mapping")
        return config_args(data, f"{where} (ConfigMap data)")
    if kind == CONFIG_KIND and api_version == CONFIG_API_VERSION:
        body = {k: v for k, v in config.items() if k not in ("apiVersion", "kind", "metadata")}
        return config_args(body, f"{where} ({CONFIG_KIND})")
    raise RenderError(f"{where}: expected {CONFIG_API_VERSION} {CONFIG_KIND} or a v1 ConfigMap, got {api_version} {kind}")


def from_function_config(config: Any, where: str = "functionConfig") -> Options:
    return parse_args(function_config_args(config, where), where, lambda field: field)


def from_env(environ: Mapping[str, str]) -> Options:
    """Argo CD plugin variables → Options; messages name the variable that was set."""
    args, sources = env_args(environ)
    return parse_args(args, "Argo CD plugin env/parameters", lambda field: sources.get(field, _by_field()[field].env))


def env_args(environ: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """Argo CD plugin variables → render option arguments (parameters win over env entries),
    and for each field the variable it came from."""
    by_env = {spec.env: spec.field for spec in RENDER_OPTIONS}
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    for prefix in ENV_PREFIXES:
        for name in sorted(environ):
            if name.startswith(prefix) and name[len(prefix):] in by_env and environ[name] != "":
                field = by_env[name[len(prefix):]]
                values[field] = environ[name]
                sources[field] = name
    args: list[str] = []
    for field in sorted(values):
        args.extend(_value_args(field, values[field], sources[field]))
    return args, sources
