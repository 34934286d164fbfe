"""Stage `advancedcronjob`: AdvancedCronJob with a jobTemplate → batch/v1 CronJob.

The AdvancedCronJob controller (Kruise v1.9.0 pkg/controller/advancedcronjob) is the kubebuilder
CronJob: same schedule parsing (robfig/cron ParseStandard), same concurrency policies, same
history limits and defaults (Allow, 3, 1, not paused; apis/apps/defaults/v1beta1.go), and the Job
it creates is the jobTemplate's spec with the template's labels and annotations. So the mapping
is field for field, `paused` → `suspend`. Differences handled here:
- a `TZ=`/`CRON_TZ=` prefix in the schedule (Kruise accepts it; native CronJob rejects it for new
  objects) moves to `timeZone`; both at once is an error, as in Kruise's webhook;
- broadcastJobTemplate and imageListPullJobTemplate have no native equivalent: not expressible.
  With --allow-lossy the whole AdvancedCronJob is dropped (a warning names it): a CronJob that
  runs something else would be worse than none.
"""
from __future__ import annotations

import copy
import re

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldPath
from kruise_render.document import Document
from kruise_render.k8s.identity import annotations_of, labels_of
from kruise_render.kinds import ADVANCED_CRON_JOB, convert_each
from kruise_render.obj import Obj, get_map

TEMPLATES = ("jobTemplate", "broadcastJobTemplate", "imageListPullJobTemplate")
_TZ_PREFIX = re.compile(r"^(?:CRON_)?TZ=(\S+)\s+(.+)$")
# Native CronJob names are limited to 52 characters (Job names get an 11-character suffix).
CRONJOB_NAME_LIMIT = 52
TIMEZONE_SINCE = (1, 25)  # CronJob spec.timeZone: beta and on by default in 1.25, GA in 1.27
# AdvancedCronJob spec field -> CronJob spec field, in CronJob's own order.
_FIELDS = (
    ("schedule", "schedule"),
    ("timeZone", "timeZone"),
    ("startingDeadlineSeconds", "startingDeadlineSeconds"),
    ("concurrencyPolicy", "concurrencyPolicy"),
    ("paused", "suspend"),
)
_HISTORY = ("successfulJobsHistoryLimit", "failedJobsHistoryLimit")
# Where a CronJob's fields come from in its AdvancedCronJob (messages point there).
_FROM: dict[FieldPath, FieldPath] = {
    (): (), ("spec", "jobTemplate"): ("spec", "template", "jobTemplate"), ("spec", "suspend"): ("spec", "paused"),
}


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return convert_each(docs, ctx, ADVANCED_CRON_JOB, _to_cronjob, "AdvancedCronJob → CronJob",
                        "invalid AdvancedCronJob", at=_FROM)


def _to_cronjob(doc: Document, ctx: Context) -> Obj | None:
    spec = doc.data.get("spec")
    if not isinstance(spec, dict):
        ctx.error(doc, ("spec",), "must be a mapping with schedule and template")
        return None
    template = get_map(spec, "template")
    present = [key for key in TEMPLATES if template.get(key) is not None]
    if len(present) != 1:
        what = "no" if not present else "more than one"
        ctx.error(doc, ("spec", "template"), f"{what} template: give exactly one of {', '.join(TEMPLATES)}")
        return None
    if present[0] != "jobTemplate":
        key = present[0]
        kind = "a BroadcastJob" if key == "broadcastJobTemplate" else "an ImageListPullJob"
        if ctx.not_expressible(doc, ("spec", "template", key),
                               f"a CronJob cannot create {kind} on a schedule; this concerns the whole AdvancedCronJob"):
            ctx.consume(doc, f"dropped: {key} is not expressible (--allow-lossy)")
        else:
            ctx.consume(doc, f"{key} is not expressible")
        return None
    if ctx.options.kube_version < (1, 21):
        ctx.error(doc, None, "batch/v1 CronJob needs Kubernetes 1.21 or later (--kube-version)", codes.KUBE_VERSION)
        return None
    job_template = template["jobTemplate"]
    cron_spec = _spec(doc, spec, ctx)
    if cron_spec is None or not isinstance(job_template, dict):
        if not isinstance(job_template, dict):
            ctx.error(doc, ("spec", "template", "jobTemplate"), "must be a mapping (a batch/v1 JobTemplateSpec)")
        return None
    cron_spec["jobTemplate"] = copy.deepcopy(job_template)
    for key in _HISTORY:
        if spec.get(key) is not None:
            cron_spec[key] = spec[key]
    meta: Obj = {"name": doc.name}
    if doc.namespace is not None:
        meta["namespace"] = doc.namespace
    if labels_of(doc.data):
        meta["labels"] = dict(labels_of(doc.data))
    if annotations_of(doc.data):
        meta["annotations"] = dict(annotations_of(doc.data))
    if len(doc.name) > CRONJOB_NAME_LIMIT:
        ctx.error(doc, ("metadata", "name"), f"a CronJob name must be at most {CRONJOB_NAME_LIMIT} characters")
        return None
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": cron_spec}


def _spec(doc: Document, spec: Obj, ctx: Context) -> Obj | None:
    schedule = spec.get("schedule")
    if not isinstance(schedule, str) or not schedule.strip():
        ctx.error(doc, ("spec", "schedule"), "schedule cannot be empty, please provide valid cron schedule")
        return None
    out: Obj = {}
    for source, target in _FIELDS:
        if spec.get(source) is not None:
            out[target] = spec[source]
    if "TZ" in schedule:
        match = _TZ_PREFIX.match(schedule.strip())
        if spec.get("timeZone") is not None:
            ctx.error(doc, ("spec", "schedule"), "cannot use both timeZone field and TZ or CRON_TZ in schedule")
            return None
        if match is None:
            ctx.error(doc, ("spec", "schedule"), "TZ in the schedule must be a leading `TZ=<zone> ` or `CRON_TZ=<zone> `")
            return None
        out["schedule"], zone = match.group(2), match.group(1)
        ctx.warning(doc, ("spec", "schedule"),
                    f"time zone {zone} moved from the schedule to spec.timeZone (native CronJob rejects TZ in schedule)")
        out = {key: (zone if key == "timeZone" else value) for key, value in _with_timezone(out).items()}
    if out.get("timeZone") is not None and ctx.options.kube_version < TIMEZONE_SINCE:
        if not ctx.not_expressible(doc, ("spec", "timeZone"), "CronJob timeZone needs Kubernetes 1.25 or later (--kube-version)"):
            return None
        del out["timeZone"]
    return out


def _with_timezone(out: Obj) -> Obj:
    """`out` with a timeZone key placed right after schedule (CronJob's field order)."""
    ordered: Obj = {}
    for key, value in out.items():
        ordered[key] = value
        if key == "schedule":
            ordered["timeZone"] = None
    return ordered
