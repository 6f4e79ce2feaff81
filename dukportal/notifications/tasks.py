"""Celery tasks: thin wrappers that take ids and ISO dates, call a service and return a small summary.

All but the daily beat job are queued through the outbox (dukportal.core.outbox), which retries them and runs
each message once; each is idempotent on its own as well (a unique Reminder row, keyed notifications, a claimed
job, an `email_sent_at` check)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from dukportal.core import outbox

from . import services

# Sending one e-mail or one organisation's reminder: well under a minute, unless the mail server hangs.
SHORT = {"soft_time_limit": 60, "time_limit": 90}


@shared_task(name="notifications.send_due_reminders", acks_late=True, soft_time_limit=540, time_limit=600)
def send_due_reminders(day: str | None = None) -> dict:
    """The daily beat job: every reminder due today, in bulk and in one transaction (services.reminders_daily_send);
    the e-mails go out through the outbox, one digest per organisation. A redelivered or second run of the day
    finds its rows there and sends nothing new."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    return services.reminders_daily_send(day=on)


@shared_task(name="notifications.send_reminder_digests", **SHORT)
def send_reminder_digests(digest_ids: list[int]) -> int:
    return services.reminder_digests_deliver(digest_ids=digest_ids)


# Kept for messages queued before the daily and manual jobs became bulk runs with one e-mail per organisation.
@shared_task(name="notifications.send_reminder", **SHORT)
def send_reminder(organization_id: int, deadline_id: int, kind: str, day: str) -> bool:
    reminder = services.reminder_send(
        organization_id=organization_id, deadline_id=deadline_id, kind=kind, day=date.fromisoformat(day)
    )
    return reminder is not None


@shared_task(name="notifications.send_reminder_email", **SHORT)
def send_reminder_email(reminder_id: int) -> bool:
    return services.reminder_email_deliver(reminder_id=reminder_id)


@shared_task(name="notifications.send_notice_email", **SHORT)
def send_notice_email(key: str, subject: str, body: str, addresses: list[str]) -> bool:
    return services.notice_email_deliver(key=key, subject=subject, body=body, addresses=addresses)


# A few hundred organisations, one short transaction each.
@shared_task(name="notifications.run_reminder_job", soft_time_limit=840, time_limit=900)
def run_reminder_job(job_id: int) -> dict:
    job = services.reminder_job_run(job_id=job_id)
    return {"job": job_id, "reminded": job.reminded if job else None}


@outbox.on_final_failure("notifications.run_reminder_job")
def _reminder_job_failed(message) -> None:
    services.reminder_job_fail(job_id=message.args[0], error=f"Không gửi được: {message.last_error}")


@shared_task(name="notifications.submission_received", **SHORT)
def submission_received(content_type_id: int, object_id: int, actor_id: int | None = None) -> int:
    return services.submission_received_notify(content_type_id=content_type_id, object_id=object_id, actor_id=actor_id)


@shared_task(name="notifications.organization_notice", **SHORT)
def organization_notice(content_type_id: int, object_id: int, key: str, title: str, body: str) -> int:
    return services.organization_notice_send(
        content_type_id=content_type_id, object_id=object_id, key=key, title=title, body=body
    )
