"""Writing: a YAML stream, a JSON List, or one file per object in a directory, atomically."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Iterator, Sequence

from kruise_render import fdio, safefs
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.document import Document
from kruise_render.k8s import naming
from kruise_render.yaml import codec, edit

OUTPUT_EXTENSIONS = (".yaml", ".yml", ".json")


def document_text(doc: Document) -> str:
    """The document's YAML: its source bytes if untouched, else its source edited, else fresh
    (and what a stage settled as its output already, if nothing changed it since)."""
    settled = doc.settled
    if settled is not None:
        return settled
    if doc.raw is not None and not doc.changed:
        return doc.raw
    source = doc.source_text
    if source is not None:
        return edit.rewrite(source, doc.data, doc.node)
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


def write_dir(directory: str, files: dict[str, str], protect: Sequence[str] = (),
              root: str | None = None) -> None:
    """Replace `directory` with exactly `files`, all at once; on any failure it is left as it was.

    Refuses a directory holding anything but what kruise-render writes (other files, dot entries,
    symbolic links, directories inside namespace folders), a directory that is itself a symbolic
    link, and one that is or holds any path in `protect` (the inputs: `render . -o .` must not
    delete its own sources). Nothing is written through a link: the files go into a fresh sibling
    directory that then takes DIR's place, every step relative to the opened parent (safefs).

    `root`: the directory the write must stay in (`check --fix`: the repository); `directory` is
    then relative to it and no component of it may be a symbolic link.
    """
    names = {name: _parts(name) for name in files}
    with _opened(directory, root) as (parent_fd, name):
        _check_target(parent_fd, name, directory, protect)
        with safefs.staging(parent_fd, name) as stage:
            os.mkdir(stage.tmp, 0o777, dir_fd=parent_fd)  # the umask applies, as to any new directory
            _fill(parent_fd, stage.tmp, files, names)
            _swap(parent_fd, stage, name)


@contextlib.contextmanager
def _opened(path: str, root: str | None) -> Iterator[tuple[int, str]]:
    """The opened directory that holds `path`, and its name there; any failure is one
    RenderError naming `path`, which is then as it was (a full disk while staging included)."""
    shown = one_line(path)
    try:
        parent_fd, name = _open_parent(path, root)
    except (safefs.UnsafePath, RenderError) as exc:
        raise RenderError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise RenderError(f"{shown}: cannot write: {_reason(exc)}") from None
    try:
        yield parent_fd, name
    except OSError as exc:
        raise RenderError(f"{shown}: cannot write: {_reason(exc)}") from None
    except fdio.OutputError as exc:
        raise RenderError(f"{shown}: {exc}; {shown} left as it was") from None
    finally:
        os.close(parent_fd)


def _parts(name: str) -> list[str]:
    parts = name.split("/")
    try:
        for part in parts:
            safefs.check_name(part)
    except safefs.UnsafePath:
        raise RenderError(f"{one_line(repr(name))}: output file name escapes the output directory") from None
    return parts


def _open_parent(directory: str, root: str | None) -> tuple[int, str]:
    """The opened directory that holds the target, and the target's name in it."""
    if root is None:
        target = os.path.abspath(directory)
        parent, name = os.path.dirname(target), os.path.basename(target)
        if not name:
            raise RenderError("cannot replace the root directory")
        os.makedirs(parent, exist_ok=True)
        return safefs.open_dir(parent), name
    parts = [part for part in directory.replace(os.sep, "/").split("/") if part not in ("", ".")]
    if not parts:
        raise RenderError("cannot replace the repository itself")
    root_fd = safefs.open_dir(root)
    try:
        return safefs.open_below(root_fd, parts[:-1], create=True), parts[-1]
    finally:
        os.close(root_fd)


