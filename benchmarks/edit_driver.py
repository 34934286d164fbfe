"""The render pipeline with half of the workloads edited as SidecarSet injection edits them.

Run by bench.py as a child process: `python benchmarks/edit_driver.py DIR > out.yaml`. Every
workload labelled `sidecar.example.com/inject` gets a pod-template annotation, an appended
container and a volume, is marked changed, and the stream is written through the real writer
(so `edit.rewrite` does the work). One JSON line on stderr says how many documents were edited,
how long writing took and how many edits fell back to the ruamel round trip.
"""
from __future__ import annotations

import json
import sys
import time

from kruise_render import api
from kruise_render.k8s import podtemplate
from kruise_render.options import Options
from kruise_render.yaml import edit, gcpause, reader

LABEL = "sidecar.example.com/inject"


def inject(data: dict) -> bool:
    """Add what a SidecarSet would add to every pod template of `data`; False if none matched."""
    touched = False
    for ref in podtemplate.pod_templates(data):
        sidecar = ref.labels.get(LABEL)
        if not sidecar:
            continue
        meta, spec = podtemplate.ensure_template_parts(ref.template)
        meta.setdefault("annotations", {})["bench.example.com/edited"] = sidecar
        spec.setdefault("containers", []).append({
            "name": f"bench-{sidecar}",
            "image": f"registry.example.com/infra/{sidecar}:2.1",
            "env": [{"name": "IS_INJECTED", "value": "true"}],
            "volumeMounts": [{"name": f"{sidecar}-config", "mountPath": f"/etc/{sidecar}"}],
        })
        spec.setdefault("volumes", []).append({"name": f"{sidecar}-config", "configMap": {"name": f"{sidecar}-config"}})
        touched = True
    return touched


def main(paths: list[str]) -> int:
    options = Options()
    sources, problems = api.read(paths, options)
    with gcpause.paused():  # as api.render does
        documents, more = reader.read_documents(sources, options.limits)
    edited = 0
    for doc in documents:
        if inject(doc.data):
            doc.mark_changed("bench: sidecar-like edit")
            edited += 1
    result = api.render_documents(documents, options, [*problems, *more])
    if not result.ok:
        print("\n".join(str(d) for d in result.problems), file=sys.stderr)
        return 1
    fallbacks = 0
    original = edit._roundtrip_rewrite

    def counting(raw: str, data: dict) -> str:
        nonlocal fallbacks
        fallbacks += 1
        return original(raw, data)

    edit._roundtrip_rewrite = counting
    start = time.perf_counter()
    text = result.stream()
    write_s = time.perf_counter() - start
    sys.stdout.buffer.write(text.encode("utf-8"))
    print(json.dumps({"edited": edited, "write_s": write_s, "fallbacks": fallbacks}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
