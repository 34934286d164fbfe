"""Output safety of `-o DIR` and single-file writes: never outside DIR, all or nothing,
DIR untouched on any error (docs/trust-model.md, "Writing")."""
from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kruise_render.diagnostics import RenderError
from kruise_render.yaml import writer
from tests.conftest import run_cli

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{ns}data:\n  a: b\n"


def configmap(name: str, namespace: str | None = None) -> str:
    return CM.format(name=name, ns=f"  namespace: {namespace}\n" if namespace else "")


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under root: file contents, link targets, directories."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(dirpath) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "dir"
    return found


def assert_refused(tmp_path: Path, message: str, *inputs: str, output: str = "out") -> None:
    """`render INPUTS -o OUTPUT` fails with `message` and changes nothing under tmp_path."""
    if not inputs:
        (tmp_path / "in.yaml").write_text(configmap("x", "default"))
        inputs = ("in.yaml",)
    before = snapshot(tmp_path)
    result = run_cli("render", *inputs, "-o", output, cwd=tmp_path)
    assert result.code == 1 and message in result.err and "Traceback" not in result.err, result.err
    assert result.out == ""
    assert snapshot(tmp_path) == before


def test_hostile_names_stay_inside_the_directory(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    stream = "---\n".join([
        configmap('"../../escaped"'),
        configmap('"a/b/c"', '"../.."'),
        configmap('"nul\\0byte"'),
        configmap("n" * 300, "s" * 300),
        configmap('".."', '"."'),
        configmap("x", '"namespace-a.yaml"'),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a.yaml\n",
    ])
    (work / "in.yaml").write_text(stream)
    result = run_cli("render", "in.yaml", "-o", "out", cwd=work)
    assert result.code == 0, result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert sorted(p.name for p in work.iterdir()) == ["in.yaml", "out"]
    written = [p for p in (work / "out").rglob("*") if p.is_file()]
    assert len(written) == 7
    for path in written:
        assert len(path.name.encode()) <= 255 and "\0" not in str(path)
        assert path.resolve().is_relative_to((work / "out").resolve())


def test_symlink_planted_inside_dir_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "default").symlink_to(outside)
    (out / "configmap-x.yaml").symlink_to(outside / "secret.yaml")
    assert_refused(tmp_path, "refusing to replace")


def test_dir_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real")
    assert_refused(tmp_path, "symbolic link")


def test_render_error_leaves_dir_untouched(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(configmap("x"))
    assert run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path).code == 0
    before = snapshot(tmp_path)
    (tmp_path / "in.yaml").write_text(configmap("y") + "metadata: {}\n")  # duplicate key
    result = run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path)
    assert result.code == 1 and result.err.startswith("in.yaml:7: duplicate key")
    snapshot_after = snapshot(tmp_path)
    del before["in.yaml"], snapshot_after["in.yaml"]
    assert snapshot_after == before


def test_replacing_is_whole_and_leaves_no_staging(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(configmap("x") + "---\n" + configmap("w", "ns"))
    assert run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path).code == 0
    assert sorted(snapshot(tmp_path / "out")) == ["configmap-x.yaml", "ns", "ns/configmap-w.yaml"]
    (tmp_path / "in.yaml").write_text(configmap("z"))
    assert run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path).code == 0
    assert sorted(snapshot(tmp_path / "out")) == ["configmap-z.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.yaml", "out"]


def _libc_has_renameat2() -> bool:
    try:
        return sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "renameat2")
    except OSError:
        return False


