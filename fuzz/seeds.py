"""Small, valid objects of every kind kruise-render reads: fuzz seeds and property-test bases.

Written for this project from the Kruise v1.9.0 CRD field lists (../shared/kruise-crds), not
copied from any sample; each is the least a user would write for that kind.
"""
from __future__ import annotations

import copy
from typing import Any

LABELS = {"app": "web"}


def _pod_template(image: str = "nginx:1.25", labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"labels": dict(labels or LABELS)},
        "spec": {
            "containers": [
                {
                    "name": "main",
                    "image": image,
                    "ports": [{"containerPort": 8080}],
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                }
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
        },
    }


def _meta(name: str, namespace: str | None = "default") -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return meta


KRUISE = "apps.kruise.io/v1alpha1"

SEEDS: dict[str, dict[str, Any]] = {
    "cloneset": {
        "apiVersion": KRUISE,
        "kind": "CloneSet",
        "metadata": _meta("web"),
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": dict(LABELS)},
            "template": _pod_template(),
            "updateStrategy": {"type": "InPlaceIfPossible", "partition": 1, "maxUnavailable": "20%"},
        },
    },
    "advancedstatefulset": {
        "apiVersion": "apps.kruise.io/v1beta1",
        "kind": "StatefulSet",
        "metadata": _meta("db"),
        "spec": {
            "replicas": 2,
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": _pod_template("postgres:16", {"app": "db"}),
            "updateStrategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"podUpdatePolicy": "InPlaceIfPossible", "maxUnavailable": 1, "partition": 0},
            },
        },
    },
    "advanceddaemonset": {
        "apiVersion": KRUISE,
        "kind": "DaemonSet",
        "metadata": _meta("agent"),
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": _pod_template("agent:1", {"app": "agent"}),
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"rollingUpdateType": "Standard", "maxUnavailable": 1}},
        },
    },
    "uniteddeployment": {
        "apiVersion": KRUISE,
        "kind": "UnitedDeployment",
        "metadata": _meta("spread"),
        "spec": {
            "replicas": 5,
            "selector": {"matchLabels": {"app": "spread"}},
            "template": {
                "cloneSetTemplate": {
                    "metadata": {"labels": {"app": "spread"}},
                    "spec": {
                        "selector": {"matchLabels": {"app": "spread"}},
                        "template": _pod_template("spread:1", {"app": "spread"}),
                    },
                }
            },
            "topology": {
                "subsets": [
                    {
                        "name": "zone-a",
                        "nodeSelectorTerm": {
                            "matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]
                        },
                        "replicas": 2,
                    },
                    {
                        "name": "zone-b",
                        "nodeSelectorTerm": {
                            "matchExpressions": [{"key": "zone", "operator": "In", "values": ["b"]}]
                        },
                        "replicas": "50%",
                    },
                ]
            },
        },
    },
    "sidecarset": {
        "apiVersion": KRUISE,
        "kind": "SidecarSet",
        "metadata": {"name": "logger"},
        "spec": {
            "selector": {"matchLabels": dict(LABELS)},
            "containers": [
                {
                    "name": "logger",
                    "image": "logger:2",
                    "podInjectPolicy": "AfterAppContainer",
                    "shareVolumePolicy": {"type": "enabled"},
                    "volumeMounts": [{"name": "logs", "mountPath": "/logs"}],
                }
            ],
            "initContainers": [{"name": "init-logger", "image": "busybox:1"}],
            "volumes": [{"name": "logs", "emptyDir": {}}],
        },
    },
    "advancedcronjob": {
        "apiVersion": KRUISE,
        "kind": "AdvancedCronJob",
        "metadata": _meta("nightly"),
        "spec": {
            "schedule": "0 2 * * *",
            "template": {
                "jobTemplate": {
                    "spec": {
                        "template": {
                            "spec": {
                                "restartPolicy": "Never",
                                "containers": [{"name": "job", "image": "busybox:1", "command": ["true"]}],
                            }
                        }
                    }
                }
            },
        },
    },
    "broadcastjob": {
        "apiVersion": KRUISE,
        "kind": "BroadcastJob",
        "metadata": _meta("warmup"),
        "spec": {
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "pull", "image": "busybox:1", "command": ["true"]}],
                }
            },
            "completionPolicy": {"type": "Always", "ttlSecondsAfterFinished": 60},
        },
    },
    "podunavailablebudget": {
        "apiVersion": "policy.kruise.io/v1alpha1",
        "kind": "PodUnavailableBudget",
        "metadata": _meta("web-pub"),
        "spec": {"targetRef": {"apiVersion": KRUISE, "kind": "CloneSet", "name": "web"}, "maxUnavailable": "25%"},
    },
    "workloadspread": {
        "apiVersion": KRUISE,
        "kind": "WorkloadSpread",
        "metadata": _meta("web-spread"),
        "spec": {
            "targetRef": {"apiVersion": KRUISE, "kind": "CloneSet", "name": "web"},
            "subsets": [
                {
                    "name": "a",
                    "requiredNodeSelectorTerm": {
                        "matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]
                    },
                    "maxReplicas": 2,
                },
                {"name": "b", "maxReplicas": "50%"},
            ],
        },
    },
    "resourcedistribution": {
        "apiVersion": KRUISE,
        "kind": "ResourceDistribution",
        "metadata": {"name": "shared-config"},
        "spec": {
            "resource": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shared"}, "data": {"k": "v"}},
            "targets": {"includedNamespaces": {"list": [{"name": "default"}, {"name": "shop"}]}},
        },
    },
    "deployment": {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta("plain"),
        "spec": {"replicas": 1, "selector": {"matchLabels": dict(LABELS)}, "template": _pod_template()},
    },
    "pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {**_meta("lone"), "labels": dict(LABELS)},
            "spec": _pod_template()["spec"]},
    "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "a"}}},
    "configmap": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("settings"), "data": {"A": "1"}},
    "service": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta("web"),
        "spec": {"selector": dict(LABELS), "ports": [{"port": 80, "targetPort": 8080}]},
    },
}

def seed(name: str) -> dict[str, Any]:
    return copy.deepcopy(SEEDS[name])
