"""Render options from places other than the command line, mapped in ONE place.

A KRM functionConfig (`kruise-render.io/v1alpha1 KruiseRender`, or the ConfigMap kpt builds from
`key=value` arguments), Argo CD's `ARGOCD_ENV_*` / `PARAM_*` variables and the `args:` of a
`.kruise-render.yaml` target all end up as command-line arguments of the shared render options
and are parsed by the same click parser as `kruise-render render`. So every option the CLI has
exists under the same rules everywhere, with the same validation and defaults:

- config field = the long option in lowerCamelCase (`--kube-version` → `kubeVersion`,
  `--nodes` → `nodes`);
- environment name = the long option in UPPER_SNAKE (`KUBE_VERSION`), read as
  `ARGOCD_ENV_KUBE_VERSION` (Application `plugin.env`) and `PARAM_KUBE_VERSION` (plugin
  parameters; they win over env entries).
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Mapping, Sequence

import click

from kruise_render.diagnostics import RenderError
from kruise_render.options import Options

CONFIG_API_VERSION = "kruise-render.io/v1alpha1"
CONFIG_KIND = "KruiseRender"
ENV_PREFIXES = ("ARGOCD_ENV_", "PARAM_")  # later prefixes win
# kustomize's own exec-plugin fields: they would arrive as extra argv, which kruise-render ignores.
_KUSTOMIZE_FIELDS = ("argsOneLiner", "argsFromFile")


@functools.lru_cache(maxsize=None)
def _parser() -> click.Command:
    from kruise_render.cli import render_options

    @click.command("options", add_help_option=False)
    @render_options
    def probe(options: Options) -> Options:
        return options

    return probe


@functools.lru_cache(maxsize=None)
def _options_by_field() -> dict[str, click.Option]:
    """`kubeVersion` → the click option `--kube-version`, for every shared render option."""
    table = {}
    for param in _parser().params:
        if isinstance(param, click.Option):
            long = max(param.opts, key=len)
            table[_camel(long.lstrip("-"))] = param
    return table


def _camel(kebab: str) -> str:
    head, *rest = kebab.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _snake(field: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", field).upper()


def fields() -> list[str]:
    return sorted(_options_by_field())


def parse_args(args: Sequence[str], where: str = "options", name: Callable[[str], str] | None = None) -> Options:
    """Shared render options given as command-line arguments → Options (RenderError if bad).

    `name(field)` says how messages call an option (default: its `--flag`), so a user who wrote
    `kubeVersion` or `ARGOCD_ENV_KUBE_VERSION` reads that name back.
    """
    try:
        return _parser().main(args=list(args), prog_name=where, standalone_mode=False)  # type: ignore[no-any-return]
    except click.ClickException as exc:
        message = exc.format_message()
        if name is not None:
            for field, option in _options_by_field().items():
                message = message.replace(f"'{max(option.opts, key=len)}'", name(field))
        raise RenderError(f"{where}: {message}") from None


def _value_args(field: str, value: Any, where: str) -> list[str]:
    option = _options_by_field()[field]
    flag = max(option.opts, key=len)
    if option.is_flag:
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise RenderError(f"{where}: {field}: expected true or false, got {value!r}")
        return [flag] if value else []
    if isinstance(value, Mapping):  # featureGates: {Name: true}
        value = ",".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in value.items())
    elif isinstance(value, list):  # excludeNamespaces: [a, b]
        value = ",".join(str(item) for item in value)
    elif isinstance(value, bool) or value is None or not isinstance(value, (str, int, float)):
        raise RenderError(f"{where}: {field}: expected a string, got {value!r}")
    return [f"{flag}={value}"]


def config_args(config: Mapping[str, Any], where: str) -> list[str]:
    """The fields of a KruiseRender object or ConfigMap data → render option arguments."""
    known = _options_by_field()
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
    return parse_args(args, "Argo CD plugin env/parameters", lambda field: sources.get(field, _snake(field)))


def env_args(environ: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """Argo CD plugin variables → render option arguments (parameters win over env entries),
    and for each field the variable it came from."""
    by_env = {_snake(field): field for field in _options_by_field()}
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
