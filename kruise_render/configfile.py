"""Reading kruise-render's own small configuration files (`.kruise-render.yaml`, the kustomize
legacy plugin's KruiseRender file): bounded, plain data only, every failure one RenderError line.

A configuration file is a few hundred bytes; one that is megabytes is not one (or is `/dev/zero`
named by mistake or malice), so reads stop at MAX_BYTES.
"""
from __future__ import annotations

from typing import Any

from kruise_render import fdio
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.options import Limits
from kruise_render.yaml import codec

MAX_BYTES = 1 << 20


def load(path: str, opened: int | None = None) -> Any:
    """The file's one YAML document as plain data. `opened`: a descriptor already open on it
    (then `path` only names it in messages); it is not closed here."""
    shown = one_line(path)
    if "\x00" in path:
        raise RenderError(f"{shown}: a path cannot contain a NUL character")
    try:
        if opened is None:
            with open(path, "rb") as handle:
                data = fdio.read_limited(handle, MAX_BYTES)
        else:
            data = fdio.read_limited(opened, MAX_BYTES)
    except OSError as exc:
        raise RenderError(f"{shown}: cannot read: {one_line(exc.strerror or type(exc).__name__)}") from None
    except fdio.InputError as exc:
        raise RenderError(f"{shown}: {exc}") from None
    return parse(data, shown)


def parse(data: bytes | bytearray, shown: str) -> Any:
    """Bytes of a configuration (read by the caller, at most MAX_BYTES + 1) as plain data."""
    if len(data) > MAX_BYTES:
        raise RenderError(f"{shown}: larger than {MAX_BYTES} bytes; a configuration file is a few lines")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RenderError(f"{shown}: not valid UTF-8 (byte {exc.start})") from None
    try:
        return codec.load(text, Limits())
    except codec.YamlProblem as exc:
        line = f":{exc.line + 1}" if exc.line is not None else ""
        raise RenderError(f"{shown}{line}: {exc.message}") from None
