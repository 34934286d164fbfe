"""kruise-render: OpenKruise custom resources rendered into native Kubernetes manifests.

`__all__` is the public API (tests/public_api_test.py keeps the CLI commands on it): the calls
of kruise_render/api.py, what they take and return, the problem vocabulary and the exceptions.
Every other module is an implementation detail that may change without notice.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# Each public name and the module it lives in, imported on first use (PEP 562): `import
# kruise_render` and the CLI's start-up load none of the render machinery (docs/performance.md,
# "Start-up"; tests/startup_test.py).
_LAZY: dict[str, str] = {
    "ResourceListResult": "kruise_render.api",
    "Result": "kruise_render.api",
    "account": "kruise_render.api",
    "argocd_discover": "kruise_render.api",
    "argocd_generate": "kruise_render.api",
    "check": "kruise_render.api",
    "diff": "kruise_render.api",
    "diff_paths": "kruise_render.api",
    "diff_report": "kruise_render.api",
    "explain": "kruise_render.api",
    "options_from_args": "kruise_render.api",
    "options_from_env": "kruise_render.api",
    "plugin_options": "kruise_render.api",
    "read": "kruise_render.api",
    "read_input": "kruise_render.api",
    "render": "kruise_render.api",
    "render_documents": "kruise_render.api",
    "render_paths": "kruise_render.api",
    "render_resource_list": "kruise_render.api",
    "validate": "kruise_render.api",
    "validate_paths": "kruise_render.api",
    "write_output": "kruise_render.api",
    "CODES": "kruise_render.codes",
    "Code": "kruise_render.codes",
    "FieldError": "kruise_render.diagnostics",
    "FieldPath": "kruise_render.diagnostics",
    "InternalError": "kruise_render.diagnostics",
    "KruiseRenderError": "kruise_render.diagnostics",
    "MissingDependency": "kruise_render.diagnostics",
    "Problem": "kruise_render.diagnostics",
    "RenderError": "kruise_render.diagnostics",
    "Severity": "kruise_render.diagnostics",
    "one_line": "kruise_render.diagnostics",
    "Diff": "kruise_render.diff.model",
    "Document": "kruise_render.document",
    "Explanation": "kruise_render.explanation",
    "PodTemplate": "kruise_render.explanation",
    "SidecarSetSource": "kruise_render.explanation",
    "Verdict": "kruise_render.explanation",
    "OutputError": "kruise_render.fdio",
    "Limits": "kruise_render.options",
    "Options": "kruise_render.options",
    "Target": "kruise_render.targets",
    "TargetReport": "kruise_render.targets",
    "Source": "kruise_render.yaml.reader",
}

if TYPE_CHECKING:  # the same names, eagerly, for the type checker
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


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Importing the subpackage kruise_render.diff would set the attribute `diff` to it and
        # hide the API call of that name; the call wins, as it did with eager imports.
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kruise_render' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
