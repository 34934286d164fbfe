"""Reading: paths to sources, sources to documents with their exact text and source lines.

A stream is cut into documents at `---` lines by text (a line that starts with `---` or `...` can
only be a marker in YAML), so each document keeps its own bytes; each piece is then parsed alone
with libyaml. Problems are collected with file and line, never raised.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, NoReturn

from kruise_render import codes, fdio, paths
from kruise_render.diagnostics import Problem, Severity
from kruise_render.document import Document, Origin
from kruise_render.k8s import identity
from kruise_render.obj import get_str
from kruise_render.options import Limits
from kruise_render.yaml import codec, look, positions

STDIN = "-"
STDIN_NAME = "<stdin>"
EXTENSIONS = (".yaml", ".yml", ".json")

_MARKER = re.compile(r"^---(?=[ \t\r\n]|$)", re.M)
_BLANK_OR_COMMENT = re.compile(r"^[ \t]*(?:#.*)?\r?$")


@dataclasses.dataclass(frozen=True)
class Source:
    name: str  # what messages call it: the path as given, or <stdin>
    text: str


def read_paths(paths: Iterable[str], limits: Limits, stdin: IO[bytes] | None = None) -> tuple[list[Source], list[Problem]]:
    """Files, directories (every *.yaml, *.yml, *.json below, sorted by path) and `-` for stdin."""
    sources: list[Source] = []
    problems: list[Problem] = []
    total = 0
    for path in list(paths) or [STDIN]:
        for name, read in _expand(path, problems, stdin):
            try:
                data = read(limits.max_total_bytes - total + 1)  # never more than the limit: /dev/zero
            except OSError as exc:
                problems.append(_problem(f"cannot read: {exc.strerror or exc}", name, code=codes.UNREADABLE))
                continue
            except fdio.InputError as exc:
                problems.append(_problem(str(exc), name, code=codes.UNREADABLE))
                continue
            total += len(data)
            if total > limits.max_total_bytes:
                problems.append(_problem(f"input larger than {limits.max_total_bytes} bytes (raise with --max-total-size)",
                                         name, code=codes.LIMIT))
                # Stop here: nothing read so far is parsed (that cost 22 s and 855 MB for a refusal).
                return [], problems
            text = _decode(data, name, problems)
            if text is not None:
                sources.append(Source(name, text))
    return sources, problems


Read = Callable[[int], bytes | bytearray]  # at most that many bytes of a source


def _expand(path: str, problems: list[Problem], stdin: IO[bytes] | None) -> Iterator[tuple[str, Read]]:
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield STDIN_NAME, lambda size: fdio.read_limited(stream, size - 1)
        return
    if os.path.isdir(path):
        found: list[str] = []
        for root, dirs, files in paths.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]  # links to directories are not followed
            found.extend(os.path.join(root, f) for f in files if f.lower().endswith(EXTENSIONS))
        for file in sorted(found):
            if _inside(file, path, problems):
                yield file, _reader(file)
        return
    if not os.path.exists(path):
        problems.append(_problem("cannot read: no such file or directory", path, code=codes.UNREADABLE))
        return
    yield path, _reader(path)


def _inside(entry: str, directory: str, problems: list[Problem]) -> bool:
    """A directory means the regular files below it: a symbolic link that leads out of it (to
    another checkout, a token, /dev/zero) or a FIFO (which would block) is reported, not read."""
    real, top = os.path.realpath(entry), os.path.realpath(directory)
    if os.path.islink(entry) and not paths.within(real, top):
        problems.append(_problem(f"not read: symbolic link to {real}, outside {directory}", entry, code=codes.UNREADABLE))
        return False
    if not os.path.isdir(real) and not os.path.isfile(real):
        problems.append(_problem("not read: not a regular file", entry, code=codes.UNREADABLE))
        return False
    return True


def _reader(path: str) -> Read:
    def read(size: int) -> bytes | bytearray:
        with open(path, "rb") as handle:
            return fdio.read_limited(handle, size - 1)  # in chunks: a huge limit is no huge allocation

    return read


def _decode(data: bytes | bytearray, name: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(_problem(f"not valid UTF-8 (byte {exc.start})", name, line, code=codes.NOT_UTF8))
        return None


def _problem(message: str, file: str | None, line: int | None = None, *, code: str,
             column: int | None = None) -> Problem:
    return Problem(Severity.ERROR, message, file=file, line=line, code=code, column=column)


# ---------------------------------------------------------------------------------------------


def split(text: str) -> list[tuple[int, str]]:
    """Cut a stream into (start offset, text) pieces at document-start markers."""
    starts = [m.start() for m in _MARKER.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        pieces.append((start, text[start:end]))
    return _move_directives(pieces)


def _move_directives(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """`%YAML`/`%TAG` lines belong to the document after them, not the one before."""
    out = list(pieces)
    for i in range(len(out) - 1):
        start, piece = out[i]
        lines = piece.splitlines(keepends=True)
        cut = len(lines)
        while cut > 0 and (lines[cut - 1].startswith("%") or _BLANK_OR_COMMENT.match(lines[cut - 1])):
            cut -= 1
        if any(line.startswith("%") for line in lines[cut:]):
            head = "".join(lines[:cut])
            _, nxt = out[i + 1]
            out[i] = (start, head)
            out[i + 1] = (start + len(head), piece[len(head):] + nxt)
    return out


# Column-0 header lines, for a guess at what a document is before reading it (never trusted:
# a wrong guess costs time, not output).
_API_VERSION_LINE = re.compile(r"^apiVersion:[ \t]*[\"']?([^\s\"'#]+)", re.M)
_KIND_LINE = re.compile(r"^kind:[ \t]*[\"']?([^\s\"'#]+)", re.M)

Wanted = Callable[[str, str], bool]  # (apiVersion, kind) as guessed -> build the data while reading


def kruise_objects(api_version: str, kind: str) -> bool:
    """Every stage starts from the Kruise objects (validation reads each of them in full)."""
    return identity.is_kruise(api_version)


def wanted_for(sources: Iterable[Source]) -> Wanted:
    """What to build while reading these sources: the Kruise objects; everything else is held as
    text until a stage asks for it (the SidecarSet stage judges pod templates by the labels
    yaml/look.py reads off their text, and builds only those it injects into)."""
    return kruise_objects


# A SidecarSet among the sources (a guess, like _guess): only then are pod template labels read
# off the text (a context SidecarSet finds them unread, and the stage builds what it judges).
_SIDECARSET_LINE = re.compile(r"^kind:[ \t]*[\"']?SidecarSet\b", re.M)


def labels_wanted(sources: Iterable[Source]) -> bool:
    return any(_SIDECARSET_LINE.search(source.text) for source in sources)


def _guess(piece: str) -> tuple[str, str]:
    api_version, kind = _API_VERSION_LINE.search(piece), _KIND_LINE.search(piece)
    return (api_version.group(1) if api_version else "", kind.group(1) if kind else "")


def parse(source: Source, limits: Limits, skipped: list[str] | None = None,
          wanted: Wanted = kruise_objects, labels: bool = True) -> tuple[list[Document], list[Problem]]:
    """All objects of one source, `kind: List` flattened, empty documents skipped.

    `skipped`: collect (as FILE:LINE) instead of reporting the documents that are no Kubernetes
    manifest at all — without apiVersion and kind, not a mapping, or YAML that does not parse and
    is an unrendered Helm template or has no apiVersion/kind line (`validate --skip-non-kubernetes`).

    A document `wanted` does not ask for is held as its text when yaml/look.py vouches that it
    loads (else it is loaded here, for its data or its problem, exactly as always).
    """
    documents: list[Document] = []
    problems: list[Problem] = []
    stripped = source.text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "[") or source.name.lower().endswith(".json"):
        parsed = _parse_json(source, documents, problems, limits, skipped)
        if parsed or source.name.lower().endswith(".json"):
            return documents, problems
    line = 1
    position = 0
    for start, piece in split(source.text):
        line += source.text.count("\n", position, start)
        position = start
        if 4 * len(piece) > limits.max_document_bytes and len(piece.encode("utf-8", "surrogatepass")) > limits.max_document_bytes:
            problems.append(
                _problem(
                    f"document larger than {limits.max_document_bytes} bytes (raise with --max-document-size)",
                    source.name,
                    line,
                    code=codes.LIMIT,
                )
            )
            continue
        if "kruise.io" not in piece or not wanted(*_guess(piece)):  # (a Kruise object names its group)
            held = look.read(piece, limits, labels)
            if held is not None and not held.id.api_version.startswith(KUSTOMIZE_GROUP):
                origin = Origin(source.name, line + _first_content_line(piece), len(documents), line)
                documents.append(Document.from_text(piece, origin, held.id, limits, held.templates))
                continue
        try:
            data = codec.load(piece, limits, line_offset=line - 1)
        except codec.YamlProblem as exc:
            if skipped is not None and exc.code != codes.LIMIT and (_HELM.search(piece) or not _HEADER.search(piece)):
                skipped.append(f"{source.name}:{line + _first_content_line(piece)}")
            else:
                problems.append(_yaml_problem(exc, piece, source.name, line))
            continue
        if data is None:
            continue
        first = line + _first_content_line(piece)
        _add(documents, problems, data, Origin(source.name, first, len(documents), line), piece, skipped, limits)
    return documents, problems


# Go template actions: what a Helm chart's templates/ hold before `helm template` renders them.
_HELM = re.compile(r"\{\{-?\s")
_HEADER = re.compile(r"^(?:apiVersion|kind)[ \t]*:", re.M)


def _yaml_problem(exc: codec.YamlProblem, piece: str, file: str, line: int) -> Problem:
    """The parser's problem at its line; a document with template actions is named for what it is."""
    helm = _HELM.search(piece) if exc.code != codes.LIMIT else None
    if helm is not None:
        row = piece.count("\n", 0, helm.start())
        column = helm.start() - (piece.rfind("\n", 0, helm.start()) + 1) + 1
        return _problem("an unrendered Helm template ({{ ... }} is Go template syntax, not YAML): render the chart "
                        "first, helm template RELEASE CHART | kruise-render render - (or use kruise-render as Helm's "
                        "--post-renderer)", file, line + row, code=codes.HELM_TEMPLATE, column=column)
    at = line + exc.line if exc.line is not None else line
    return _problem(exc.message, file, at, code=exc.code, column=exc.column)


