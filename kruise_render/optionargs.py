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
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import click

from kruise_render import paths
from kruise_render.diagnostics import RenderError, describe, one_line
from kruise_render.options import (
    PATH_SEPARATOR,
    RENDER_OPTIONS,
    RENDERING,
    VALIDATE,
    Options,
    OptionSpec,
    map_paths,
    options_from_values,
)

CONFIG_API_VERSION = "kruise-render.io/v1alpha1"
CONFIG_KIND = "KruiseRender"
ENV_PREFIX, PARAM_PREFIX = "ARGOCD_ENV_", "PARAM_"
ENV_PREFIXES = (ENV_PREFIX, PARAM_PREFIX)  # later prefixes win
MAX_ITEMS = 1000  # items of an Argo CD array parameter
# kustomize's own exec-plugin fields: they would arrive as extra argv, which kruise-render ignores.
_KUSTOMIZE_FIELDS = ("argsOneLiner", "argsFromFile")

F = TypeVar("F", bound=Callable[..., Any])


def _param_name(spec: OptionSpec) -> str:
    return spec.attr.replace(".", "__")


def _callback(spec: OptionSpec) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def parse(value: Any) -> Any:
        assert spec.parse is not None
        try:
            return spec.parse(str(value))
        except RenderError as exc:
            raise click.BadParameter(str(exc).split(": ", 1)[-1] if str(exc).startswith("--") else str(exc)) from None

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or spec.parse is None or spec.is_flag:
            return value
        if spec.multiple:
            return tuple(parse(item) for item in value)
        return parse(value)

    return callback


