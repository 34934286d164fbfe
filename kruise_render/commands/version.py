from __future__ import annotations

import click

from kruise_render import KRUISE_VERSION, __version__


def run() -> int:
    click.echo(f"kruise-render {__version__} (OpenKruise {KRUISE_VERSION} semantics)")
    return 0
