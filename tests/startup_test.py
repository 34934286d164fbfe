"""Start-up: a run imports only what it needs (docs/performance.md, "Start-up").

The kustomize plugin, the KRM function, the Argo CD plugin and pre-commit start kruise-render
once per app, per build, per sync, so import time is most of a real run. Each case runs the real
command line in a fresh interpreter and lists the modules it ended with.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

# Imported only on the paths that need them: jsonschema when the fast schema check rejects an
# object, ruamel when the splicer declines an edit, re2 when the input has a regex,
# kubernetes-validate with --validate-output.
HEAVY = ("jsonschema", "ruamel", "re2", "kubernetes_validate")

_PROBE = """
import json, sys
from kruise_render.launch import main
try:
    code = main(sys.argv[1:])
finally:
    sys.stdout.flush()
    sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


def _modules(*args: str, stdin: str = "", cwd: Path | None = None) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], input=stdin.encode(), capture_output=True,
                          env=env, cwd=cwd, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return set(json.loads(proc.stderr.decode().rstrip("\n").rsplit("\n", 1)[-1]))


def _loaded(modules: set[str], *roots: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in roots)


def _stages(modules: set[str]) -> set[str]:
    return {m.rpartition(".")[2] for m in modules if m.startswith("kruise_render.stages.")}


NATIVE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
"""


def test_a_render_of_native_objects_loads_no_heavy_module_and_one_stage() -> None:
    modules = _modules("render", "-", stdin=NATIVE)
    assert _loaded(modules, *HEAVY, "click") == []  # a plain render does not even parse options with click
    assert _stages(modules) == {"collisions"}  # nothing Kruise in the stream: no other stage has work
    assert not [m for m in modules if m.startswith(("hashlib", "ctypes", "tempfile", "shutil", "secrets"))]
    assert not [m for m in modules if m.startswith(("kruise_render.sidecarset", "kruise_render.uniteddeployment",
                                                    "kruise_render.validation", "kruise_render.diff",
                                                    "kruise_render.argocd"))]
    assert "kruise_render.yaml.roundtrip" not in modules


def test_the_quickstart_loads_only_the_stages_of_its_kinds() -> None:
    modules = _modules("render", str(FIXTURES / "quickstart" / "input"))
    assert _loaded(modules, *HEAVY, "click") == []  # valid objects, spliced edits, no regex
    stages = _stages(modules)
    assert {"validate", "sidecarset", "uniteddeployment", "cloneset", "collisions"} <= stages
    assert not stages & {"broadcastjob", "advancedcronjob", "resourcedistribution", "workloadspread",
                         "podunavailablebudget", "expectrendered"}


def test_version_loads_neither_yaml_nor_the_render() -> None:
    modules = _modules("version")
    assert _loaded(modules, "yaml", *HEAVY) == []
    render = ("kruise_render.api", "kruise_render.rendering", "kruise_render.pipeline", "kruise_render.stages",
              "kruise_render.yaml", "kruise_render.sidecarset", "kruise_render.validation", "kruise_render.diff",
              "kruise_render.argocd", "kruise_render.explanation", "kruise_render.targets", "kruise_render.document")
    assert [m for m in modules if m.startswith(render)] == []


def test_importing_the_package_loads_nothing_else() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", "import json, sys, kruise_render; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, env=env, check=True, timeout=60).stdout
    assert sorted(m for m in json.loads(out) if m.startswith("kruise_render")) == ["kruise_render", "kruise_render._version"]


def test_the_heavy_modules_still_load_where_they_are_needed(tmp_path: Path) -> None:
    """The guard above is not vacuous: each heavy module does load on its own path."""
    invalid = ("apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata:\n  name: c\n"
               "spec:\n  replicas: many\n")
    (tmp_path / "bad.yaml").write_text(invalid)
    proc = subprocess.run([sys.executable, "-c", _PROBE, "render", str(tmp_path / "bad.yaml")], capture_output=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert proc.returncode == 1
    assert "jsonschema" in json.loads(proc.stderr.decode().rstrip("\n").rsplit("\n", 1)[-1])
    flow = NATIVE.replace("labels: {app: web}\n    spec:", "labels: {app: web}\n      annotations: {a: b}\n    spec:")
    sidecar = ("---\napiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata:\n  name: s\nspec:\n"
               "  selector:\n    matchLabels: {app: web}\n  containers:\n  - name: s\n    image: s\n")
    assert "ruamel" in _loaded(_modules("render", "-", stdin=flow + sidecar), "ruamel")


_GC_PROBE = """
import gc, json, sys
from kruise_render.launch import main
seen = []
gc.callbacks.append(lambda phase, info: seen.append(gc.get_count()) if phase == "start" else None)
code = main(%s)
sys.stdout.flush()
sys.stderr.write("\\n" + json.dumps([gc.isenabled(), gc.get_freeze_count() > 0, len(seen)]) + "\\n")
sys.exit(code)
"""


def _gc_state(argv: str, *args: str) -> list[object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", _GC_PROBE % argv, *args], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return list(json.loads(proc.stderr.decode().rstrip("\n").rsplit("\n", 1)[-1]))


def test_the_cycle_collector_is_off_during_a_plain_render_and_back_after() -> None:
    """launch.py: no collection while the modules load and the render runs; the collector is on
    again afterwards, and only a process that is the command (argv None) freezes what is left."""
    quickstart = str(FIXTURES / "quickstart" / "input")
    assert _gc_state(repr(["render", quickstart])) == [True, False, 0]
    assert _gc_state("None", "render", quickstart) == [True, True, 0]


_DATACLASS_PROBE = """
import dataclasses, io, json, sys
from kruise_render.launch import main
sys.stdout = io.TextIOWrapper(io.BytesIO())
main(sys.argv[1:])
found = sorted(f"{name}.{cls}" for name, module in list(sys.modules.items()) if name.startswith("kruise_render")
               for cls, value in vars(module).items() if isinstance(value, type) and value.__module__ == name
               and dataclasses.is_dataclass(value))
sys.stderr.write("\\n" + json.dumps(found) + "\\n")
"""


def test_the_quickstart_creates_no_dataclass_but_the_public_ones() -> None:
    """Each dataclass costs about half a millisecond to create (record.py); the public classes
    stay dataclasses for callers who use `dataclasses` on them."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", _DATACLASS_PROBE, "render", str(FIXTURES / "quickstart" / "input")],
                          capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stderr.decode().rstrip("\n").rsplit("\n", 1)[-1]) == [
        "kruise_render.api.ResourceListResult", "kruise_render.codes.Code", "kruise_render.diagnostics.Problem",
        "kruise_render.options.Limits", "kruise_render.options.Options", "kruise_render.rendering.Result",
        "kruise_render.yaml.reader.Source"]
