from __future__ import annotations

from kruise_render import api
from kruise_render.options import Options
from kruise_render.yaml.reader import Source

STREAM = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web}
spec: {replicas: two}
"""


def test_report_of_a_failed_run_says_nothing_was_written() -> None:
    result = api.render([Source("in.yaml", STREAM)], Options())
    assert not result.ok
    assert api.account(result) == [
        "in.yaml:1: ConfigMap/settings: not written (the run has errors)",
        "in.yaml:5: CloneSet/web: consumed: invalid",
    ]