def test_replacing_never_leaves_dir_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel can exchange two names, the old DIR is never renamed away."""
    if not _libc_has_renameat2():
        pytest.skip("no renameat2 here (not Linux, or an old C library)")
    writer.write_dir(str(tmp_path / "out"), {"configmap-x.yaml": "a: 1\n"})
    moved: list[str] = []
    real_rename = os.rename
    monkeypatch.setattr(os, "rename", lambda a, b: (moved.append(str(a)), real_rename(a, b)))
    writer.write_dir(str(tmp_path / "out"), {"configmap-y.yaml": "b: 2\n"})
    assert str(tmp_path / "out") not in moved
    assert sorted(snapshot(tmp_path / "out")) == ["configmap-y.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_replacing_without_exchange_falls_back_to_two_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_exchange", lambda *args: False)
    writer.write_dir(str(tmp_path / "out"), {"configmap-x.yaml": "a: 1\n"})
    writer.write_dir(str(tmp_path / "out"), {"ns/configmap-y.yaml": "b: 2\n"})
    assert snapshot(tmp_path / "out") == {"ns": "dir", "ns/configmap-y.yaml": b"b: 2\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("output", ["/proc/kruise-render-test/out", "in.yaml/out"])
def test_unwritable_location_is_a_clean_error(tmp_path: Path, output: str) -> None:
    (tmp_path / "in.yaml").write_text(configmap("x"))
    before = snapshot(tmp_path)
    result = run_cli("render", "in.yaml", "-o", output, cwd=tmp_path)
    assert result.code == 1, result.err
    assert result.err.startswith(f"kruise-render: {output}: cannot write") and "Traceback" not in result.err
    assert result.out == "" and snapshot(tmp_path) == before


@pytest.mark.parametrize("inputs,output", [(["src"], "src"), (["src/in.yaml"], "src"), (["src"], ".")])
def test_inputs_are_never_replaced(tmp_path: Path, inputs: list[str], output: str) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "in.yaml").write_text(configmap("x"))
    assert_refused(tmp_path, "refusing to replace", *inputs, output=output)


def test_foreign_files_are_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "README.md").write_text("mine\n")
    assert_refused(tmp_path, "README.md")


def test_write_dir_refuses_names_that_escape(tmp_path: Path) -> None:
    for name in ("../x.yaml", "a/../../x.yaml", "/etc/x.yaml", "a\0b.yaml"):
        with pytest.raises(RenderError):
            writer.write_dir(str(tmp_path / "out"), {name: "x\n"})
    assert list(tmp_path.iterdir()) == []


def test_write_file_replaces_a_symlink_instead_of_writing_through_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    (tmp_path / "out.yaml").symlink_to(victim)
    writer.write_file(str(tmp_path / "out.yaml"), "new\n")
    assert victim.read_text() == "keep\n"
    assert not (tmp_path / "out.yaml").is_symlink() and (tmp_path / "out.yaml").read_text() == "new\n"


def test_write_file_error_is_a_render_error_and_leaves_no_temp(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(RenderError, match="cannot write"):
        writer.write_file(str(tmp_path / "dir"), "x\n")
    assert [p.name for p in tmp_path.iterdir()] == ["dir"]


_KILLED_WRITER = """
import os, signal, sys
from kruise_render import safefs
parent = safefs.open_dir(sys.argv[1])
stage = safefs.Staging(parent, "out")
os.mkdir(stage.tmp, dir_fd=parent)
half = safefs.open_below(parent, [stage.tmp])
safefs.write_new(half, "configmap-half.yaml", "half: written\\n")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(configmap("x"))
    assert run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path).code == 0
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(tmp_path)], env=env, check=False)
    assert killed.returncode == -9
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert len(hidden) == 2 and hidden[0].endswith(".lock") and hidden[1].endswith(".tmp")
    assert run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.yaml", "out"]
    assert sorted(snapshot(tmp_path / "out")) == ["configmap-x.yaml"]


def test_a_live_run_s_staging_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(configmap("x"))
    from kruise_render import safefs

    parent = safefs.open_dir(str(tmp_path))
    try:
        with safefs.staging(parent, "out") as live:  # this process holds its lock
            os.mkdir(live.tmp, dir_fd=parent)
            assert run_cli("render", "in.yaml", "-o", "out", cwd=tmp_path).code == 0
            assert (tmp_path / live.tmp).is_dir() and (tmp_path / live.lock).exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.yaml", "out"]
    finally:
        os.close(parent)


def test_a_full_disk_leaves_dir_as_it_was(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True,
                             text=True, check=False) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip() if mounted else 'not root'}")
    try:
        (mount / "in.yaml").write_text(configmap("x"))
        assert run_cli("render", "in.yaml", "-o", "out", cwd=mount).code == 0
        before = snapshot(mount / "out")
        big = "---\n".join(configmap(f"c{i}") for i in range(3000))
        (tmp_path / "big.yaml").write_text(big)
        result = run_cli("render", str(tmp_path / "big.yaml"), "-o", "out", cwd=mount)
        assert result.code == 1 and "No space left on device" in result.err and "left as it was" in result.err
        assert len(result.err.splitlines()) == 1
        assert snapshot(mount / "out") == before
        assert sorted(p.name for p in mount.iterdir()) == ["in.yaml", "out"]
    finally:
        subprocess.run(["umount", str(mount)], check=False)
