"""What every stage is handed: the options, and one place to report problems and consumption.

A problem is reported on the input object a document stands for, at the line of its field; for
an object a stage created, the field path is translated into the input's (Document.derive(at=…))
and cut to what the file has, so that the message names a line and a path the user wrote.

The policy for what native Kubernetes cannot express lives here and nowhere else:
`not_expressible` is an error unless the loss is accepted — by plain --allow-lossy, or for the
field by name with --allow-lossy=PATH or the object's kruise-render.io/allow-lossy annotation —
then a warning, and the caller drops the field; `controller_only` is always a warning (the
field only tunes Kruise's own controllers).
"""
from __future__ import annotations

from typing import Any

from kruise_render import codes, lossy
from kruise_render.diagnostics import (
    FieldPath,
    Problem,
    Severity,
    format_path,
    has_errors,
)
from kruise_render.document import Document
from kruise_render.k8s.identity import annotations_of
from kruise_render.lookup import Lookup
from kruise_render.options import Options
from kruise_render.record import Record
from kruise_render.yaml import positions


class Context(Record):
    __slots__ = ("_reported", "consumed", "lookup", "options", "problems", "scratch")
    options: Options
    problems: list[Problem]
    # input document -> why it is not in the output (e.g. "consumed by SidecarSet stage")
    consumed: dict[int, tuple[Document, str]]
    # The input and context objects, for stages that look across documents (Namespaces, targets).
    lookup: Lookup
    scratch: dict[str, Any]  # explain data, per stage
    _reported: set[Problem]

    def __init__(self, options: Options | None = None, problems: list[Problem] | None = None,
                 consumed: dict[int, tuple[Document, str]] | None = None, lookup: Lookup | None = None,
                 scratch: dict[str, Any] | None = None) -> None:
        self._init(Options() if options is None else options, [] if problems is None else problems,
                   {} if consumed is None else consumed, Lookup() if lookup is None else lookup,
                   {} if scratch is None else scratch, set())
        self.lookup.namespace = self.options.namespace

    def namespace_of(self, doc: Document) -> str:
        """The namespace `doc` lands in: its own, else -n (never written into it)."""
        return self.lookup.namespace_of(doc)

    def report(self, severity: Severity, doc: Document | None, path: FieldPath | None, message: str,
               code: str | None = None) -> None:
        """One problem; `code` names its kind (codes.py), else the generic code of its severity."""
        code = code or codes.default(severity is Severity.ERROR)
        if doc is None:
            self._add(Problem(severity, message, path=format_path(path), code=code))
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
                code=code,
            )
        )

    def _add(self, problem: Problem) -> None:
        """Once: the subsets of one UnitedDeployment can all have the problem of its template."""
        if problem not in self._reported:
            self._reported.add(problem)
            self.problems.append(problem)

    def error(self, doc: Document | None, path: FieldPath | None, message: str, code: str | None = None) -> None:
        self.report(Severity.ERROR, doc, path, message, code)

    def warning(self, doc: Document | None, path: FieldPath | None, message: str, code: str | None = None) -> None:
        self.report(Severity.WARNING, doc, path, message, code)

    def not_expressible(self, doc: Document, path: FieldPath, message: str) -> bool:
        """Report a field native Kubernetes cannot express; True means: drop it and go on.

        The one lossy policy: dropped with a warning when plain --allow-lossy is on, or when
        --allow-lossy=PATH,... or the object's kruise-render.io/allow-lossy annotation names the
        field as its message names it (lossy.py); an error otherwise.
        """
        why = self._accepts_loss(doc, path)
        if why is not None:
            self.report(Severity.WARNING, doc, path, f"{message}; dropped ({why})", codes.LOSSY_DROPPED)
            return True
        self.report(Severity.ERROR, doc, path, f"{message} (not expressible natively; --allow-lossy drops it)",
                    codes.NOT_EXPRESSIBLE)
        return False

    def _accepts_loss(self, doc: Document, path: FieldPath) -> str | None:
        """What accepts losing `path` of `doc` (for the warning), or None."""
        allow = self.options.allow_lossy
        if allow is True:
            return "--allow-lossy"
        field = tuple(path) if doc is doc.input else doc.input_path(tuple(path)) or tuple(path)  # as report() prints it
        if allow and lossy.accepted(allow, field):
            return f"--allow-lossy={format_path(field)}"
        written = annotations_of(doc.input.data).get(lossy.ANNOTATION)
        if written is None:
            return None
        where: FieldPath = ("metadata", "annotations", lossy.ANNOTATION)
        try:
            patterns = lossy.parse(written) if isinstance(written, str) else None
        except ValueError as exc:
            self.report(Severity.ERROR, doc.input, where, f"{exc} (a comma-separated list of field paths)",
                        codes.BAD_ANNOTATION)
            return None
        if patterns is None:
            self.report(Severity.ERROR, doc.input, where, "must be a string of comma-separated field paths",
                        codes.BAD_ANNOTATION)
            return None
        return f"{lossy.ANNOTATION}: {format_path(field)}" if lossy.accepted(patterns, field) else None

    def controller_only(self, doc: Document, path: FieldPath, message: str) -> None:
        self.report(Severity.WARNING, doc, path, f"{message} (only tunes Kruise's controller; dropped)", codes.CONTROLLER_ONLY)

    def finish(self, doc: Document) -> None:
        """No later stage edits `doc` (SidecarSet injection is the last stage that edits documents
        read from the input, pipeline.py): a changed one gets its output text now and an unchanged
        one drops its data, so a large stream is never all held as data at once. Whatever still
        reads it later builds it again (from that text)."""
        if doc.raw is None or doc.derived_from is not None:
            return  # created objects: only their data stands for them
        if doc.changed:
            if doc.parsed:
                from kruise_render.yaml import writer  # the writer's rule, applied early

                doc.settle(writer.document_text(doc))
        else:
            doc.release()

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
