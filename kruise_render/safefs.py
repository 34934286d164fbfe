"""File-system writes relative to opened directories: no symbolic link followed, no check-then-use.

Every write kruise-render makes (`render -o DIR`, `check --fix`) goes through here. A path is
checked once, by opening it: each directory is opened with O_NOFOLLOW relative to the one before
(`open_below`), and from then on every check and every write names entries relative to that
descriptor (`*at` calls: `dir_fd=`). A directory swapped for a symbolic link after the check
cannot send a write elsewhere, because the path is never looked up again.

Staging: a replacement is built in a hidden sibling, `.NAME.kr-TOKEN.tmp`, beside a lock file
`.NAME.kr-TOKEN.lock` that the writing process holds locked (flock) while it runs. A run killed
with SIGKILL leaves both behind; the next write of NAME finds the lock free (the kernel released
it with the process), recognises the staging as a dead run's and removes it (`clear_stale`).
A live run's lock is held, so two runs never remove each other's work.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence

from kruise_render import fdio
from kruise_render.diagnostics import RenderError, one_line

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_STAGING = re.compile(r"\.(?P<name>.+)\.kr-(?P<token>[0-9a-f]{16})\.(?P<suffix>tmp|old|lock)")


class UnsafePath(RenderError):
    """A path that would lead through a symbolic link or out of its directory."""


def open_dir(path: str) -> int:
    """A directory the operator named (links in it followed: it is theirs to choose)."""
    return os.open(path, _DIR)


def check_name(name: str) -> None:
    if name in ("", ".", "..") or "/" in name or "\0" in name or (os.altsep and os.altsep in name):
        raise UnsafePath(f"{one_line(repr(name))} is not a plain file name")


def open_below(root_fd: int, parts: Sequence[str], create: bool = False) -> int:
    """The directory root/parts[0]/parts[1]/…, each opened with O_NOFOLLOW relative to the one
    before (a symbolic link at any component is refused), created where missing if `create`."""
    fd = os.dup(root_fd)
    try:
        for part in parts:
            check_name(part)
            try:
                child = os.open(part, _DIR | _NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
                child = os.open(part, _DIR | _NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    kind = "a symbolic link" if is_link(fd, part) else "not a directory"
                    raise UnsafePath(f"{one_line(part)}: {kind}; kruise-render never writes through one") from None
                raise
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def is_link(dir_fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def lstat(dir_fd: int, name: str) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def write_new(dir_fd: int, name: str, text: str, mode: int | None = None) -> None:
    """A new file (never an existing one, never through a link), written whole (fdio); `mode`
    exactly (the mode of the file it replaces), else 0o666 less the umask."""
    check_name(name)
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=dir_fd)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        fdio.write(fd, text, name)
    finally:
        os.close(fd)


def remove_tree(dir_fd: int, name: str) -> None:
    """`rm -rf dir/name`: links removed, never followed; no recursion (one descriptor per level)."""
    chain = [(os.dup(dir_fd), name)]  # (descriptor of the directory holding it, name)
    while chain:
        holder, entry = chain[-1]
        try:
            fd = os.open(entry, _DIR | _NOFOLLOW, dir_fd=holder)
        except FileNotFoundError:
            fd = -1
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            os.unlink(entry, dir_fd=holder)  # a file or a link: the link itself goes
            fd = -1
        if fd >= 0:
            subdir = None
            with os.scandir(fd) as listing:
                for item in listing:
                    if item.is_dir(follow_symlinks=False):
                        subdir = subdir or item.name
                    else:
                        os.unlink(item.name, dir_fd=fd)
            if subdir is not None:
                chain.append((fd, subdir))
                continue
            os.close(fd)
            os.rmdir(entry, dir_fd=holder)
        os.close(holder)
        chain.pop()


class Staging:
    """A hidden sibling of `name` in `dir_fd` to build its replacement in, with its lock held."""

    def __init__(self, dir_fd: int, name: str) -> None:
        self.dir_fd = dir_fd
        self.name = name
        token = os.urandom(8).hex()  # secrets.token_hex(8), without importing secrets (hmac, OpenSSL) at start-up
        self.tmp = f".{name}.kr-{token}.tmp"
        self.old = f".{name}.kr-{token}.old"
        self.lock = f".{name}.kr-{token}.lock"
        self._lock_fd = os.open(self.lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | os.O_CLOEXEC, 0o600,
                                dir_fd=dir_fd)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)

    def close(self) -> None:
        """Remove whatever of the staging is left, then the lock."""
        try:
            for leftover in (self.tmp, self.old):
                remove_tree(self.dir_fd, leftover)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.lock, dir_fd=self.dir_fd)
        finally:
            os.close(self._lock_fd)


@contextlib.contextmanager
def staging(dir_fd: int, name: str) -> Iterator[Staging]:
    clear_stale(dir_fd, name)
    stage = Staging(dir_fd, name)
    try:
        yield stage
    finally:
        stage.close()


def clear_stale(dir_fd: int, name: str) -> list[str]:
    """Remove the staging of runs that died writing `name` (their lock is free); return what went."""
    removed = []
    with os.scandir(dir_fd) as listing:
        locks = [item.name for item in listing if (m := _STAGING.fullmatch(item.name))
                 and m.group("name") == name and m.group("suffix") == "lock"]
    for lock in locks:
        try:
            fd = os.open(lock, os.O_RDWR | _NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run
            base = lock[: -len(".lock")]
            for leftover in (base + ".tmp", base + ".old"):
                if lstat(dir_fd, leftover) is not None:
                    remove_tree(dir_fd, leftover)
                    removed.append(leftover)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock, dir_fd=dir_fd)
        finally:
            os.close(fd)
    return removed


_RENAME_EXCHANGE = 2


def exchange(dir_fd: int, a: str, b: str) -> bool:
    """Swap two names of one directory atomically (Linux renameat2 RENAME_EXCHANGE); False where
    this system or file system cannot, and the caller falls back to two renames."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only for a directory that is written

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc >= 2.28 / musl >= 1.2.3
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    renameat2.restype = ctypes.c_int
    if renameat2(dir_fd, os.fsencode(a), dir_fd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), b)

