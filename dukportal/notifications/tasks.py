"""Celery tasks: thin wrappers that take ids and ISO dates, call a service and return a small summary."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import selectors, services


@shared_task(name="notifications.send_due_reminders")
def send_due_reminders(day: str | None = None) -> dict:
    """The daily beat job: find who owes what today and queue one reminder per organisation and deadline."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    queued = 0
    for deadline, kind, organization_ids in selectors.reminders_due(on):
        for organization_id in organization_ids:
            send_reminder.delay(organization_id, deadline.pk, kind, on.isoformat())
            queued += 1
    return {"day": on.isoformat(), "queued": queued}


@shared_task(name="notifications.send_reminder")
def send_reminder(organization_id: int, deadline_id: int, kind: str, day: str) -> bool:
    reminder = services.reminder_send(
        organization_id=organization_id, deadline_id=deadline_id, kind=kind, day=date.fromisoformat(day)
    )
    return reminder is not None


@shared_task(name="notifications.run_reminder_job")
def run_reminder_job(job_id: int) -> dict:
    job = services.reminder_job_run(job_id=job_id)
    return {"job": job_id, "reminded": job.reminded if job else None}


@shared_task(name="notifications.submission_received")
def submission_received(content_type_id: int, object_id: int, actor_id: int | None = None) -> int:
    return services.submission_received_notify(content_type_id=content_type_id, object_id=object_id, actor_id=actor_id)


@shared_task(name="notifications.organization_notice")
def organization_notice(content_type_id: int, object_id: int, key: str, title: str, body: str) -> int:
    return services.organization_notice_send(
        content_type_id=content_type_id, object_id=object_id, key=key, title=title, body=body
    )
