"""The generated Go type facts (tools/gen_smp_schema.py) against the Go sources they come from.

Field orders and omitempty below are copied from the struct declarations:
kubernetes/api@v0.32.10:core/v1/types.go (PodSpec, Container, GRPCAction),
kubernetes/apimachinery@v0.32.10:pkg/apis/meta/v1/types.go (ObjectMeta) and
openkruise/kruise@v1.9.0:apis/apps/v1beta1/sidecarset_types.go (SidecarContainer).
"""
from __future__ import annotations

from kruise_render.k8s.smp_schema import STRUCTS, Field

POD_SPEC = (
    "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName",
    "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC",
    "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity",
    "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates",
    "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
    "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
)
# ClusterName is only a comment in v0.32's ObjectMeta (removed in 1.25): not a field.
OBJECT_META = (
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
    "managedFields",
)
CONTAINER = (
    "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
    "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
    "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce",
    "tty",
)
SIDECAR_EXTRAS = (
    "podInjectPolicy", "upgradeStrategy", "shareVolumePolicy", "shareVolumeDevicePolicy", "transferEnv",
    "resourcesPolicy",
)


def test_struct_field_orders_are_go_declaration_orders() -> None:
    assert tuple(STRUCTS["PodSpec"]) == POD_SPEC
    assert tuple(STRUCTS["ObjectMeta"]) == OBJECT_META
    assert tuple(STRUCTS["Container"]) == CONTAINER


def test_an_inline_struct_is_flattened_where_it_is_embedded() -> None:
    # SidecarContainer: `corev1.Container json:",inline"`, then Kruise's own fields.
    assert tuple(STRUCTS["SidecarContainer"]) == CONTAINER + SIDECAR_EXTRAS
    # Probe embeds ProbeHandler inline before its own fields.
    assert tuple(STRUCTS["Probe"])[:5] == ("exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds")


def test_fields_carry_type_tags_and_omitempty() -> None:
    assert STRUCTS["PodSpec"]["containers"] == Field("[]Container", "merge", "name", False)
    assert STRUCTS["PodSpec"]["volumes"] == Field("[]Volume", "merge,retainKeys", "name", True)
    assert STRUCTS["Container"]["name"] == Field("string", "", "", False)
    assert STRUCTS["Container"]["resources"] == Field("ResourceRequirements", "", "", True)
    assert STRUCTS["GRPCAction"]["service"] == Field("*string", "", "", False)
    assert STRUCTS["ObjectMeta"]["creationTimestamp"] == Field("Time", "", "", True)
