"""tools/gen_smp_schema.py on a small Go file: declaration order, inline structs, tags, omitempty."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "gen_smp_schema.py"

CORE = """package v1

type Pod struct {
\tmetav1.TypeMeta `json:",inline"`
\t// Standard object's metadata.
\tmetav1.ObjectMeta `json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"`
\tSpec PodSpec `json:"spec,omitempty"`
}

type PodTemplateSpec struct {
\tSpec PodSpec `json:"spec,omitempty"`
}

type PodSpec struct {
\tContainers []Container `json:"containers" patchStrategy:"merge" patchMergeKey:"name"`
\tPriority *int32 `json:"priority,omitempty"`
\tinternal string `json:"internal"`
\tSkipped string `json:"-"`
\tPolicy RestartPolicy `json:"restartPolicy,omitempty"`
}

type RestartPolicy string

type Container struct {
\tName string `json:"name"`
}
"""
META = """package v1

type TypeMeta struct {
\tKind string `json:"kind,omitempty"`
}

type ObjectMeta struct {
\tName string `json:"name,omitempty"`
}
"""
KRUISE = """package v1beta1

type SidecarContainer struct {
\tcorev1.Container `json:",inline"`
\tPodInjectPolicy string `json:"podInjectPolicy,omitempty"`
}
"""


def test_generated_table(tmp_path: Path) -> None:
    files = []
    for name, text in (("core.go", CORE), ("meta.go", META), ("kruise.go", KRUISE)):
        (tmp_path / name).write_text(text)
        files.append(str(tmp_path / name))
    out = subprocess.run([sys.executable, str(TOOL), "v0.0.1", "v9.9.9", *files], capture_output=True, text=True, check=True)
    (tmp_path / "schema.py").write_text(out.stdout)
    spec = importlib.util.spec_from_file_location("generated_schema", tmp_path / "schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    field = module.Field
    assert module.STRUCTS["Pod"] == {"kind": field("string", "", "", True), "metadata": field("ObjectMeta", "", "", True),
                                     "spec": field("PodSpec", "", "", True)}
    assert module.STRUCTS["PodSpec"] == {
        "containers": field("[]Container", "merge", "name", False),
        "priority": field("*int32", "", "", True),
        "restartPolicy": field("RestartPolicy", "", "", True),
    }
    assert list(module.STRUCTS["SidecarContainer"]) == ["name", "podInjectPolicy"]
    assert module.ALIASES == {"RestartPolicy": "string"}
    assert "v0.0.1" in module.__doc__ and "v9.9.9" in module.__doc__


def test_wrong_arguments_print_the_usage() -> None:
    out = subprocess.run([sys.executable, str(TOOL), "v0.32.10"], capture_output=True, text=True)
    assert out.returncode == 1 and "Usage:" in out.stderr