def click_option(spec: OptionSpec) -> Callable[[F], F]:
    names = [name for name in (spec.short, spec.flag) if name]
    if spec.is_flag:
        return click.option(*names, _param_name(spec), is_flag=True, help=spec.help)
    if spec.multiple:
        return click.option(*names, _param_name(spec), multiple=True, metavar=spec.metavar, callback=_callback(spec),
                            help=spec.help)
    return click.option(*names, _param_name(spec), default=spec.default, show_default=spec.default not in (None, ""),
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
                if spec.short:
                    message = message.replace(f"'{spec.short}' / '{spec.flag}'", name(field))
                message = message.replace(f"'{spec.flag}'", name(field))
        raise RenderError(f"{where}: {message}") from None


def _value_args(field: str, value: Any, where: str) -> list[str]:
    spec = _by_field()[field]
    if spec.is_flag:
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise RenderError(f"{where}: {field}: expected true or false, got {_describe(value)}")
        return [spec.flag] if value else []
    if spec.bare is not None and isinstance(value, bool):  # allowLossy: true
        value = str(value).lower()
    if spec.multiple:
        return [f"{spec.flag}={item}" for item in _items(value, f"{where}: {field}")]
    numeric = isinstance(spec.default, int) and not isinstance(spec.default, bool)  # the limits
    if isinstance(value, Mapping):  # featureGates: {Name: true}
        if not all(isinstance(k, str) and (isinstance(v, bool) or v in ("true", "false")) for k, v in value.items()):
            raise RenderError(f"{where}: {field}: expected a mapping of names to true or false")
        value = ",".join(f"{k}={str(v).lower()}" for k, v in value.items())
    elif isinstance(value, list):  # excludeNamespaces: [a, b]
        if not all(isinstance(item, str) for item in value):
            raise RenderError(f"{where}: {field}: expected a list of strings")
        value = ",".join(value)
    elif numeric and isinstance(value, int) and not isinstance(value, bool):
        pass
    elif not isinstance(value, str):
        # Typed strictly: unquoted `kubeVersion: 1.30` is the number 1.3, which must not become 1.3.
        raise RenderError(f"{where}: {field}: expected {'a whole number' if numeric else 'a string'}, "
                          f"got {_describe(value)}{' (quote it)' if not numeric else ''}")
    return [f"{spec.flag}={value}"]


def _describe(value: Any) -> str:
    """A wrong value as messages name it; a string shown as written, at most 40 characters."""
    if isinstance(value, str):
        return one_line(repr(value[:40])) + ("..." if len(value) > 40 else "")
    return describe(value)


def _items(value: Any, where: str) -> list[str]:
    """The values of a `multiple` option: a list of strings, or one string joined by PATH_SEPARATOR."""
    if isinstance(value, str):
        return [part for part in value.split(PATH_SEPARATOR) if part]
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return list(value)
    raise RenderError(f"{where}: expected a list of paths or one string of paths separated by "
                      f"{PATH_SEPARATOR!r}, got {_describe(value)}")


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


def from_env(environ: Mapping[str, str], defaults: Mapping[str, tuple[str, str]] | None = None) -> Options:
    """Argo CD plugin variables → Options; messages name the variable that was set.

    `defaults`: field → (value, the variable it comes from) for fields no plugin variable sets
    (Argo CD's own build environment: ARGOCD_APP_NAMESPACE, KUBE_VERSION)."""
    args, sources = env_args(environ)
    for field, (value, source) in sorted((defaults or {}).items()):
        if field not in sources:
            args.extend(_value_args(field, value, source))
            sources[field] = source
    return parse_args(args, "Argo CD plugin env/parameters", lambda field: sources.get(field, _by_field()[field].env))


def env_args(environ: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """Argo CD plugin variables → render option arguments, and for each field the variable it
    came from. A parameter wins over an env entry (`plugin_value`); a `multiple` option also reads
    Argo CD's array parameter (`plugin_array`), which wins over both."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in RENDER_OPTIONS:
        array = plugin_array(environ, PARAM_PREFIX + spec.env) if spec.multiple else []
        if array:
            values[spec.field], sources[spec.field] = [text for text, _ in array], array[0][1]
            continue
        found = plugin_value(environ, spec.env)
        if found is not None:
            text, variable = found
            values[spec.field] = _items(text, variable) if spec.multiple else text
            sources[spec.field] = variable
    args: list[str] = []
    for field in sorted(values):
        args.extend(_value_args(field, values[field], sources[field]))
    return args, sources


def plugin_value(environ: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """(value, variable) of the Argo CD plugin setting `name`: the parameter `PARAM_<name>`, else
    the env entry `ARGOCD_ENV_<name>`; None when neither is set or it is empty."""
    for prefix in reversed(ENV_PREFIXES):
        variable = prefix + name
        if environ.get(variable, "") != "":
            return environ[variable], variable
    return None


def plugin_array(environ: Mapping[str, str], variable: str) -> list[tuple[str, str]]:
    """(value, variable) of each item of an Argo CD array parameter, `<variable>_0`, `_1`, …, in
    order (Argo CD numbers them from 0 without gaps: reading stops at the first missing index);
    empty items are left out. More than MAX_ITEMS: RenderError, not a read without end."""
    found: list[tuple[str, str]] = []
    while (name := f"{variable}_{len(found)}") in environ:
        if len(found) == MAX_ITEMS:
            raise RenderError(f"{variable}_*: more than {MAX_ITEMS} items")
        found.append((environ[name], name))
    return [(text, name) for text, name in found if text != ""]


def confine(options: Options, root: str, base: str, where: str,
            name: Callable[[OptionSpec], str] = lambda spec: spec.flag) -> Options:
    """Options read from configuration an adversary may write (a functionConfig, `.kruise-render.yaml`
    args): every path they name must lead (after `..` and symbolic links) inside `root`, the
    repository (paths.confined), else RenderError naming `where` and the option as `name` spells
    it. Relative paths start at `base`; they come back resolved, as messages show paths. The
    operator's own command line is never confined; Argo CD's spellings: argocd/settings.py."""
    return map_paths(options, lambda spec, value: paths.display(paths.confined(value, root, base, f"{where}: {name(spec)}")))


def confine_to_work_tree(options: Options, where: str, name: Callable[[OptionSpec], str] = lambda spec: spec.field) -> Options:
    """A KRM functionConfig or a legacy plugin's config comes with the repository: the paths it
    names must stay inside the repository the orchestrator runs in. kustomize starts a plugin or
    function in the directory of the kustomization that lists it (api/internal/target/kusttarget.go,
    kubernetes-sigs/kustomize), kpt in its own working directory; relative paths start there, and
    the root is that directory's git work tree (or the directory itself outside git)."""
    cwd = os.getcwd()
    return confine(options, paths.repository_root(cwd), cwd, where, name)
