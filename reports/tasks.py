"""Celery tasks for long exports and long documents: take a job id, claim it, write the file, report progress on
the row.

Queued through the outbox (dukportal.core.outbox): retried with back-off after a failure, rerun after a worker
died mid-export (the file is written again from scratch), and marked "Lỗi" after the last attempt."""

from datetime import date

from celery import shared_task
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from dukportal.core import outbox

from .delivery import document_deliver
from .document import OfficialDocument
from .exports import EXPORTS, export_filename
from .models import ExportJob, ExportStatus
from .render_docx import render_docx
from .render_pdf import render_pdf

EXPORT_ATTEMPTS = 3  # an export that fails three times is broken, not unlucky: show "Lỗi" within a minute


def _claim(job_id: int) -> bool:
    # Conditional claim: a finished or failed job is not run again. "running" is claimable because the outbox
    # message is the lease: it reruns a job only once the worker that had it is gone.
    return bool(
        ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
            status=ExportStatus.RUNNING
        )
    )


def _progress(job_id: int):
    return lambda percent: ExportJob.objects.filter(pk=job_id).update(progress=min(percent, 100))


def _store(job: ExportJob, data: bytes) -> None:
    job.file.save(export_filename(job), ContentFile(data), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, status=ExportStatus.DONE, progress=100, error="", finished_at=timezone.now()
    )


@shared_task(name="reports.run_export", soft_time_limit=840, time_limit=900)
def run_export(job_id: int) -> str:
    if not _claim(job_id):
        return "skipped"
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    build = EXPORTS[job.kind][1]
    # The reference date chosen on the page ("Số liệu tính đến ngày"), ISO in the job's params.
    extra = {"on": date.fromisoformat(job.params["on"])} if job.params.get("on") else {}
    data = build(
        _progress(job_id),
        user=job.created_by,  # built as its requester: the file holds what they may read
        **extra,
    )
    _store(job, data)
    return "done"


@shared_task(name="reports.render_document", soft_time_limit=840, time_limit=900)
def render_document(job_id: int) -> str:
    """A long document's PDF or .docx, from the structure snapshot taken when the user asked (not the draft as
    it is now), so the file is the content they saw."""
    if not _claim(job_id):
        return "skipped"
    job = ExportJob.objects.get(pk=job_id)
    progress = _progress(job_id)
    structure = OfficialDocument.from_snapshot(job.params["structure"])
    progress(5)
    render = render_pdf if job.params["format"] == "pdf" else render_docx
    _store(job, render(structure, progress=progress))
    return "done"


@shared_task(name="reports.issue_document", soft_time_limit=840, time_limit=900)
def issue_document(job_id: int) -> str:
    """A long draft issued in the background (services.document_issue_job_run). A refusal (the draft was edited
    meanwhile, a later issue took its place in the register) is final: the job shows it and is not retried."""
    from .services import document_issue_job_run  # services imports this module

    if not _claim(job_id):
        return "skipped"
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        outcome = document_issue_job_run(job=job, progress=_progress(job_id))
    except ValidationError as error:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED, error=" ".join(error.messages)[:500], finished_at=timezone.now()
        )
        return "refused"
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.DONE, progress=100, error="", finished_at=timezone.now()
    )
    return outcome


@outbox.on_final_failure("reports.issue_document")
@outbox.on_final_failure("reports.run_export")
@outbox.on_final_failure("reports.render_document")
def _export_failed(message) -> None:
    """The page shows the failure (and "Thử lại") instead of polling forever."""
    ExportJob.objects.filter(pk=message.args[0]).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, error=message.last_error[:500], finished_at=timezone.now()
    )


@shared_task(name="reports.deliver_document", soft_time_limit=120, time_limit=180)
def deliver_document(document_id: int) -> int:
    """An issued document to its recipients' inboxes (idempotent: reports.delivery.document_deliver)."""
    return document_deliver(document_id=document_id)
