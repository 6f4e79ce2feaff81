"""Celery tasks for long exports: take a job id, claim it, write the file, report progress on the row."""

from datetime import date

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from .exports import EXPORTS
from .models import ExportJob, ExportStatus


@shared_task
def run_export(job_id: int) -> str:
    # Conditional claim: a job delivered twice runs once.
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    if not claimed:
        return "skipped"
    job = ExportJob.objects.get(pk=job_id)
    filename, build = EXPORTS[job.kind]
    # The reference date chosen on the page ("Số liệu tính đến ngày"), ISO in the job's params.
    extra = {"on": date.fromisoformat(job.params["on"])} if job.params.get("on") else {}
    try:
        data = build(lambda percent: ExportJob.objects.filter(pk=job_id).update(progress=min(percent, 100)), **extra)
    except Exception as error:  # the page shows the failure instead of polling forever
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
    job.file.save(filename, ContentFile(data), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        file=job.file.name, status=ExportStatus.DONE, progress=100, finished_at=timezone.now()
    )
    return "done"
