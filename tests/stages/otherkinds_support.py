"""Rendering YAML text in-process, for the stage tests of issue 6 (fast: no subprocess)."""
from __future__ import annotations

import dataclasses
from typing import Any

from kruise_render import api
from kruise_render.diagnostics import Severity
from kruise_render.options import Options
from kruise_render.yaml.reader import Source

# A UnitedDeployment with one subset, for the stage tests that need one to create objects.
UNITED = """\
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata: {name: shop, namespace: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    deploymentTemplate:
      metadata: {labels: {app: shop}}
      spec:
        template:
          metadata: {labels: {app: shop}}
          spec: {containers: [{name: main, image: shop:1}]}
  topology:
    subsets:
    - name: zone-a
"""


@dataclasses.dataclass
class Rendered:
    objects: list[dict[str, Any]]
    errors: list[str]
    warnings: list[str]


def render(text: str, **options: Any) -> Rendered:
    result = api.render([Source("in.yaml", text)], Options(**options))
    return Rendered(
        objects=[doc.data for doc in result.documents],
        errors=[d.format() for d in result.problems if d.severity is Severity.ERROR],
        warnings=[d.format() for d in result.problems if d.severity is Severity.WARNING],
    )


def kinds(rendered: Rendered) -> list[str]:
    return [f"{o['kind']}/{o['metadata']['name']}" for o in rendered.objects]
