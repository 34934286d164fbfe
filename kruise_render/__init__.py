"""kruise-render: OpenKruise custom resources rendered into native Kubernetes manifests."""
from __future__ import annotations

from kruise_render.api import Result, diff, read, render, render_documents
from kruise_render.diff.model import Diff
from kruise_render.options import Options
from kruise_render.yaml.reader import Source

try:  # written by setuptools-scm when the package is built or installed (pyproject.toml)
    from kruise_render._version import __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"
KRUISE_VERSION = "v1.9.0"  # the Kruise release whose behaviour is reproduced

__all__ = ["Diff", "Options", "Result", "Source", "__version__", "diff", "read", "render", "render_documents"]
