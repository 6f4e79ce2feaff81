"""Writes for reminders and notifications. The only way a reminder is sent or a notification created.

Idempotency: reminder_send inserts the Reminder row (unique per organisation, deadline, kind and day) before
anything is sent, and sends only if this call inserted it. E-mails and jobs are queued through the outbox
(dukportal.core.outbox) in the same transaction as the change, so a crash after the commit loses nothing."""

import logging
import smtplib
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from dukportal.core import audit, outbox
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline, EventAction, SubmissionEvent
from organizations import access
from organizations.models import BaseOrganization, Role, User
from organizations.selectors import current_bloc

from . import selectors
from .models import JobStatus, Notification, NotificationCategory, Reminder, ReminderJob, ReminderKind

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _signature(day: date | None = None) -> dict:
    """The department and bloc that notices and e-mails are sent in the name of, as named on `day`."""
    bloc = current_bloc(day)
    return {
        "department": bloc.propaganda_department_name if bloc else "Ban Tuyên giáo",
        "bloc_name": bloc.name if bloc else "Đảng ủy Khối",
    }


def reminder_text(*, organization: BaseOrganization, deadline: Deadline, day: date) -> dict:
    """The Vietnamese wording of a reminder: notification title and body, e-mail subject and body."""
    days = (deadline.due_date - day).days
    context = {
        "organization": organization,
        "deadline": deadline,
        "days": days,
        "late_days": -days,
        "url": _absolute(organization.get_absolute_url()),
        **_signature(day),
    }
    due = f"{deadline.due_date:%d/%m/%Y}"
    if days > 0:
        title = f"Nhắc hạn: {deadline.title} — hạn {due}, còn {days} ngày"
    elif days == 0:
        title = f"Hôm nay là hạn cuối: {deadline.title} (hạn {due})"
    else:
        title = f"Quá hạn {-days} ngày: {deadline.title} (hạn {due})"
    return {
        "title": title[:255],
        "subject": render_to_string("notifications/email/reminder_subject.txt", context).strip().replace("\n", " "),
        "body": render_to_string("notifications/email/reminder_body.txt", context),
    }


def reminder_email_deliver(*, reminder_id: int) -> bool:
    """Send a reminder's e-mail, once: the outbox retries it after a mail server failure (recorded on the
    reminder; the in-app notification is already there) and a sent one is never sent again."""
    reminder = Reminder.objects.select_related("organization", "deadline").get(pk=reminder_id)
    if reminder.email_sent_at is not None or not reminder.email_addresses:
        return False
    text = reminder_text(organization=reminder.organization, deadline=reminder.deadline, day=reminder.day)
    try:
        EmailMessage(subject=text["subject"], body=text["body"], to=reminder.email_addresses).send()
    except (smtplib.SMTPException, OSError) as error:
        Reminder.objects.filter(pk=reminder_id).update(email_error=str(error)[:500])
        raise
    Reminder.objects.filter(pk=reminder_id, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now(), email_error=""
    )
    return True


@transaction.atomic
def reminder_send(
    *, organization_id: int, deadline_id: int, kind: str, day: date, job: ReminderJob | None = None, actor=None
) -> Reminder | None:
    """Remind one organisation of one deadline on `day`: an in-app notification to each of its active officers
    and one e-mail to the addresses it has. Returns None, sending nothing, when the organisation is not
    expected for the deadline, is not active on `day`, has already sent something, or had this reminder."""
    deadline = Deadline.objects.get(pk=deadline_id)
    organization = BaseOrganization.objects.get(pk=organization_id)
    if not organization.is_active_on(day):
        return None
    if not deadlines.expected_organizations(deadline, day).filter(pk=organization_id).exists():
        return None
    if not deadlines.deadline_cells(deadline, [organization_id], day)[organization_id].owes:
        return None
    officers, addresses = selectors.reminder_recipients(organization)
    reminder, created = Reminder.objects.get_or_create(
        organization=organization,
        deadline=deadline,
        kind=kind,
        day=day,
        defaults={"job": job, "notified_users": len(officers), "emailed_to": ",".join(addresses)},
    )
    if not created:
        return None
    text = reminder_text(organization=organization, deadline=deadline, day=day)
    Notification.objects.bulk_create(
        Notification(
            recipient=officer,
            category=NotificationCategory.REMINDER,
            title=text["title"],
            body=text["body"],
            url=organization.get_absolute_url(),
            organization=organization,
        )
        for officer in officers
    )
    audit.record(
        actor=actor,
        action="reminder.send",
        target=reminder,
        changes={"kind": kind, "day": day, "notified_users": len(officers), "emailed_to": addresses},
    )
    if addresses:
        outbox.enqueue("notifications.send_reminder_email", reminder.pk, key=f"reminder-email:{reminder.pk}")
    return reminder


