"""Writes for reminders and notifications. The only way a reminder is sent or a notification created.

Idempotency: the daily job (reminders_daily_send), the manual jobs (reminder_job_run) and reminder_send insert
the Reminder rows (unique per organisation, deadline, kind and day) before anything is sent, and send only what
the call inserted; the jobs' e-mail is one ReminderDigest per organisation (and day, or manual job), marked when
sent. E-mails and jobs are queued through the outbox (dukportal.core.outbox) in the same transaction as the
change, so a crash after the commit loses nothing."""

import logging
import smtplib
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dukportal.core import audit, outbox, prepared
from dukportal.submissions import deadlines, listeners, timeline
from dukportal.submissions.models import Deadline, EventAction, SubmissionEvent
from organizations import access
from organizations.models import BaseOrganization, Role, User
from organizations.selectors import current_bloc

from . import selectors
from .models import (
    JobStatus,
    Notification,
    NotificationCategory,
    Reminder,
    ReminderDigest,
    ReminderJob,
    ReminderKind,
)

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


def reminder_text(*, organization: BaseOrganization, deadline: Deadline, day: date, signature=None) -> dict:
    """The Vietnamese wording of a reminder: notification title and body, e-mail subject and body.
    `signature`: _signature(day), when the caller words many."""
    days = (deadline.due_date - day).days
    context = {
        "organization": organization,
        "deadline": deadline,
        "days": days,
        "late_days": -days,
        "url": _absolute(organization.get_absolute_url()),
        **(signature or _signature(day)),
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


# --- The daily job: every reminder of the day in bulk, one e-mail per organisation --------------------------------

# Digests per e-mail task: one SMTP connection each, well inside its time limit at a few hundred ms a message.
DIGEST_EMAIL_BATCH = 50


def _lock_day(day: date) -> None:
    """Serialise two daily runs of the same day (a redelivered beat message, a manual rerun): the second waits
    for the first's commit and then finds every row there. The unique constraints stay the guarantee; the lock
    makes an organisation's reminders of a day land in one run, so in one e-mail. SQLite serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5E3D, day.toordinal()])


def digest_text(*, organization: BaseOrganization, items: list[tuple[Deadline, str]], day: date, signature) -> dict:
    """The Vietnamese wording of one organisation's reminders of a day (deadline, kind), soonest due first:
    e-mail subject and body, notification title. With one deadline it reads as a single reminder."""
    items = sorted(items, key=lambda item: (item[0].due_date, item[0].pk))
    if len(items) == 1:
        return reminder_text(organization=organization, deadline=items[0][0], day=day, signature=signature)
    rows = [{"deadline": d, "days": (d.due_date - day).days, "late_days": (day - d.due_date).days} for d, _ in items]
    late = sum(row["days"] < 0 for row in rows)
    context = {
        "organization": organization,
        "items": rows,
        "count": len(rows),
        "late": late,
        "url": _absolute(organization.get_absolute_url()),
        **signature,
    }
    title = f"Nhắc hạn: đơn vị còn {len(rows)} hồ sơ chưa gửi"
    title += f", {late} hồ sơ đã quá hạn" if late else f" — hạn gần nhất {rows[0]['deadline'].due_date:%d/%m/%Y}"
    return {
        "title": title[:255],
        "subject": render_to_string("notifications/email/reminder_digest_subject.txt", context)
        .strip()
        .replace("\n", " ")[:255],
        "body": render_to_string("notifications/email/reminder_digest_body.txt", context),
    }


@transaction.atomic
def reminders_daily_send(*, day: date) -> dict:
    """The day's automatic reminders (selectors.reminders_due: who owes what, which kind), in bulk and in one
    transaction (_reminders_write): one digest per organisation listing all of them. Run again (redelivery, a
    second beat, two at once) it finds every row there and sends nothing. Statements: constant in the number of
    organisations, plus one outbox message per DIGEST_EMAIL_BATCH."""
    _lock_day(day)
    return {"day": day.isoformat(), "queued": _reminders_write(work=selectors.reminders_due(day), day=day)}


def _reminders_write(
    *, work: list[tuple[Deadline, str, list[int]]], day: date, job: ReminderJob | None = None, actor=None
) -> int:
    """Write and queue reminders in bulk: `work` is (deadline, kind, organisation ids). A Reminder row per
    organisation and deadline (INSERT … ON CONFLICT DO NOTHING on its unique key, then read back by this run's
    id: the new ones), one digest per organisation listing all of them (the day's, or a manual job's), an in-app
    notification per officer, an audit row per digest, and the e-mails queued through the outbox in batches
    sharing one SMTP connection. Only what this call inserted is sent. Returns how many reminders are new.
    The caller holds the transaction and the lock that serialises two runs of the same work."""
    organization_ids = sorted({pk for _deadline, _kind, ids in work for pk in ids})
    if not organization_ids:
        return 0
    organizations = BaseOrganization.objects.in_bulk(organization_ids)
    recipients = selectors.reminder_recipients_of(list(organizations.values()))
    run = uuid.uuid4()
    rows = [
        Reminder(
            organization_id=organization_id,
            deadline=deadline,
            kind=kind,
            day=day,
            run=run,
            job=job,
            notified_users=len(recipients[organization_id][0]),
            emailed_to=",".join(recipients[organization_id][1]),
        )
        for deadline, kind, ids in work
        for organization_id in ids
    ]
    # One order for every run, so two concurrent inserts meet on the same first row instead of interleaving.
    rows.sort(key=lambda r: (r.organization_id, r.deadline.pk, r.kind))
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # The rows this run inserted (not the ones a run before it did): ids of the objects built above.
    inserted = {
        (org_id, deadline_id, kind): pk
        for pk, org_id, deadline_id, kind in Reminder.objects.filter(run=run).values_list(
            "pk", "organization_id", "deadline_id", "kind"
        )
    }
    new = [r for r in rows if (r.organization_id, r.deadline.pk, r.kind) in inserted]
    if not new:
        return 0
    items = defaultdict(list)
    for reminder in new:
        reminder.pk = inserted[(reminder.organization_id, reminder.deadline.pk, reminder.kind)]
        reminder.organization = organizations[reminder.organization_id]
        items[reminder.organization_id].append((reminder.deadline, reminder.kind))
    signature = _signature(day)
    texts = {
        pk: digest_text(organization=organizations[pk], items=org_items, day=day, signature=signature)
        for pk, org_items in items.items()
    }
    ReminderDigest.objects.bulk_create(
        [
            ReminderDigest(
                organization_id=pk,
                day=day,
                job=job,
                run=run,
                subject=texts[pk]["subject"],
                body=texts[pk]["body"],
                emailed_to=",".join(recipients[pk][1]),
            )
            for pk in items
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    digests = list(ReminderDigest.objects.filter(run=run).order_by("pk"))
    # Each new reminder points at its organisation's digest (the day's, or the job's: the lock makes it this run's).
    same_digest = {"job": job} if job else {"job__isnull": True, "day": day}
    Reminder.objects.filter(run=run).update(
        digest=Subquery(
            ReminderDigest.objects.filter(organization=OuterRef("organization_id"), **same_digest).values("pk")[:1]
        )
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=officer,
                category=NotificationCategory.REMINDER,
                title=texts[digest.organization_id]["title"],
                body=digest.body,
                url=organizations[digest.organization_id].get_absolute_url(),
                organization_id=digest.organization_id,
                source_key=f"reminder-digest:{digest.pk}",
            )
            for digest in digests
            for officer in recipients[digest.organization_id][0]
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    # One audit row per organisation: its digest, naming every reminder it carries.
    reminders_of = defaultdict(list)
    for reminder in new:
        reminders_of[reminder.organization_id].append(
            {"reminder": reminder.pk, "deadline": reminder.deadline.pk, "kind": reminder.kind}
        )
    audit.record_many(
        actor=actor,
        action="reminder.send_digest",
        entries=[
            (
                digest,
                {
                    "day": day,
                    **({"job": job.pk} if job else {}),
                    "reminders": reminders_of[digest.organization_id],
                    "notified_users": len(recipients[digest.organization_id][0]),
                    "emailed_to": digest.email_addresses,
                },
            )
            for digest in digests
        ],
    )
    to_mail = [digest.pk for digest in digests if digest.emailed_to]
    for start in range(0, len(to_mail), DIGEST_EMAIL_BATCH):
        batch = to_mail[start : start + DIGEST_EMAIL_BATCH]
        outbox.enqueue("notifications.send_reminder_digests", batch, key=f"reminder-digests:{batch[0]}-{batch[-1]}")
    return len(new)


def reminder_digests_deliver(*, digest_ids: list[int]) -> int:
    """Send a batch of digests over one SMTP connection, each once: a sent one is marked (with its reminders)
    and skipped by a retry. A mail server failure is recorded on the digest it stopped at and raised, so the
    outbox retries the rest later. Returns how many were sent."""
    digests = list(
        ReminderDigest.objects.filter(pk__in=digest_ids, email_sent_at__isnull=True)
        .exclude(emailed_to="")
        .order_by("pk")
    )
    if not digests:
        return 0
    sent: list[int] = []
    mail = get_connection()
    try:
        mail.open()
        for digest in digests:
            EmailMessage(subject=digest.subject, body=digest.body, to=digest.email_addresses, connection=mail).send()
            sent.append(digest.pk)
    except (smtplib.SMTPException, OSError) as error:
        stopped_at = digests[len(sent)].pk
        ReminderDigest.objects.filter(pk=stopped_at).update(email_error=str(error)[:500])
        Reminder.objects.filter(digest_id=stopped_at).update(email_error=str(error)[:500])
        raise
    finally:
        mail.close()
        if sent:  # even when the batch stopped half-way: what went out is never sent again
            now = timezone.now()
            with transaction.atomic():
                ReminderDigest.objects.filter(pk__in=sent).update(email_sent_at=now, email_error="")
                Reminder.objects.filter(digest__in=sent).update(email_sent_at=now, email_error="")
    return len(sent)


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
    """Run a queued job: the conditional UPDATE claims it, so a finished or failed job is not run again. The
    reminders go the daily job's way (_reminders_write): in bulk, one transaction, one e-mail per organisation
    (its digest for this job), the e-mails in batches over one SMTP connection. A job left "running" by a dead
    worker is run again when the outbox requeues it (its message is the lease): the dead run's transaction is
    gone, the job's row lock serialises two live runs, and a reminder is sent at most once a day, so a rerun or
    a second click sends only what is missing."""
    claimed = ReminderJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING
    )
    if not claimed:
        return None
    with transaction.atomic():
        job = ReminderJob.objects.select_for_update().select_related("deadline", "requested_by").get(pk=job_id)
        if job.status != JobStatus.RUNNING:  # a run before this one finished it while this one waited
            return job
        day = timezone.localdate()
        owing = [o.pk for o in selectors.owing_organizations(job.deadline, day, sector=job.sector)]
        _reminders_write(work=[(job.deadline, ReminderKind.MANUAL, owing)], day=day, job=job, actor=job.requested_by)
        # Counted from the rows, so a rerun after a crash reports the reminders of both runs.
        reminded = Reminder.objects.filter(job_id=job_id).count()
        ReminderJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE,
            reminded=reminded,
            skipped=max(len(owing) - reminded, 0),
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def submission_received(*, submission, actor) -> None:
    """Listens to the shared workflow (submissions.listeners.SENT), in its transaction, when a submission is sent:
    queue the notification of committee staff. With the broker down it is done in-process after the commit
    instead: nothing is lost."""
    outbox.enqueue(
        "notifications.submission_received",
        ContentType.objects.get_for_model(submission).pk,
        submission.pk,
        actor.pk,
        inline_if_broker_down=True,
    )


def submission_decided(*, decision: listeners.Decision) -> None:
    """Listens to the shared workflow (submissions.listeners.DECIDED), in its transaction, when staff return or
    accept a submission: the organisation hears of it (bell and e-mail, after the commit), keyed on the
    decision's event."""
    title, body = decision_text(
        submission=decision.submission,
        action=decision.action,
        day=decision.day,
        comment=decision.comment,
        detail=decision.detail,
        field_comments=decision.field_comments,
    )
    organization_notice(submission=decision.submission, key=f"event:{decision.event.pk}", title=title, body=body)


def _obligation_key(deadline: Deadline) -> tuple:
    """What the SQL of `deadlines.obligation(deadline.kind).submissions(deadline)` depends on: the deadline's
    fields an obligation reads to find its submissions (the part of a prepared query's key naming the deadline)."""
    return (deadline.pk, deadline.kind, deadline.year, deadline.source_type_id, deadline.source_id)


def _deadline_answered_by(submission) -> Deadline | None:
    """The deadline a submission answers (its kind's `submissions(deadline)` holds it): of the newest year, the
    earliest due (an inspected unit's report answers its visit deadline before the general one). One query for
    the deadlines, one per deadline of the same model tried."""
    model = type(submission)
    # Both reads' SQL compiled once per process (dukportal.core.prepared; the notice task runs after every send):
    # the deadlines of the registered kinds, then for each of this model whether it holds the submission, keyed
    # by the deadline's fields its obligation reads.
    kinds = tuple(sorted(selectors.registered_kinds()))
    names = tuple(f.attname for f in Deadline._meta.concrete_fields)
    rows = prepared.keyed_rows(
        ("deadlines of kinds", kinds),
        lambda: Deadline.objects.filter(kind__in=kinds).order_by("-year", "due_date", "pk").values_list(*names),
    )
    for row in rows:
        deadline = Deadline.from_db("default", names, row)
        queryset = deadlines.obligation(deadline.kind).submissions(deadline)
        if queryset.model is not model:
            continue
        key = ("deadline holds", *_obligation_key(deadline))
        if prepared.rows(
            key, lambda pk, queryset=queryset: queryset.filter(pk=pk).values_list("pk")[:1], submission.pk
        ):
            return deadline
    return None


SUMMARY_LINES = 30  # organisations named in a summary's body; the title counts them all


@transaction.atomic
def submission_received_notify(*, content_type_id: int, object_id: int, actor_id: int | None = None) -> int:
    """Tell every active committee staff member (but the sender) that a submission arrived. For a deadline, one
    notification per staff member, deadline and day ("Hôm nay 12 tổ chức đã gửi …"), counted from the day's
    sending events and updated in place (unread again) as more arrive, with a link to the tracking page; a
    submission answering no deadline gets its own. Statements: constant in the number of staff and senders."""
    submission = ContentType.objects.get_for_id(content_type_id).get_object_for_this_type(pk=object_id)
    staff = list(
        User.objects.filter(Q(role=Role.STAFF) | Q(is_superuser=True), is_active=True)
        .exclude(pk=actor_id)
        .values_list("pk", flat=True)
    )
    deadline = _deadline_answered_by(submission)
    if deadline is None:
        return _submission_notice_single(submission=submission, staff=staff)
    day = timezone.localdate()
    key = f"submissions:{deadline.pk}:{day.isoformat()}"
    # Rows first, then locked: two tasks of the same day take turns, and the second counts the first's sender.
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, category=NotificationCategory.SUBMISSION, title="…", source_key=key)
            for pk in staff
        ],
        ignore_conflicts=True,
    )
    list(Notification.objects.select_for_update().filter(source_key=key, recipient_id__in=staff).values_list("pk"))
    title, body = _submission_summary(deadline=deadline, day=day)
    now = timezone.now()
    # Unchanged text (the same task delivered twice) leaves a read summary read.
    Notification.objects.filter(source_key=key, recipient_id__in=staff).exclude(body=body).update(
        title=title,
        body=body,
        url=reverse("notifications:tracking") + f"#deadline-{deadline.pk}",
        read_at=None,
        created_at=now,
    )
    audit.record(
        actor=None,
        action="notification.submission_received",
        target=submission,
        changes={"staff": len(staff), "deadline": deadline.pk, "summary": title},
    )
    return len(staff)


