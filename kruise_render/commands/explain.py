"""`kruise-render explain`: for every pod template, every SidecarSet, matched or not and why.

Runs the pipeline's stages that come before `sidecarset` (so UnitedDeployment subsets and
converted workloads are explained as the SidecarSet stage will see them), then asks the very
matcher the stage uses (kruise_render/sidecarset/match.py). Nothing is injected or written.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

from kruise_render import api, fdio, pipeline
from kruise_render.commands.output import print_problems
from kruise_render.context import Context
from kruise_render.diagnostics import one_line
from kruise_render.document import Document
from kruise_render.options import Options
from kruise_render.sidecarset import plan
from kruise_render.yaml import reader
from kruise_render.yaml.positions import line_of


def run(paths: Sequence[str], options: Options, fmt: str = "text", quiet: bool = False) -> int:
    sources, problems = api.read(paths, options)
    documents, read_problems = reader.read_documents(sources, options.limits)
    ctx = Context(options=options, problems=[*problems, *read_problems])
    before = tuple(itertools.takewhile(lambda stage: stage[0] != "sidecarset", pipeline.STAGES))
    documents = pipeline.run(documents, ctx, before)
    sidecarsets, _ = plan.load_sidecarsets(documents, ctx)
    report = [_record(item) for item in plan.templates(documents, sidecarsets, ctx)]
    print_problems(ctx.problems, quiet)
    names = sorted(s.name for s in sidecarsets)
    if fmt == "json":
        fdio.write_stdout(json.dumps({"sidecarSets": names, "podTemplates": report}, indent=2) + "\n")
    else:
        fdio.write_stdout(_text(names, report))
    return 1 if ctx.failed or problems else 0


def _record(item: plan.Template) -> dict[str, Any]:
    doc: Document = item.doc
    source = doc.input
    ident = doc.id
    return {
        "object": {"apiVersion": ident.api_version, "kind": ident.kind, "namespace": ident.namespace, "name": ident.name},
        "file": source.origin.file,
        "line": line_of(doc, item.ref.path) if doc is source else source.origin.line,
        "path": ".".join(item.ref.path),
        "namespace": item.namespace,
        "labels": {str(k): str(v) for k, v in item.ref.labels.items()},
        "injectionOrder": [s.name for s in item.matched],
        "sidecarSets": [{"name": v.sidecarset.name, "matched": v.matched, "reason": v.reason, "detail": v.detail}
                        for v in item.verdicts],
    }


def _text(names: list[str], report: list[dict[str, Any]]) -> str:
    if not names:
        return "no valid SidecarSet in the input: nothing would be injected\n"
    if not report:
        return one_line(f"no pod template in the input (SidecarSets: {', '.join(names)})") + "\n"
    lines: list[str] = []
    for rec in report:
        obj = rec["object"]
        where = f"{obj['namespace']}/" if obj["namespace"] else ""
        path = rec["path"] or "(the Pod itself)"
        lines.append(f"{rec['file']}:{rec['line']}: {obj['kind']}/{where}{obj['name']} {path} "
                     f"(pod namespace {rec['namespace']})")
        for verdict in rec["sidecarSets"]:
            state = "matched    " if verdict["matched"] else "not matched"
            lines.append(f"  {state}  {verdict['name']}: {verdict['detail']}")
        order = ", ".join(rec["injectionOrder"]) or "nothing"
        lines.append(f"  injects: {order}")
    return "\n".join(one_line(line) for line in lines) + "\n"  # names from the input: escaped, one per line
