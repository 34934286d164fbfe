"""`kruise-render explain`: for every pod template, every SidecarSet, matched or not and why, and
where each SidecarSet came from, input or context (api.explain); this module only writes it as
text or JSON."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kruise_render import Explanation, Options, PodTemplate, SidecarSetSource, api, one_line
from kruise_render.commands.output import print_problems, print_text


def run(paths: Sequence[str], options: Options, fmt: str = "text", quiet: bool = False) -> int:
    explanation = api.explain(paths, options)
    print_problems(explanation.problems, quiet)
    print_text(_json(explanation) if fmt == "json" else _text(explanation))
    return 0 if explanation.ok else 1


def _json(explanation: Explanation) -> str:
    report = [_record(template) for template in explanation.templates]
    sources = [_source(source) for source in explanation.sources]
    return json.dumps({"sidecarSets": explanation.sidecarsets, "sidecarSetSources": sources, "podTemplates": report},
                      indent=2) + "\n"


def _source(source: SidecarSetSource) -> dict[str, Any]:
    return {"name": source.name, "source": "context" if source.context else "input", "file": source.file,
            "line": source.line}


def _record(template: PodTemplate) -> dict[str, Any]:
    ident = template.object
    return {
        "object": {"apiVersion": ident.api_version, "kind": ident.kind, "namespace": ident.namespace, "name": ident.name},
        "file": template.file,
        "line": template.line,
        "path": ".".join(template.path),
        "namespace": template.namespace,
        "labels": template.labels,
        "injectionOrder": template.injection_order,
        "sidecarSets": [{"name": v.sidecarset, "matched": v.matched, "reason": v.reason, "detail": v.detail}
                        for v in template.verdicts],
    }


def _text(explanation: Explanation) -> str:
    names = explanation.sidecarsets
    if not names:
        return "no valid SidecarSet in the input or the context: nothing would be injected\n"
    if not explanation.templates:
        return one_line(f"no pod template in the input (SidecarSets: {', '.join(names)})") + "\n"
    lines = [f"SidecarSet {source.name}: {'context' if source.context else 'input'} {source.file}:{source.line}"
             for source in explanation.sources]
    for template in explanation.templates:
        ident = template.object
        where = f"{ident.namespace}/" if ident.namespace else ""
        path = ".".join(template.path) or "(the Pod itself)"
        lines.append(f"{template.file}:{template.line}: {ident.kind}/{where}{ident.name} {path} "
                     f"(pod namespace {template.namespace})")
        for verdict in template.verdicts:
            state = "matched    " if verdict.matched else "not matched"
            lines.append(f"  {state}  {verdict.sidecarset}: {verdict.detail}")
        order = ", ".join(template.injection_order) or "nothing"
        lines.append(f"  injects: {order}")
    return "\n".join(one_line(line) for line in lines) + "\n"  # names from the input: escaped, one per line