class _Senders(Func):
    """How many groups PARTITION BY the column makes: its distinct values, NULL a group of its own (the
    committee's sendings). A plain function, as prepared.COUNT_ROWS: the ORM adds no GROUP BY (one total)."""

    template = "COUNT(DISTINCT %(expressions)s) + COALESCE(MAX(CASE WHEN %(expressions)s IS NULL THEN 1 ELSE 0 END), 0)"
    output_field = IntegerField()


def _submission_summary(*, deadline: Deadline, day: date) -> tuple[str, str]:
    """Title and body of the day's summary for a deadline, from the sending events of `day` of its
    submissions: how many organisations sent (or sent again), the latest first. Two queries, whatever the
    number of sendings, their SQL compiled once per process for the deadline and day (dukportal.core.prepared:
    the notice task runs after every send, and the ORM building them cost more than running them)."""
    latest_first = (F("at").desc(), F("pk").desc())

    def sendings() -> QuerySet:
        queryset = deadlines.obligation(deadline.kind).submissions(deadline)
        return SubmissionEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id__in=queryset.values("pk"),
            action__in=[EventAction.SUBMITTED, EventAction.RESUBMITTED],
            at__gte=timeline.end_of(day - timedelta(days=1)),
            at__lt=timeline.end_of(day),
        )

    # Each sender's latest sending of the day (rank 1 of its organisation's, the committee's a group of its own),
    # counted and the first SUMMARY_LINES read in SQL: a busy day's hundreds of events are never loaded (they were,
    # with their JSON fields: 62 ms of CPU a send after ≈ 2,400 of them, bench/README.md, 04/12/2026). The count is
    # that of the partitions, one rank-1 row each.
    def latest() -> QuerySet:
        ranked = sendings().annotate(
            rank=Window(RowNumber(), partition_by=[F("organization_id")], order_by=latest_first)
        )
        return ranked.filter(rank=1).order_by(*latest_first)

    key = ("staff summary", *_obligation_key(deadline), day)
    [(count,)] = prepared.keyed_rows(
        (*key, "count"), lambda: sendings().order_by().values_list(_Senders(F("organization_id")))
    )
    senders = prepared.keyed_rows(
        (*key, "rows"), lambda: latest().values_list("organization__name", "action", "at")[:SUMMARY_LINES]
    )
    title = f"Hôm nay {count} tổ chức đã gửi: {deadline.title}"
    lines = [f"Ngày {day:%d/%m/%Y}, {count} tổ chức đã gửi “{deadline.title}” (hạn {deadline.due_date:%d/%m/%Y}):"]
    for name, action, at in senders:
        verb = "gửi lại sau khi bổ sung" if action == EventAction.RESUBMITTED else "gửi"
        lines.append(f"- {timezone.localtime(at):%H:%M} {name or 'Đảng ủy Khối'} {verb}")
    if count > SUMMARY_LINES:
        lines.append(f"… và {count - SUMMARY_LINES} tổ chức khác.")
    lines.append("Các hồ sơ đang chờ duyệt; xem tiến độ trên trang theo dõi hạn nộp.")
    return title[:255], "\n".join(lines)


def _submission_notice_single(*, submission, staff: list[int]) -> int:
    """A submission answering no deadline: its own notification to each staff member, as before."""
    content_type_id = ContentType.objects.get_for_model(submission).pk
    organization = submission.organization
    sender = organization.name if organization else "Đảng ủy Khối"
    url = submission.get_absolute_url() if hasattr(submission, "get_absolute_url") else ""
    # A returned item coming back says so: staff look for what was asked.
    last = (
        SubmissionEvent.objects.filter(content_type_id=content_type_id, object_id=submission.pk)
        .order_by("-at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    verb = "đã gửi lại sau khi bổ sung" if last == EventAction.RESUBMITTED else "đã gửi"
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            category=NotificationCategory.SUBMISSION,
            title=f"{sender} {verb}: {submission}"[:255],
            body=f"{submission._meta.verbose_name.capitalize()} “{submission}” của {sender} đang chờ duyệt.",
            url=url,
            organization=organization,
        )
        for pk in staff
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
