"""Writing: a YAML stream, a JSON List, or one file per object in a directory, atomically."""
from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Iterator, Sequence

from kruise_render import paths
from kruise_render.diagnostics import RenderError
from kruise_render.document import Document
from kruise_render.k8s import naming
from kruise_render.yaml import codec, edit

OUTPUT_EXTENSIONS = (".yaml", ".yml", ".json")
# tempfile, shutil and ctypes are imported by the functions that write files: a render to stdout
# never loads them (docs/performance.md, "Start-up").


def document_text(doc: Document) -> str:
    """The document's YAML: its source bytes if untouched, else its source edited, else fresh."""
    if doc.raw is not None and not doc.changed:
        return doc.raw
    if doc.raw is not None:
        return edit.rewrite(doc.raw, doc.data)
    return codec.dump(doc.data)


def to_stream(docs: Sequence[Document]) -> str:
    """`---` between documents; a document whose text already starts with `---` keeps its own."""
    return "".join(stream_parts(docs))


def stream_parts(docs: Sequence[Document]) -> Iterator[str]:
    """`to_stream` in pieces, each document's text made only when it is its turn: what the CLI
    writes as it goes, so that the whole output never has to be in memory at once."""
    previous = ""
    for i, doc in enumerate(docs):
        text = document_text(doc)
        if i > 0:
            text = text.lstrip("\ufeff")  # a byte-order mark may only start a stream
            if not previous.endswith("\n"):
                yield "\r\n" if previous.endswith("\r") else "\n"
            if not text.startswith("---"):
                yield "---\n"
        yield text
        previous = text


def to_json(docs: Sequence[Document]) -> str:
    """One object as itself; several as a v1 List, as `kubectl get -o json` prints them."""
    body = docs[0].data if len(docs) == 1 else {"apiVersion": "v1", "kind": "List", "items": [doc.data for doc in docs]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def render_files(docs: Sequence[Document], fmt: str) -> dict[str, str]:
    ext = ".json" if fmt == "json" else ".yaml"
    names = naming.file_names((doc.id for doc in docs), ext)
    files = {}
    for name, doc in zip(names, docs, strict=True):
        if fmt == "json":
            files[name] = json.dumps(doc.data, indent=2, ensure_ascii=False) + "\n"
        else:
            text = document_text(doc)
            files[name] = text if text.endswith("\n") else text + "\n"
    return files


def write_dir(directory: str, files: dict[str, str], protect: Sequence[str] = ()) -> None:
    """Replace `directory` with exactly `files`, all at once; on any failure it is left as it was.

    Refuses a directory holding anything but what kruise-render writes (other files, dot entries,
    symbolic links), a directory that is itself a symbolic link, and one that holds any path in
    `protect` (the inputs: `render . -o .` must not delete its own sources). Nothing is written
    through a link: the files go into a fresh sibling directory that then takes DIR's place.
    """
    target = os.path.abspath(directory)
    if os.path.islink(target):
        raise RenderError(f"{directory}: is a symbolic link; give the directory it points to")
    if os.path.exists(target):
        if not os.path.isdir(target):
            raise RenderError(f"{directory}: exists and is not a directory")
        foreign = _foreign_entries(target)
        if foreign:
            raise RenderError(
                f"{directory}: refusing to replace a directory that holds other files ({foreign[0]}); "
                "use an empty or kruise-render-owned directory"
            )
    for path in protect:
        if _within(path, target):
            raise RenderError(f"{directory}: refusing to replace a directory that holds the input {path}")
    try:
        _write_dir(target, files)
    except OSError as exc:
        raise RenderError(f"{directory}: cannot write: {exc.strerror or exc}") from None


def _within(path: str, directory: str) -> bool:
    return paths.within(path, directory)


def _write_dir(target: str, files: dict[str, str]) -> None:
    import shutil
    import tempfile

    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=parent)
    os.chmod(staging, 0o777 & ~_umask())
    try:
        for name, text in files.items():
            parts = name.split("/")
            if any(part in ("", ".", "..") or "\0" in part or os.sep in part for part in parts) or not (
                os.path.realpath(os.path.join(staging, *parts)).startswith(os.path.realpath(staging) + os.sep)
            ):
                raise RenderError(f"{name!r}: output file name escapes the output directory")
            path = os.path.join(staging, *parts)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
        _swap(staging, target)
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: str, target: str) -> None:
    """Put `staging` in `target`'s place. Where the kernel can exchange two names in one step
    (Linux renameat2 RENAME_EXCHANGE), DIR is never missing, not even for an instant; elsewhere
    two renames, with the old DIR put back if the second fails."""
    import shutil
    import tempfile

    if not os.path.exists(target):
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return  # `staging` now holds the old DIR; the caller removes it
    backup = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.", suffix=".old", dir=os.path.dirname(target))
    os.rmdir(backup)
    os.rename(target, backup)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: str, b: str) -> bool:
    """Swap two paths atomically; False where this system or file system cannot (the caller
    falls back to two renames). Any other failure is raised as the OSError it is."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc >= 2.28 / musl >= 1.2.3
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), b)


def _foreign_entries(directory: str) -> list[str]:
    foreign = []
    for root, dirs, files in os.walk(directory):
        for name in files:
            if not name.lower().endswith(OUTPUT_EXTENSIONS):
                foreign.append(os.path.relpath(os.path.join(root, name), directory))
        for name in files:
            if os.path.islink(os.path.join(root, name)) and name.lower().endswith(OUTPUT_EXTENSIONS):
                foreign.append(os.path.relpath(os.path.join(root, name), directory))
        for name in dirs:
            if name.startswith(".") or os.path.islink(os.path.join(root, name)):
                foreign.append(os.path.relpath(os.path.join(root, name), directory))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
    return sorted(foreign)


def write_file(path: str, text: str) -> None:
    """Write one file atomically (temp file in the same directory, then rename); a symbolic link
    at `path` is replaced, never written through."""
    try:
        _write_file(os.path.abspath(path), text)
    except OSError as exc:
        raise RenderError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _write_file(target: str, text: str) -> None:
    import shutil
    import tempfile

    os.makedirs(os.path.dirname(target), exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=os.path.dirname(target))
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if os.path.exists(target):
            shutil.copymode(target, temp)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