@transaction.atomic
def reminder_job_create(*, actor, deadline: Deadline, sector: str = "") -> ReminderJob:
    """Staff ask to remind every organisation still missing `deadline` (of one sector, if given). The work is
    queued through the outbox: with the broker down it waits, "queued", and runs when the broker is back."""
    access.require_staff(actor)
    job = ReminderJob(deadline=deadline, sector=sector, requested_by=actor)
    job.full_clean()
    job.save()
    audit.record(
        actor=actor, action="reminder_job.create", target=job, changes={"deadline": deadline.pk, "sector": sector}
    )
    outbox.enqueue("notifications.run_reminder_job", job.pk, key=_job_key(job.pk))
    return job


def _job_key(job_id: int) -> str:
    return f"reminder-job:{job_id}"


@transaction.atomic
def reminder_job_retry(*, actor, job_id: int) -> ReminderJob:
    """Staff send a failed job again: it is queued anew and the organisations it already reminded today are
    skipped (one reminder per day)."""
    access.require_staff(actor)
    job = ReminderJob.objects.select_for_update().get(pk=job_id)
    if job.status != JobStatus.FAILED:
        raise ValidationError("Chỉ gửi lại được yêu cầu đã bị lỗi.")
    ReminderJob.objects.filter(pk=job_id).update(status=JobStatus.QUEUED, error="", finished_at=None)
    audit.record(actor=actor, action="reminder_job.retry", target=job, changes={"error": job.error})
    outbox.retry("notifications.run_reminder_job", job.pk, key=_job_key(job.pk), actor=actor)
    job.refresh_from_db()
    return job


def reminder_job_fail(*, job_id: int, error: str) -> None:
    ReminderJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED, error=error[:500], finished_at=timezone.now()
    )


def reminder_job_run(*, job_id: int) -> ReminderJob | None:
    """Run a queued job: the conditional UPDATE claims it, so a finished or failed job is not run again. A job left
    "running" by a dead worker is run again when the outbox requeues it (its message is the lease): each
    reminder is its own transaction and is sent at most once a day, so the rerun sends only what is missing."""
    claimed = ReminderJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING
    )
    if not claimed:
        return None
    job = ReminderJob.objects.select_related("deadline", "requested_by").get(pk=job_id)
    day = timezone.localdate()
    processed = 0
    for organization in selectors.owing_organizations(job.deadline, day, sector=job.sector):
        reminder_send(
            organization_id=organization.pk,
            deadline_id=job.deadline_id,
            kind=ReminderKind.MANUAL,
            day=day,
            job=job,
            actor=job.requested_by,
        )
        processed += 1
    # Counted from the rows, so a rerun after a crash reports the reminders of both runs.
    reminded = Reminder.objects.filter(job_id=job_id).count()
    skipped = max(processed - reminded, 0)
    ReminderJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, reminded=reminded, skipped=skipped, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def submission_received(*, submission, actor) -> None:
    """Called by the shared workflow, in its transaction, when a submission is sent: queue the notification of
    committee staff. With the broker down it is done in-process after the commit instead: nothing is lost."""
    outbox.enqueue(
        "notifications.submission_received",
        ContentType.objects.get_for_model(submission).pk,
        submission.pk,
        actor.pk,
        inline_if_broker_down=True,
    )


@transaction.atomic
def submission_received_notify(*, content_type_id: int, object_id: int, actor_id: int | None = None) -> int:
    """An in-app notification to every active committee staff member (but the sender) that a submission
    arrived."""
    submission = ContentType.objects.get_for_id(content_type_id).get_object_for_this_type(pk=object_id)
    organization = submission.organization
    sender = organization.name if organization else "Đảng ủy Khối"
    staff = list(User.objects.filter(Q(role=Role.STAFF) | Q(is_superuser=True), is_active=True).exclude(pk=actor_id))
    url = submission.get_absolute_url() if hasattr(submission, "get_absolute_url") else ""
    # A returned item coming back says so: staff look for what was asked.
    last = (
        SubmissionEvent.objects.filter(content_type_id=content_type_id, object_id=object_id)
        .order_by("-at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    verb = "đã gửi lại sau khi bổ sung" if last == EventAction.RESUBMITTED else "đã gửi"
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            category=NotificationCategory.SUBMISSION,
            title=f"{sender} {verb}: {submission}"[:255],
            body=f"{submission._meta.verbose_name.capitalize()} “{submission}” của {sender} đang chờ duyệt.",
            url=url,
            organization=organization,
        )
        for user in staff
    )
    audit.record(
        actor=None, action="notification.submission_received", target=submission, changes={"staff": len(staff)}
    )
    return len(staff)


