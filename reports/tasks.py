"""Celery tasks for long exports: take a job id, claim it, write the file, report progress on the row.

Queued through the outbox (dukportal.core.outbox): retried with back-off after a failure, rerun after a worker
died mid-export (the file is written again from scratch), and marked "Lỗi" after the last attempt."""

from datetime import date

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from dukportal.core import outbox

from .delivery import document_deliver
from .exports import EXPORTS, export_filename
from .models import ExportJob, ExportStatus

EXPORT_ATTEMPTS = 3  # an export that fails three times is broken, not unlucky: show "Lỗi" within a minute


@shared_task(name="reports.run_export", soft_time_limit=840, time_limit=900)
def run_export(job_id: int) -> str:
    # Conditional claim: a finished or failed job is not run again. "running" is claimable because the outbox
    # message is the lease: it reruns a job only once the worker that had it is gone.
    claimed = ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    build = EXPORTS[job.kind][1]
    # The reference date chosen on the page ("Số liệu tính đến ngày"), ISO in the job's params.
    extra = {"on": date.fromisoformat(job.params["on"])} if job.params.get("on") else {}
    data = build(
        lambda percent: ExportJob.objects.filter(pk=job_id).update(progress=min(percent, 100)),
        user=job.created_by,  # built as its requester: the file holds what they may read
        **extra,
    )
    job.file.save(export_filename(job), ContentFile(data), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        file=job.file.name, status=ExportStatus.DONE, progress=100, error="", finished_at=timezone.now()
    )
    return "done"


@outbox.on_final_failure("reports.run_export")
def _export_failed(message) -> None:
    """The page shows the failure (and "Thử lại") instead of polling forever."""
    ExportJob.objects.filter(pk=message.args[0]).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, error=message.last_error[:500], finished_at=timezone.now()
    )


@shared_task(name="reports.deliver_document", soft_time_limit=120, time_limit=180)
def deliver_document(document_id: int) -> int:
    """An issued document to its recipients' inboxes (idempotent: reports.delivery.document_deliver)."""
    return document_deliver(document_id=document_id)
