"""kruise-render: OpenKruise custom resources rendered into native Kubernetes manifests.

`__all__` is the public API (tests/public_api_test.py keeps the CLI commands on it): the calls
of kruise_render/api.py, what they take and return, the problem vocabulary and the exceptions.
Every other module is an implementation detail that may change without notice.
"""
from __future__ import annotations

from kruise_render.api import (
    ResourceListResult,
    Result,
    account,
    argocd_discover,
    argocd_generate,
    check,
    diff,
    diff_paths,
    diff_report,
    explain,
    options_from_args,
    options_from_env,
    plugin_options,
    read,
    read_input,
    render,
    render_documents,
    render_paths,
    render_resource_list,
    validate,
    validate_paths,
    write_output,
)
from kruise_render.codes import CODES, Code
from kruise_render.diagnostics import (
    FieldError,
    FieldPath,
    InternalError,
    KruiseRenderError,
    MissingDependency,
    Problem,
    RenderError,
    Severity,
    one_line,
)
from kruise_render.diff.model import Diff
from kruise_render.document import Document
from kruise_render.explanation import Explanation, PodTemplate, SidecarSetSource, Verdict
from kruise_render.fdio import OutputError
from kruise_render.options import Limits, Options
from kruise_render.targets import Target, TargetReport
from kruise_render.yaml.reader import Source

try:  # written by setuptools-scm when the package is built or installed (pyproject.toml)
    from kruise_render._version import __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"
KRUISE_VERSION = "v1.9.0"  # the Kruise release whose behaviour is reproduced

__all__ = [
    "CODES",
    "KRUISE_VERSION",
    "Code",
    "Diff",
    "Document",
    "Explanation",
    "FieldError",
    "FieldPath",
    "InternalError",
    "KruiseRenderError",
    "Limits",
    "MissingDependency",
    "Options",
    "OutputError",
    "PodTemplate",
    "Problem",
    "RenderError",
    "ResourceListResult",
    "Result",
    "Severity",
    "SidecarSetSource",
    "Source",
    "Target",
    "TargetReport",
    "Verdict",
    "__version__",
    "account",
    "argocd_discover",
    "argocd_generate",
    "check",
    "diff",
    "diff_paths",
    "diff_report",
    "explain",
    "one_line",
    "options_from_args",
    "options_from_env",
    "plugin_options",
    "read",
    "read_input",
    "render",
    "render_documents",
    "render_paths",
    "render_resource_list",
    "validate",
    "validate_paths",
    "write_output",
]