def _check_target(parent_fd: int, name: str, shown: str, protect: Sequence[str]) -> None:
    found = safefs.lstat(parent_fd, name)
    if found is None:
        return
    if stat.S_ISLNK(found.st_mode):
        raise RenderError(f"{one_line(shown)}: is a symbolic link; give the directory it points to")
    if not stat.S_ISDIR(found.st_mode):
        raise RenderError(f"{one_line(shown)}: exists and is not a directory")
    for path in protect:
        if _holds(found, path):
            raise RenderError(f"{one_line(shown)}: refusing to replace a directory that holds the input {one_line(path)}")
    fd = safefs.open_below(parent_fd, [name])
    try:
        foreign = _foreign_entries(fd)
    finally:
        os.close(fd)
    if foreign:
        raise RenderError(
            f"{one_line(shown)}: refusing to replace a directory that holds other files ({one_line(foreign[0])}); "
            "use an empty or kruise-render-owned directory"
        )


def _holds(directory: os.stat_result, path: str) -> bool:
    """`path` (symbolic links resolved) is the directory or lies below it: compared by device and
    inode, so no spelling of either path matters."""
    here = os.path.realpath(path)
    while True:
        try:
            found = os.stat(here)
        except OSError:
            found = None
        if found is not None and (found.st_dev, found.st_ino) == (directory.st_dev, directory.st_ino):
            return True
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent


def _foreign_entries(dir_fd: int) -> list[str]:
    """What kruise-render would never have written into an output directory: other files, links,
    dot directories, and directories below a namespace folder (its layout is two levels)."""
    foreign = []
    with os.scandir(dir_fd) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_symlink() or not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)):
            foreign.append(entry.name)
        elif entry.is_file(follow_symlinks=False):
            if not entry.name.lower().endswith(OUTPUT_EXTENSIONS):
                foreign.append(entry.name)
        elif entry.name.startswith("."):
            foreign.append(entry.name)
        else:
            folder = safefs.open_below(dir_fd, [entry.name])
            try:
                with os.scandir(folder) as inside:
                    foreign.extend(f"{entry.name}/{item.name}" for item in sorted(inside, key=lambda item: item.name)
                                   if item.is_symlink() or not item.is_file(follow_symlinks=False)
                                   or not item.name.lower().endswith(OUTPUT_EXTENSIONS))
            finally:
                os.close(folder)
    return foreign


def _fill(parent_fd: int, staging: str, files: dict[str, str], names: dict[str, list[str]]) -> None:
    stage_fd = safefs.open_below(parent_fd, [staging])
    folders: dict[tuple[str, ...], int] = {}
    try:
        for name, text in files.items():
            *folder, file = names[name]
            key = tuple(folder)
            if key not in folders:
                folders[key] = safefs.open_below(stage_fd, folder, create=True)
            safefs.write_new(folders[key], file, text)
    finally:
        for fd in folders.values():
            os.close(fd)
        os.close(stage_fd)


def _swap(parent_fd: int, stage: safefs.Staging, name: str) -> None:
    """Put the staging in `name`'s place. Where the kernel can exchange two names in one step
    (Linux renameat2 RENAME_EXCHANGE), DIR is never missing, not even for an instant; elsewhere
    two renames, with the old DIR put back if the second fails. The old DIR ends in the staging
    names, which the staging's close removes."""
    if safefs.lstat(parent_fd, name) is None:
        os.rename(stage.tmp, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        return
    if _exchange(parent_fd, stage.tmp, name):
        return
    os.rename(name, stage.old, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
    try:
        os.rename(stage.tmp, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
    except OSError:
        os.rename(stage.old, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        raise


def _exchange(dir_fd: int, a: str, b: str) -> bool:
    return safefs.exchange(dir_fd, a, b)


def write_file(path: str, text: str, root: str | None = None) -> None:
    """Write one file atomically (a staged file beside it, then a rename); a symbolic link at
    `path` is replaced, never written through. `root` as for write_dir."""
    with _opened(path, root) as (parent_fd, name):
        found = safefs.lstat(parent_fd, name)
        if found is not None and stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        keep_mode = stat.S_IMODE(found.st_mode) if found is not None and stat.S_ISREG(found.st_mode) else None
        with safefs.staging(parent_fd, name) as stage:
            safefs.write_new(parent_fd, stage.tmp, text, mode=keep_mode)
            os.rename(stage.tmp, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)


def _reason(exc: OSError) -> str:
    return one_line(exc.strerror or type(exc).__name__)
