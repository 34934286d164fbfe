"""kruise-render: OpenKruise custom resources rendered into native Kubernetes manifests."""
from __future__ import annotations

from kruise_render.api import Result, read, render, render_documents
from kruise_render.options import Options
from kruise_render.yaml.reader import Source

__version__ = "0.1.0"
KRUISE_VERSION = "v1.9.0"  # the Kruise release whose behaviour is reproduced

__all__ = ["Options", "Result", "Source", "__version__", "read", "render", "render_documents"]
