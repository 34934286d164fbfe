"""Deterministic, realistic Kubernetes corpora for the benchmark (seeded; never random per run).

Per 100 documents: 30 Deployments and 15 StatefulSets (about 55 lines each, a head comment and
inline comments), 25 Services, 25 ConfigMaps and 5 Kruise objects (CloneSets, UnitedDeployments
and, once per corpus, a few cluster-wide SidecarSets). Half of the workloads carry the label the
SidecarSets select, as in ../shared/spec/peers.md §4.2's corpus. `passthrough=True` replaces the
Kruise objects by Deployments, for the "nothing to change" number of issue 2. `native=True` keeps
the CloneSets and UnitedDeployments but writes no SidecarSet: a mostly-native stream (95 % of
the documents no stage needs), for the "below the parse" aim of docs/performance.md.
"""
from __future__ import annotations

import os
import random

DOCS_PER_FILE = 100
SIDECARS = ("log-agent", "metrics-agent", "trace-agent")
INJECT_LABEL = "sidecar.example.com/inject"


def generate(directory: str, count: int, seed: int = 7, passthrough: bool = False, native: bool = False) -> list[str]:
    """Write `count` documents as multi-document files under `directory`; return the file paths."""
    rng = random.Random(seed * 1_000_003 + count * 2 + int(passthrough))
    docs = list(_documents(rng, count, passthrough, native))
    files = []
    namespaces = max(1, count // 500)
    for part in range(0, len(docs), DOCS_PER_FILE):
        folder = os.path.join(directory, f"ns-{(part // DOCS_PER_FILE) % namespaces:03d}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"apps-{part // DOCS_PER_FILE:05d}.yaml")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write("---\n".join(docs[part:part + DOCS_PER_FILE]))
        files.append(path)
    return files


def _documents(rng: random.Random, count: int, passthrough: bool, native: bool = False):
    sidecarsets = 0 if passthrough or native or count < 20 else len(SIDECARS)
    for index in range(count):
        namespace = f"team-{(index // DOCS_PER_FILE) % max(1, count // 500):03d}"
        slot = (index * 37) % 100  # a permutation of 0..99 per hundred: kinds interleave
        name = f"app-{index:06d}"
        if index < sidecarsets:
            yield _sidecarset(SIDECARS[index])
        elif slot < 30:
            yield _workload(rng, "apps/v1", "Deployment", name, namespace, index)
        elif slot < 45:
            yield _workload(rng, "apps/v1", "StatefulSet", name, namespace, index)
        elif slot < 70:
            yield _service(rng, name, namespace)
        elif slot < 95:
            yield _configmap(rng, name, namespace)
        elif passthrough:
            yield _workload(rng, "apps/v1", "Deployment", name, namespace, index)
        elif slot < 98:
            yield _workload(rng, "apps.kruise.io/v1alpha1", "CloneSet", name, namespace, index)
        else:
            yield _united(rng, name, namespace, index)


def _labels(index: int, name: str, indent: str) -> str:
    lines = [f"{indent}app: {name}", f"{indent}tier: {('web', 'api', 'worker', 'db')[index % 4]}"]
    if index % 2 == 0:
        lines.append(f"{indent}{INJECT_LABEL}: {SIDECARS[(index // 2) % len(SIDECARS)]}")
    return "\n".join(lines)


def _pod_spec(rng: random.Random, name: str, index: int, pad: str) -> str:
    port = rng.choice((8080, 8443, 9090, 3000))
    cpu = rng.choice(("100m", "250m", "500m", "1"))
    memory = rng.choice(("128Mi", "256Mi", "512Mi", "1Gi"))
    return f"""{pad}serviceAccountName: {name}
{pad}containers:
{pad}  - name: main
{pad}    image: registry.example.com/team/{name}:1.{index % 17}.{rng.randrange(40)}  # pinned by CI
{pad}    args: ["--port={port}", "--log-level=info"]
{pad}    ports:
{pad}      - name: http
{pad}        containerPort: {port}
{pad}    env:
{pad}      - name: APP_NAME
{pad}        value: {name}
{pad}      - name: FEATURE_FLAGS
{pad}        value: "true"
{pad}    resources:
{pad}      requests:
{pad}        cpu: {cpu}
{pad}        memory: {memory}
{pad}      limits:
{pad}        memory: {memory}
{pad}    readinessProbe:
{pad}      httpGet:
{pad}        path: /healthz
{pad}        port: http
{pad}      periodSeconds: 10
{pad}    volumeMounts:
{pad}      - name: config
{pad}        mountPath: /etc/{name}
{pad}volumes:
{pad}  - name: config
{pad}    configMap:
{pad}      name: {name}-config
"""


def _workload(rng: random.Random, api: str, kind: str, name: str, namespace: str, index: int) -> str:
    extra = "  serviceName: " + name + "\n" if kind == "StatefulSet" else ""
    return f"""# {kind} for {name}: owned by team {namespace}, see the runbook.
apiVersion: {api}
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
  labels:
{_labels(index, name, "    ")}
  annotations:
    example.com/owner: "{namespace}@example.com"
spec:
  replicas: {rng.randrange(1, 6)}  # scaled by HPA in production
{extra}{_selector_and_template(rng, name, index, "  ")}"""


def _selector_and_template(rng: random.Random, name: str, index: int, pad: str, selector: bool = True) -> str:
    head = f"{pad}selector:\n{pad}  matchLabels:\n{pad}    app: {name}\n" if selector else ""
    return f"""{head}{pad}template:
{pad}  metadata:
{pad}    labels:
{_labels(index, name, pad + "      ")}
{pad}  spec:
{_pod_spec(rng, name, index, pad + "    ")}"""


def _service(rng: random.Random, name: str, namespace: str) -> str:
    port = rng.choice((80, 443, 8080))
    return f"""# Service in front of {name}.
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    app: {name}
  ports:
    - name: http
      port: {port}  # public port
      targetPort: http
"""


def _configmap(rng: random.Random, name: str, namespace: str) -> str:
    return f"""# Runtime configuration for {name}.
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {namespace}
data:
  LOG_LEVEL: info
  CACHE_TTL: "{rng.randrange(30, 600)}"
  app.properties: |
    server.port=8080
    feature.x={rng.choice(('on', 'off'))}
"""


def _sidecarset(name: str) -> str:
    return f"""# {name}: injected into every pod labelled {INJECT_LABEL}={name}.
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: {name}
spec:
  selector:
    matchLabels:
      {INJECT_LABEL}: {name}
  containers:
    - name: {name}
      image: registry.example.com/infra/{name}:2.1
      podInjectPolicy: AfterAppContainer
      volumeMounts:
        - name: {name}-config
          mountPath: /etc/{name}
  volumes:
    - name: {name}-config
      configMap:
        name: {name}-config
"""


def _united(rng: random.Random, name: str, namespace: str, index: int) -> str:
    return f"""# {name} spread over two zones.
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  replicas: {rng.randrange(2, 8)}
  selector:
    matchLabels:
      app: {name}
  template:
    deploymentTemplate:
      metadata:
        labels:
{_labels(index, name, "          ")}
      spec:
{_selector_and_template(rng, name, index, "        ", selector=False)}  topology:
    subsets:
      - name: zone-a
        nodeSelectorTerm:
          matchExpressions:
            - key: topology.kubernetes.io/zone
              operator: In
              values: [zone-a]
        replicas: 50%
      - name: zone-b
        nodeSelectorTerm:
          matchExpressions:
            - key: topology.kubernetes.io/zone
              operator: In
              values: [zone-b]
"""
