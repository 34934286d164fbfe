"""Output is whole or the run fails (exit 1, one line), in every command, under the faults that
used to truncate it with exit 0: a full disk, /dev/full, a non-blocking pipe, a closed pipe.
Each is a real run of the command line; with and without PYTHONUNBUFFERED=1 (under it,
sys.stdout.buffer is a raw FileIO whose short writes nobody checked)."""
from __future__ import annotations

import contextlib
import fcntl
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kruise_render import fdio
from tests.conftest import ROOT, run_cli

MODES = [pytest.param({}, id="buffered"), pytest.param({"PYTHONUNBUFFERED": "1"}, id="unbuffered")]


def _big_input(path: Path, count: int = 3000) -> Path:
    """~600 KB of ConfigMaps: far more than a pipe buffer (64 KiB) or the small tmpfs below."""
    docs = [f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: {'v' * 150}\n" for i in range(count)]
    path.write_text("---\n".join(docs))
    return path


def _deployments(path: Path, count: int = 1500) -> Path:
    """Pod templates for `explain`, whose report lists each one."""
    docs = [f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  selector: {{matchLabels: {{app: d{i}}}}}\n"
            f"  template:\n    metadata: {{labels: {{app: d{i}}}}}\n    spec: {{containers: [{{name: c, image: nginx}}]}}\n"
            for i in range(count)]
    path.write_text("---\n".join(docs))
    return path


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONUNBUFFERED", None)
    env.update(extra)
    return env


def _spawn(args: list[str], stdout: int, extra: dict[str, str], stdin: int | None = None,
           cwd: Path | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kruise_render", *args],
                            stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=stdout,
                            stderr=subprocess.PIPE, env=_env(extra), cwd=cwd)


def _expected(args: list[str], cwd: Path | None = None) -> bytes:
    result = run_cli(*args, cwd=cwd)
    assert result.code == 0, result.err
    return result.stdout_bytes


def _check_repo(tmp_path: Path) -> Path:
    """A repository whose committed output is stale, so `check` prints a large diff."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    _big_input(repo / "in.yaml")
    (repo / "out.yaml").write_text("stale: true\n")
    (repo / ".kruise-render.yaml").write_text("targets:\n- {source: in.yaml, output: out.yaml}\n")
    return repo


def _commands(tmp_path: Path) -> dict[str, tuple[list[str], Path | None]]:
    big = str(_big_input(tmp_path / "big.yaml"))
    return {
        "render": (["render", big], None),
        "render-json": (["render", "--format", "json", big], None),
        "argocd-generate": (["argocd-generate", big], None),
        "explain": (["explain", "--format", "json", str(_deployments(tmp_path / "deployments.yaml"))], None),
        "check": (["check"], _check_repo(tmp_path)),
        "version": (["version"], None),
        "help": (["render", "--help"], None),
    }


COMMANDS = ["render", "render-json", "argocd-generate", "explain", "check", "version", "help"]


@pytest.mark.parametrize("extra", MODES)
@pytest.mark.parametrize("command", COMMANDS)
def test_dev_full_fails_with_one_line(tmp_path: Path, command: str, extra: dict[str, str]) -> None:
    args, cwd = _commands(tmp_path)[command]
    with open("/dev/full", "wb") as full:
        proc = _spawn(args, full.fileno(), extra, cwd=cwd)
        _, err = proc.communicate(timeout=120)
    lines = err.decode().splitlines()
    assert proc.returncode == 1, err
    assert lines[-1] == "kruise-render: stdout: cannot write: No space left on device (the output is incomplete)"
    assert "Traceback" not in err.decode() and "Exception ignored" not in err.decode()


@pytest.mark.parametrize("extra", MODES)
def test_fn_to_dev_full(tmp_path: Path, extra: dict[str, str]) -> None:
    items = "".join(f"- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: c{i}}}\n  data: {{k: {'v' * 100}}}\n"
                    for i in range(2000))
    resource_list = f"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{items}".encode()
    with open("/dev/full", "wb") as full:
        proc = _spawn(["fn"], full.fileno(), extra, stdin=subprocess.PIPE)
        _, err = proc.communicate(resource_list, timeout=120)
    assert proc.returncode == 1 and err.decode().endswith("cannot write: No space left on device (the output is incomplete)\n")


@contextlib.contextmanager
def _nonblocking_pipe() -> Iterator[tuple[int, int]]:
    read_end, write_end = os.pipe()
    try:
        yield read_end, write_end
    finally:
        for fd in (read_end, write_end):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.mark.parametrize("extra", MODES)
@pytest.mark.parametrize("command", ["render", "argocd-generate", "explain", "check"])
def test_non_blocking_pipe_with_a_slow_reader_gets_everything(tmp_path: Path, command: str, extra: dict[str, str]) -> None:
    args, cwd = _commands(tmp_path)[command]
    expected = run_cli(*args, cwd=cwd).stdout_bytes
    assert len(expected) > 4 * 65536
    with _nonblocking_pipe() as (read_end, write_end):
        fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
        proc = _spawn(args, write_end, extra, cwd=cwd)
        os.close(write_end)
        time.sleep(1.0)  # the child fills the pipe and meets EAGAIN long before anyone reads
        received = bytearray()
        with os.fdopen(read_end, "rb", closefd=False) as reader:
            while chunk := reader.read1(4096):
                received += chunk
                time.sleep(0.0005)
        err = proc.stderr.read() if proc.stderr else b""
        proc.wait(timeout=120)
    assert bytes(received) == expected, (len(received), len(expected), err)
    assert proc.returncode == (1 if command == "check" else 0), err  # check: 1 = stale, as the diff says


@pytest.mark.parametrize("extra", MODES)
def test_a_closed_pipe_fails_with_one_line(tmp_path: Path, extra: dict[str, str]) -> None:
    big = str(_big_input(tmp_path / "big.yaml"))
    with _nonblocking_pipe() as (read_end, write_end):
        os.close(read_end)
        proc = _spawn(["render", big], write_end, extra)
        os.close(write_end)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err.decode() == ("kruise-render: stdout: cannot write: Broken pipe "
                            "(the reader closed the pipe before the output was complete)\n")


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 128 KiB tmpfs: a real full disk (mount needs root; skipped with the reason otherwise)."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        reason = mounted.stderr.strip() if mounted is not None else "not running as root"
        pytest.skip(f"cannot mount a small tmpfs here to fill a disk: {reason}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


@pytest.mark.parametrize("extra", MODES)
def test_full_disk_fails_and_says_the_output_is_incomplete(tmp_path: Path, small_tmpfs: Path, extra: dict[str, str]) -> None:
    big = str(_big_input(tmp_path / "big.yaml"))
    with open(small_tmpfs / "out.yaml", "wb") as out:
        proc = _spawn(["render", big], out.fileno(), extra)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err.decode() == "kruise-render: stdout: cannot write: No space left on device (the output is incomplete)\n"
    assert 0 < (small_tmpfs / "out.yaml").stat().st_size < len(_expected(["render", big]))


@pytest.mark.parametrize("extra", MODES)
def test_non_blocking_stdin_is_read_to_its_end(tmp_path: Path, extra: dict[str, str]) -> None:
    data = _big_input(tmp_path / "big.yaml").read_bytes()
    expected = _expected(["render", str(tmp_path / "big.yaml")])
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    proc = _spawn(["render", "-"], subprocess.PIPE, extra, stdin=read_end)
    os.close(read_end)
    with os.fdopen(write_end, "wb") as writer:
        for start in range(0, len(data), 50_000):  # the child finds the pipe empty in between
            writer.write(data[start:start + 50_000])
            writer.flush()
            time.sleep(0.05)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out == expected


def test_write_handles_short_writes_and_streams_without_descriptors() -> None:
    class Trickle(io.RawIOBase):
        """Takes at most 7 bytes a call, like a raw stream on a nearly full disk."""

        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            chunk = bytes(data)[:7]  # type: ignore[call-overload]
            self.data += chunk
            return len(chunk)

    sink = Trickle()
    fdio.write(sink, "é" * 1000)  # type: ignore[arg-type]
    assert bytes(sink.data) == ("é" * 1000).encode()


def test_read_limited_stops_after_the_limit() -> None:
    with open("/dev/zero", "rb") as zero:
        assert len(fdio.read_limited(zero, 1000)) == 1001
    assert fdio.read_limited(io.BytesIO(b"abc"), 10) == b"abc"


def test_stdout_stand_in_still_says_whether_it_is_a_terminal() -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        code = ("import sys\nfrom kruise_render import fdio\nwith fdio.whole_stdout():\n"
                "    sys.stderr.write(str(sys.stdout.isatty()))\n")
        proc = subprocess.run([sys.executable, "-c", code], stdout=follower, stderr=subprocess.PIPE, env=_env({}),
                              timeout=30)
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.stderr == b"True"
