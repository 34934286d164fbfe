"""What every stage is handed: the options, and one place to report problems and consumption.

A problem is reported on the input object a document stands for, at the line of its field; for
an object a stage created, the field path is translated into the input's (Document.derive(at=…))
and cut to what the file has, so that the message names a line and a path the user wrote.

The policy for what native Kubernetes cannot express lives here and nowhere else:
`not_expressible` is an error unless --allow-lossy (then a warning, and the caller drops the
field); `controller_only` is always a warning (the field only tunes Kruise's own controllers).
"""
from __future__ import annotations

import dataclasses
from typing import Any

from kruise_render.diagnostics import (
    FieldPath,
    Problem,
    Severity,
    format_path,
    has_errors,
)
from kruise_render.document import Document
from kruise_render.lookup import Lookup
from kruise_render.options import Options
from kruise_render.yaml import positions


@dataclasses.dataclass
class Context:
    options: Options = dataclasses.field(default_factory=Options)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    # input document -> why it is not in the output (e.g. "consumed by SidecarSet stage")
    consumed: dict[int, tuple[Document, str]] = dataclasses.field(default_factory=dict)
    # The input and context objects, for stages that look across documents (Namespaces, targets).
    lookup: Lookup = dataclasses.field(default_factory=Lookup)
    scratch: dict[str, Any] = dataclasses.field(default_factory=dict)  # explain data, per stage
    _reported: set[Problem] = dataclasses.field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self.lookup.namespace = self.options.namespace

    def namespace_of(self, doc: Document) -> str:
        """The namespace `doc` lands in: its own, else -n (never written into it)."""
        return self.lookup.namespace_of(doc)

    def report(self, severity: Severity, doc: Document | None, path: FieldPath | None, message: str) -> None:
        if doc is None:
            self._add(Problem(severity, message, path=format_path(path)))
            return
        source = doc.input
        if doc is not source and path:
            path, message = _in_input(doc, tuple(path), message)  # a caller may pass a list
        ident = source.id
        self._add(
            Problem(
                severity,
                message,
                file=source.origin.file,
                line=positions.line_of(source, path),
                kind=ident.kind or None,
                name=ident.name or None,
                namespace=ident.namespace,
                api_version=ident.api_version or None,
                path=format_path(path),
                index=source.origin.index,
            )
        )

    def _add(self, problem: Problem) -> None:
        """Once: the subsets of one UnitedDeployment can all have the problem of its template."""
        if problem not in self._reported:
            self._reported.add(problem)
            self.problems.append(problem)

    def error(self, doc: Document | None, path: FieldPath | None, message: str) -> None:
        self.report(Severity.ERROR, doc, path, message)

    def warning(self, doc: Document | None, path: FieldPath | None, message: str) -> None:
        self.report(Severity.WARNING, doc, path, message)

    def not_expressible(self, doc: Document, path: FieldPath, message: str) -> bool:
        """Report a field native Kubernetes cannot express; True means: drop it and go on."""
        if self.options.allow_lossy:
            self.report(Severity.WARNING, doc, path, f"{message}; dropped (--allow-lossy)")
            return True
        self.report(Severity.ERROR, doc, path, f"{message} (not expressible natively; --allow-lossy drops it)")
        return False

    def controller_only(self, doc: Document, path: FieldPath, message: str) -> None:
        self.report(Severity.WARNING, doc, path, f"{message} (only tunes Kruise's controller; dropped)")

    def consume(self, doc: Document, why: str) -> None:
        """Take an input object out of the output on purpose (e.g. a SidecarSet once applied)."""
        self.consumed[id(doc.input)] = (doc.input, why)

    @property
    def failed(self) -> bool:
        return has_errors(self.problems)


def _in_input(doc: Document, path: FieldPath, message: str) -> tuple[FieldPath, str]:
    """A field of a created object as a field of the input file: the path its value came from
    (`Document.derive(at=...)`), cut to the part the file has; the rest, which only the created
    object has, goes in front of the message."""
    translated = doc.input_path(path)
    wanted = path if translated is None else translated
    found = positions.existing(doc, wanted)
    rest = wanted[len(found):]
    return found, f"{format_path(rest)}: {message}" if rest else message
