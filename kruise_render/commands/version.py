"""`kruise-render version`: this tool's version and the Kruise release whose behaviour it follows."""
from __future__ import annotations

from kruise_render import KRUISE_VERSION, __version__
from kruise_render.commands.output import print_text


def run() -> int:
    print_text(f"kruise-render {__version__} (OpenKruise {KRUISE_VERSION} semantics)\n")
    return 0
