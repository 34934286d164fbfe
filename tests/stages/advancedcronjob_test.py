from __future__ import annotations

from tests.stages.otherkinds_support import render

JOB_TEMPLATE = """
    jobTemplate:
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: c, image: busybox}]
"""


def acj(spec: str, version: str = "v1beta1", name: str = "tick", template: str = JOB_TEMPLATE) -> str:
    return f"""
apiVersion: apps.kruise.io/{version}
kind: AdvancedCronJob
metadata: {{name: {name}, namespace: jobs, annotations: {{owner: me}}}}
spec:
{spec}
  template:{template}
"""


def test_fields_map_one_to_one_and_paused_becomes_suspend() -> None:
    out = render(acj("  schedule: '*/5 * * * *'\n  timeZone: Europe/Paris\n  startingDeadlineSeconds: 30\n"
                     "  concurrencyPolicy: Replace\n  paused: false\n"
                     "  successfulJobsHistoryLimit: 0\n  failedJobsHistoryLimit: 4"))
    assert out.errors == []
    [cron] = out.objects
    assert cron["apiVersion"] == "batch/v1" and cron["kind"] == "CronJob"
    assert cron["metadata"] == {"name": "tick", "namespace": "jobs", "annotations": {"owner": "me"}}
    assert list(cron["spec"]) == [
        "schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate",
        "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
    ]
    assert cron["spec"]["suspend"] is False and cron["spec"]["timeZone"] == "Europe/Paris"
    assert cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"] == [{"name": "c", "image": "busybox"}]


def test_v1alpha1_is_rendered_the_same_way() -> None:
    assert render(acj("  schedule: '@hourly'", version="v1alpha1")).objects[0]["spec"]["schedule"] == "@hourly"


def test_tz_prefix_moves_to_time_zone() -> None:
    out = render(acj("  schedule: 'TZ=UTC 0 * * * *'"))
    assert out.objects[0]["spec"]["schedule"] == "0 * * * *"
    assert out.objects[0]["spec"]["timeZone"] == "UTC"


def test_tz_prefix_and_time_zone_together_are_rejected_as_kruise_does() -> None:
    out = render(acj("  schedule: 'TZ=UTC 0 * * * *'\n  timeZone: UTC"))
    assert "cannot use both timeZone field and TZ" in out.errors[0]


def test_missing_schedule_and_long_names_are_errors() -> None:
    assert "AdvancedCronJob/tick: spec.schedule:" in render(acj("  concurrencyPolicy: Allow")).errors[0]
    assert "schedule cannot be empty" in render(acj("  schedule: ' '")).errors[0]
    assert "at most 52 characters" in render(acj("  schedule: '@daily'", name="n" * 53)).errors[0]


def test_broadcast_job_template_is_not_expressible_and_lossy_drops_the_object() -> None:
    template = "\n    broadcastJobTemplate:\n      spec: {template: {spec: {containers: [{name: c, image: i}]}}}"
    strict = render(acj("  schedule: '@daily'", template=template))
    assert "AdvancedCronJob/tick: spec.template.broadcastJobTemplate: a CronJob cannot create a BroadcastJob" in strict.errors[0]
    lossy = render(acj("  schedule: '@daily'", template=template), allow_lossy=True)
    assert lossy.errors == [] and lossy.objects == []
    assert "dropped (--allow-lossy)" in lossy.warnings[0]


def test_two_templates_are_rejected() -> None:
    template = JOB_TEMPLATE + "    imageListPullJobTemplate: {spec: {images: [nginx]}}\n"
    assert "more than one template" in render(acj("  schedule: '@daily'", template=template)).errors[0]


def test_time_zone_needs_kubernetes_1_25() -> None:
    text = acj("  schedule: '@daily'\n  timeZone: UTC")
    assert "needs Kubernetes 1.25" in render(text, kube_version=(1, 24)).errors[0]
    assert "timeZone" not in render(text, kube_version=(1, 24), allow_lossy=True).objects[0]["spec"]