def _first_content_line(piece: str) -> int:
    if piece[:1].isalpha():
        return 0  # the first line is content (the common case: no marker, no comment first)
    for offset, text in enumerate(piece.split("\n")):
        body = text[3:] if text.startswith("---") else text
        if not _BLANK_OR_COMMENT.match(body):
            return offset
    return 0


def _parse_json(source: Source, documents: list[Document], problems: list[Problem], limits: Limits,
                skipped: list[str] | None = None) -> bool:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ValueError(f"duplicate key {key!r}")
            out[key] = value
        return out

    def constant(name: str) -> NoReturn:
        raise ValueError(f"{name} is not JSON")

    def number(text: str) -> float | int:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"number {text[:40]}{'...' if len(text) > 40 else ''} does not fit a float64")
        return codec.whole(value)  # 3.0 is 3 once kubectl has sent it on

    def integer(text: str) -> float | int:
        """apimachinery's JSON decoding (UseNumber, then convertNumber): an int64 if it fits,
        else a float64 (18446744073709551615 becomes 18446744073709552000); never Python's
        int() on thousands of digits (its limit error is no message for a user)."""
        if len(text) <= 20:
            value = int(text)
            if -(2**63) <= value < 2**63:
                return value
        return number(text)

    try:
        data = json.loads(
            source.text.lstrip("\ufeff"), object_pairs_hook=pairs, parse_constant=constant, parse_float=number,
            parse_int=integer,
        )
        _check_json(data, source.text, limits)
    except ValueError as exc:
        if not source.name.lower().endswith(".json"):
            return False  # not JSON after all: YAML that starts with a flow collection
        line = getattr(exc, "lineno", None) or 1
        message = getattr(exc, "msg", None) or str(exc)
        problems.append(_problem(f"invalid JSON: {message}", source.name, line,
                                 code=codes.LIMIT if "--max-depth" in message else codes.JSON_SYNTAX))
        return True
    except RecursionError:
        problems.append(_problem(f"nesting deeper than {limits.max_depth} levels", source.name, 1, code=codes.LIMIT))
        return True
    if isinstance(data, list):
        _add_items(documents, problems, data, Origin(source.name, 1, 0), source.text, (), skipped)
    elif data is not None:
        _add(documents, problems, data, Origin(source.name, 1, 0), source.text, skipped)
    return True


