"""How much the validate stage adds to a render (issue: under 10 %).

Generates a corpus of N documents of which ~5 % are Kruise objects (valid ones: the common case),
then times, in the same process and interleaved, the whole render (parse, stages, write) with the
validate stage and with it left out, and the stage alone. CPU time of this process, not wall
time, because the development machine is shared. Prints the best and the median of the repeats.

    python benchmarks/validation.py [--docs 5000] [--repeats 7]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kruise_render import pipeline
from kruise_render.context import Context
from kruise_render.options import Options
from kruise_render.stages import validate
from kruise_render.validation import schemas
from kruise_render.yaml import reader, writer

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{ns}
  labels:
    app: app-{i}
    tier: backend
spec:
  replicas: 3
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      containers:
        - name: main
          image: registry.example.com/app-{i}:1.{i}
          ports:
            - containerPort: 8080
          env:
            - name: MODE
              value: production
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: team-{ns}
spec:
  selector:
    app: app-{i}
  ports:
    - port: 80
      targetPort: 8080
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}-config
  namespace: team-{ns}
data:
  settings.yaml: |
    level: info
    threads: 4
"""
CLONESET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata:
  name: clone-{i}
  namespace: team-{ns}
spec:
  replicas: 4
  selector:
    matchLabels:
      app: clone-{i}
  template:
    metadata:
      labels:
        app: clone-{i}
    spec:
      containers:
        - name: main
          image: registry.example.com/clone-{i}:2.0
          env:
            - name: MODE
              value: production
  updateStrategy:
    type: ReCreate
    maxUnavailable: 20%
    maxSurge: 1
"""
SIDECARSET = """\
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata:
  name: sidecar-{i}
spec:
  selector:
    matchLabels:
      sidecar-{i}: enabled
  containers:
    - name: agent-{i}
      image: registry.example.com/agent:3
      podInjectPolicy: AfterAppContainer
      shareVolumePolicy:
        type: enabled
      volumeMounts:
        - name: agent-config
          mountPath: /etc/agent
  volumes:
    - name: agent-config
      configMap:
        name: agent-config
"""
UNITED = """\
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: united-{i}
  namespace: team-{ns}
spec:
  replicas: 6
  selector:
    matchLabels:
      app: united-{i}
  template:
    statefulSetTemplate:
      metadata:
        labels:
          app: united-{i}
      spec:
        serviceName: united-{i}
        selector:
          matchLabels:
            app: united-{i}
        template:
          metadata:
            labels:
              app: united-{i}
          spec:
            containers:
              - name: main
                image: registry.example.com/united:1
  topology:
    subsets:
      - name: zone-a
        nodeSelectorTerm:
          matchExpressions:
            - key: topology.kubernetes.io/zone
              operator: In
              values: [zone-a]
        replicas: 50%
      - name: zone-b
"""
NATIVE = (DEPLOYMENT, SERVICE, CONFIGMAP)
KRUISE = (CLONESET, SIDECARSET, UNITED)


def corpus(count: int) -> str:
    docs = []
    for i in range(count):
        template = KRUISE[(i // 20) % len(KRUISE)] if i % 20 == 19 else NATIVE[i % len(NATIVE)]
        docs.append(template.format(i=i, ns=i % 7))
    return "---\n".join(docs)


def render_once(text: str, stages: tuple[tuple[str, pipeline.Stage], ...]) -> float:
    """CPU seconds of one whole render (process time: the machine is shared, wall time is noise)."""
    start = time.process_time()
    options = Options()
    documents, problems = reader.read_documents([reader.Source("bench.yaml", text)], options.limits)
    ctx = Context(options=options, problems=list(problems))
    output = pipeline.run(documents, ctx, stages=stages)
    assert not ctx.failed, [d.format() for d in ctx.problems][:3]
    writer.to_stream(output)
    return time.process_time() - start


def validate_stage_once(text: str) -> float:
    """CPU seconds of the validate stage alone, on an already parsed stream."""
    options = Options()
    documents, _ = reader.read_documents([reader.Source("bench.yaml", text)], options.limits)
    ctx = Context(options=options)
    start = time.process_time()
    validate.run(documents, ctx)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    text = corpus(args.docs)
    with_validate = pipeline.STAGES
    without = tuple(stage for stage in pipeline.STAGES if stage[0] != "validate")
    start = time.process_time()
    for file_name in sorted(set(schemas.kind_schemas().values())):
        schemas.fast_check(file_name)  # what the first render of a process pays once: load and compile
    cold = time.process_time() - start
    render_once(text, with_validate)  # warm-up
    timings: dict[str, list[float]] = {"with": [], "without": [], "stage": []}
    for _ in range(args.repeats):
        timings["without"].append(render_once(text, without))
        timings["with"].append(render_once(text, with_validate))
        timings["stage"].append(validate_stage_once(text))
    kruise = sum(1 for i in range(args.docs) if i % 20 == 19)
    print(f"{args.docs} documents ({kruise} Kruise objects, {len(text) / 1e6:.1f} MB), {args.repeats} repeats")
    for label, pick in (("best", min), ("median", statistics.median)):
        without, with_, stage = pick(timings["without"]), pick(timings["with"]), pick(timings["stage"])
        print(f"{label:6}: render without validate {without:.3f}s; validate stage {1000 * stage:.1f} ms = "
              f"{100 * stage / without:.1f} %, with the one-time load/compile {100 * (stage + cold) / without:.1f} %; "
              f"(whole render with validate {with_:.3f}s = {100 * (with_ - without) / without:+.1f} %, noisy)")
    print(f"one-time load and compile of all 15 kinds: {1000 * cold:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