# --- Telling the organisation of a decision ------------------------------------------------------------------


def decision_text(
    *, submission, action: str, day: date, comment: str = "", detail: str = "", field_comments=()
) -> tuple[str, str]:
    """Title and body of the notice an organisation gets when staff decide on its submission. `field_comments`:
    (field label, comment) pairs of a return, listed as the fields to fix."""
    department = _signature(day)["department"]
    what = f"{submission._meta.verbose_name} “{submission}”"
    if action == "returned":
        title = f"Hồ sơ bị trả lại để bổ sung: {submission}"
        lines = [f"{department} đã trả lại {what} ngày {day:%d/%m/%Y}.", f"Lý do: {comment}"]
        if field_comments:
            lines.append("Các mục cần sửa, bổ sung:")
            lines += [f"- {label}: {text}" for label, text in field_comments]
        lines.append("Đề nghị đồng chí bổ sung theo ý kiến trên rồi gửi lại.")
    elif action == "accepted":
        title = f"Hồ sơ đã được tiếp nhận: {submission}"
        lines = [f"{department} đã tiếp nhận {what} ngày {day:%d/%m/%Y}."]
        lines += [line for line in (detail, f"Ý kiến: {comment}" if comment else "") if line]
    else:  # a decision outside the workflow (commendation, replication): the caller says it
        title, lines = f"{detail}: {submission}", [f"{department} thông báo: {detail} — {what}.", comment]
    return title[:255], "\n".join(line for line in lines if line)


def organization_notice(*, submission, key: str, title: str, body: str) -> None:
    """After the commit, tell the submission's organisation: an in-app notice to each of its active officers and
    an e-mail to their addresses and the organisation's own, with a link to the item. Queued; with the broker
    down it is done in-process instead. Bloc-level work (no organisation) tells nobody."""
    if submission.organization_id is None:
        return
    content_type_id = ContentType.objects.get_for_model(submission).pk
    outbox.enqueue(
        "notifications.organization_notice",
        content_type_id,
        submission.pk,
        key,
        title,
        body,
        key=f"notice:{key}",
        inline_if_broker_down=True,
    )


@transaction.atomic
def organization_notice_send(*, content_type_id: int, object_id: int, key: str, title: str, body: str) -> int:
    """The notice itself. Idempotent: the notifications are keyed on `key`; if they exist, nothing is sent."""
    submission = ContentType.objects.get_for_id(content_type_id).get_object_for_this_type(pk=object_id)
    organization = submission.organization
    officers, addresses = selectors.reminder_recipients(organization)
    url = submission.get_absolute_url()
    if Notification.objects.filter(source_key=key, organization=organization).exists():
        return 0
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(
                Notification(
                    recipient=user,
                    category=NotificationCategory.DECISION,
                    title=title,
                    body=body,
                    url=url,
                    organization=organization,
                    source_key=key,
                )
                for user in officers
            )
    except IntegrityError:  # another run of the same task got there first
        return 0
    audit.record(
        actor=None,
        action="notification.decision",
        target=submission,
        changes={"key": key, "officers": len(officers), "emailed_to": addresses},
    )
    if addresses:
        context = {"organization": organization, "body": body, "url": _absolute(url), **_signature()}
        email = render_to_string("notifications/email/decision_body.txt", context)
        outbox.enqueue("notifications.send_notice_email", key, title, email, addresses, key=f"notice-email:{key}")
    return len(officers)


def notice_email_deliver(*, key: str, subject: str, body: str, addresses: list[str]) -> bool:
    """A decision notice's e-mail. The outbox runs it once and retries it after a mail server failure (the
    in-app notice is there already)."""
    try:
        EmailMessage(subject=subject, body=body, to=addresses).send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Notice %s: e-mail to %s failed", key, addresses)
        raise
    return True


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Only the recipient's own unread notification changes (personal display state: no audit row)."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