def _check_json(data: Any, text: str, limits: Limits) -> None:
    """The limits YAML input gets (yamlio) for JSON input too: nesting depth, and no lone
    UTF-16 surrogates (`"\\ud800"`), which no UTF-8 output could ever hold."""
    if "\\u" not in text and text.count("[") + text.count("{") <= limits.max_depth:
        return
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                raise ValueError(f"lone UTF-16 surrogate in string {value[:40]!r}")
        elif isinstance(value, (dict, list)):
            if depth > limits.max_depth:
                raise ValueError(f"nesting deeper than {limits.max_depth} levels (raise with --max-depth)")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                stack.append((key, depth))
                stack.append((item, depth + 1))


def _add(
    documents: list[Document], problems: list[Problem], data: Any, origin: Origin, raw: str | None,
    skipped: list[str] | None = None, limits: Limits | None = None,
) -> None:
    if skipped is not None and (not isinstance(data, dict) or (not data.get("apiVersion") and not data.get("kind"))
                                or is_kustomization(origin.file, data)):
        skipped.append(f"{origin.file}:{origin.line}")
        return
    if not isinstance(data, dict):
        problems.append(_problem(f"document is a {_type_name(data)}, not a mapping (object)", origin.file, origin.line,
                                 code=codes.NOT_A_MAPPING))
        return
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list):
        text, prefix = (raw, ()) if raw is not None else (origin.container, origin.prefix)
        _add_items(documents, problems, data["items"], origin, text, (*prefix, "items"), skipped)
        return
    kind_text = kind if isinstance(kind, str) and kind else None
    name = get_str(data, "metadata", "name") or None
    if is_kustomization(origin.file, data):
        directory = os.path.dirname(origin.file) or "."
        problems.append(Problem(
            Severity.ERROR, f"a kustomization, not a manifest: kustomize builds this directory, kruise-render renders "
            f"what it built: kubectl kustomize {directory} | kruise-render render -",
            file=origin.file, line=origin.line, code=codes.KUSTOMIZATION, kind=kind_text, name=name))
        return
    problem = identity.header_problem(data)
    if problem:
        problems.append(Problem(Severity.ERROR, problem, file=origin.file, line=origin.line, code=codes.NOT_AN_OBJECT,
                                kind=kind_text, name=name))
        return
    documents.append(Document(data=data, origin=origin, raw=raw, changed=raw is None, limits=limits))


