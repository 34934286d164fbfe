"""Whole reads and whole writes on file descriptors, whatever mode they are in.

Every manifest kruise-render prints goes through `write`, and every stream it reads to its end
(stdin, a KRM ResourceList) through `read_limited`, because the usual Python calls lose data
silently in the environments that matter:

- `sys.stdout.buffer` is a raw FileIO under `PYTHONUNBUFFERED=1` (usual in containers): its
  `write` may write part of the data and return the count, which nobody checks, so a full disk
  left 442,368 of 613,780 bytes with exit 0, and `render > f && kubectl apply --prune` deleted
  what was missing.
- A non-blocking pipe (the parent set O_NONBLOCK) raises EAGAIN when full, and on reading returns
  None or part of the data before the writer is done.

So: `write` loops until every byte is written, waits with poll() while a non-blocking descriptor
is full, and turns every failure (ENOSPC, EPIPE, EIO, /dev/full) into an OutputError, a
RenderError the command line reports in one line with exit code 1. `read_limited` reads to the end
of the stream, waiting where the stream is non-blocking, and never more than a limit.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import select
import sys
from collections.abc import Iterator
from typing import IO, Any

from kruise_render.diagnostics import RenderError, one_line

_CHUNK = 1 << 20  # text is encoded a chunk at a time: never a second copy of the whole output


class OutputError(RenderError):
    """Output could not be written completely; the message names the stream and the reason."""


class InputError(RenderError):
    """A stream could not be read to its end."""


def write(stream: IO[bytes] | IO[str] | int, data: str | bytes, name: str = "stdout") -> None:
    """All of `data` on `stream` (a descriptor, or a file object), or OutputError."""
    fd = _fileno(stream)
    try:
        if not isinstance(stream, int):
            stream.flush()  # anything buffered before goes first
        if isinstance(data, bytes):
            _write_bytes(stream, fd, data)
            return
        for start in range(0, len(data), _CHUNK):
            _write_bytes(stream, fd, data[start:start + _CHUNK].encode("utf-8"))
    except OSError as exc:
        raise OutputError(_describe(exc, name)) from None


def write_stdout(data: str | bytes) -> None:
    """`write` to this process's standard output, whatever currently stands in for it."""
    stream: Any = sys.stdout
    write(getattr(stream, "buffer", stream), data)


def _write_bytes(stream: IO[Any] | int, fd: int | None, data: bytes) -> None:
    view = memoryview(data)
    while view:
        if fd is None:
            assert not isinstance(stream, int)
            written = stream.write(view)
            if written is None:  # a non-blocking buffered stream that took nothing
                raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        else:
            try:
                written = os.write(fd, view)
            except BlockingIOError:
                _wait(fd, reading=False)
                continue
        if written <= 0:
            raise OSError(errno.EIO, "the stream took no bytes")
        view = view[written:]


def read_limited(stream: IO[bytes] | int, limit: int) -> bytearray:
    """The stream's bytes up to its end, or the first `limit` + 1 bytes (so the caller sees it is
    too large without reading on: `/dev/zero` stops). Waits where the stream is non-blocking.

    A stream with a descriptor is read from the descriptor itself (nothing has read from it
    before): a buffered reader over a non-blocking descriptor returns None or part of the data."""
    fd = _fileno(stream)
    data = bytearray()  # grown in place: never a second copy of everything read
    while len(data) <= limit:
        want = min(_CHUNK, limit + 1 - len(data))
        try:
            if fd is not None:
                chunk: bytes | None = os.read(fd, want)
            else:
                assert not isinstance(stream, int)
                chunk = stream.read(want)
        except BlockingIOError:
            chunk = None
        except OSError as exc:
            raise InputError(f"cannot read: {one_line(exc.strerror or str(exc))}") from None
        if chunk is None:  # non-blocking, no data yet
            if fd is None:
                raise InputError("cannot read: the stream is non-blocking and has no descriptor to wait on")
            _wait(fd, reading=True)
            continue
        if not chunk:
            break
        data += chunk
    return data


def _fileno(stream: IO[Any] | int) -> int | None:
    if isinstance(stream, int):
        return stream
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def _wait(fd: int, reading: bool) -> None:
    """Block until `fd` is ready (poll where there is one, select elsewhere); an error or hang-up
    is then reported by the next read or write itself."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN if reading else select.POLLOUT)
        poller.poll()
        return
    select.select([fd] if reading else [], [] if reading else [fd], [fd])


def _describe(exc: OSError, name: str) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno == errno.EPIPE:
        reason += " (the reader closed the pipe before the output was complete)"
    elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        reason += " (the output is incomplete)"
    return one_line(f"{name}: cannot write: {reason}")


class _WholeWriter(io.RawIOBase):
    """A raw stream over a descriptor whose every write is whole (or raises OutputError): what
    stands behind sys.stdout while a command runs, so that click's help and anything else
    printed on stdout gets the guarantee manifests get."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:  # colours on a terminal still follow the real stdout
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        payload = bytes(data)
        write(self._fd, payload)
        return len(payload)


@contextlib.contextmanager
def whole_stdout() -> Iterator[None]:
    """sys.stdout replaced, for the duration, by one whose writes are whole or raise OutputError
    (written through at once: nothing is left for interpreter exit to flush and fail on).
    Left alone when stdout has no descriptor (a test capturing it)."""
    original = sys.stdout
    fd = _fileno(original) if original is not None else None
    if fd is None:
        yield
        return
    with contextlib.suppress(OSError, ValueError):
        original.flush()
    raw: Any = _WholeWriter(fd)  # a raw stream below the text layer, as under python -u
    replacement = io.TextIOWrapper(raw, encoding=original.encoding, errors=original.errors,
                                   line_buffering=bool(original.line_buffering), write_through=True)
    sys.stdout = replacement
    try:
        yield
    finally:
        sys.stdout = original
        with contextlib.suppress(Exception):
            replacement.detach()