def _add_items(documents: list[Document], problems: list[Problem], items: list[Any], origin: Origin,
               text: str | None, prefix: tuple[str | int, ...], skipped: list[str] | None = None) -> None:
    """The items of a List or JSON array, each with its own line and its path in the enclosing text."""
    node = positions.compose(text) if text is not None else None
    for i, item in enumerate(items):
        line = positions.line_in(node, (*prefix, i))
        item_origin = origin.replace(
            index=len(documents), line=origin.line if line is None else origin.start_line + line,
            container=text, prefix=(*prefix, i))
        _add(documents, problems, item, item_origin, None, skipped)


KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZE_GROUP = "kustomize.config.k8s.io/"


def is_kustomization(file: str, data: dict[str, Any]) -> bool:
    """kustomize's own file (its group, or its file name without another apiVersion): Flux's
    kustomize.toolkit.fluxcd.io Kustomization is an object like any other."""
    api_version = data.get("apiVersion")
    if isinstance(api_version, str) and api_version.startswith(KUSTOMIZE_GROUP):
        return True
    return os.path.basename(file) in KUSTOMIZATION_FILES and not api_version


def _type_name(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "scalar")


def read_documents(sources: Iterable[Source], limits: Limits, skipped: list[str] | None = None, *,
                   consume: bool = False) -> tuple[list[Document], list[Problem]]:
    """Every object of `sources` and the problems of reading them (`skipped`: see `parse`). With
    `consume` (and a list), each source is taken off the list once read: the documents hold their
    own text, and the whole input need not stay in memory beside it (docs/performance.md, "Memory")."""
    pending = sources if consume and isinstance(sources, list) else list(sources)
    wanted, labels = wanted_for(pending), labels_wanted(pending)
    pending.reverse()
    documents: list[Document] = []
    problems: list[Problem] = []
    while pending:
        source = pending.pop()
        docs, probs = parse(source, limits, skipped, wanted, labels)
        del source
        documents.extend(docs)
        problems.extend(probs)
    return documents, problems
