"""The manual reminder jobs (staff pressing "Nhắc" on the tracking page or the matrix) go the daily job's way: the
reminders in bulk, one e-mail per organisation (its digest for the job), the e-mails in batches over one SMTP
connection, exactly once across a rerun of the job, a redelivered e-mail task, a second click and two clicks at
once, and statements constant in the number of organisations."""

import threading
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.core import audit, outbox
from dukportal.notifications import services, tasks
from dukportal.notifications.models import Notification, Reminder, ReminderDigest, ReminderJob

from .conftest import in_threads
from .factories import at, campaign_with_deadlines, deadline_of, organization_with_officer
from .mail_backends import CountingBackend

DAY = date(2024, 5, 8)


@pytest.fixture
def counting_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.CountingBackend"
    CountingBackend.reset()
    return CountingBackend


@pytest.fixture
def deadline(bloc):
    """Registrations for 2024, due in 7 days on DAY."""
    return deadline_of(campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15)))


def owing(count, start=0):
    return [
        organization_with_officer(
            code=f"ORG{n:03}", name=f"Đảng bộ đơn vị số {n}", email=f"canbo{n}@donvi.vn", org_email=f"dv{n}@donvi.vn"
        )
        for n in range(start, start + count)
    ]


def press_remind(staff_client, deadline, capture, day=DAY):
    """Staff confirm "Nhắc đơn vị chưa nộp"; the queued job and its e-mails run (eager) after the commit."""
    with time_machine.travel(at(day, hour=10), tick=False), capture(execute=True):
        response = staff_client.post(reverse("notifications:remind", args=[deadline.pk]), {"confirm": "1"})
    assert response.status_code == 302
    return ReminderJob.objects.first()


@pytest.mark.django_db
def test_a_manual_job_sends_one_email_per_organisation_in_batches_over_one_connection(
    staff_client, staff_user, deadline, counting_mail, monkeypatch, django_capture_on_commit_callbacks
):
    (first, officer), *_others = owing(5)
    monkeypatch.setattr(services, "DIGEST_EMAIL_BATCH", 2)
    job = press_remind(staff_client, deadline, django_capture_on_commit_callbacks)

    assert (job.status, job.reminded, job.skipped) == ("done", 5, 0)
    assert len(mail.outbox) == 5
    assert counting_mail.connections == 3  # 2 + 2 + 1, not one connection per reminder
    [message] = [m for m in mail.outbox if "canbo0@donvi.vn" in m.to]
    assert message.to == ["canbo0@donvi.vn", "dv0@donvi.vn"]
    assert message.subject == "[Nhắc hạn] Đăng ký mô hình “Dân vận khéo” năm 2024 — hạn 15/05/2024"
    assert message.body.startswith("Kính gửi: Đảng bộ đơn vị số 0\n")
    [notice] = Notification.objects.filter(recipient=officer)
    assert notice.title == "Nhắc hạn: Đăng ký mô hình “Dân vận khéo” năm 2024 — hạn 15/05/2024, còn 7 ngày"
    assert notice.body == message.body
    # On record: the reminder, sent, in the job's digest; audited in the name of the staff member who asked.
    reminder = Reminder.objects.get(organization=first)
    assert (reminder.kind, reminder.job, reminder.digest.job) == ("manual", job, job)
    assert reminder.email_sent_at is not None and reminder.digest.email_sent_at is not None
    [entry] = audit.history_of(reminder.digest).filter(action="reminder.send_digest")
    assert entry.actor == staff_user and entry.changes["job"] == job.pk
    assert [r["reminder"] for r in entry.changes["reminders"]] == [reminder.pk]


@pytest.mark.django_db
def test_a_rerun_a_redelivery_and_a_second_click_send_nothing_more(
    staff_client, deadline, django_capture_on_commit_callbacks
):
    owing(3)
    job = press_remind(staff_client, deadline, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3

    # The job's message delivered again (acks_late redelivery, the sweeper): the finished job is not run again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_reminder_job.delay(job.pk).get() == {"job": job.pk, "reminded": None}
    # The e-mail task delivered again: every digest is marked sent.
    assert tasks.send_reminder_digests.delay(list(ReminderDigest.objects.values_list("pk", flat=True))).get() == 0
    # Staff press "Nhắc" again the same day: everyone was reminded today.
    again = press_remind(staff_client, deadline, django_capture_on_commit_callbacks)
    assert (again.status, again.reminded, again.skipped) == ("done", 0, 3)

    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 3 and ReminderDigest.objects.count() == 3
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_a_run_that_dies_half_way_leaves_nothing_and_its_rerun_sends_each_email_once(
    deadline, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    owing(3)
    with time_machine.travel(at(DAY, hour=10), tick=False):
        job = services.reminder_job_create(actor=staff_user, deadline=deadline)  # not run: its callback is dropped
        real_enqueue = outbox.enqueue

        def worker_dies(task, *args, **kwargs):
            if task == "notifications.send_reminder_digests":
                raise SystemExit("worker killed")
            return real_enqueue(task, *args, **kwargs)

        monkeypatch.setattr(outbox, "enqueue", worker_dies)
        with pytest.raises(SystemExit):
            services.reminder_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == "running"  # claimed, then lost with its transaction: nothing was written
        assert not Reminder.objects.exists() and not Notification.objects.exists()

        monkeypatch.setattr(outbox, "enqueue", real_enqueue)
        with django_capture_on_commit_callbacks(execute=True):
            job = services.reminder_job_run(job_id=job.pk)  # the outbox requeues the lost run
    assert (job.status, job.reminded) == ("done", 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo0@donvi.vn", "canbo1@donvi.vn", "canbo2@donvi.vn"]


@pytest.mark.django_db
def test_after_the_daily_digest_a_manual_job_still_reminds_and_the_daily_rerun_adds_nothing(
    staff_client, deadline, django_capture_on_commit_callbacks
):
    owing(2)
    with time_machine.travel(at(DAY), tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.delay().get()  # 07:00: "còn 7 ngày" for both
    assert len(mail.outbox) == 2
    press_remind(staff_client, deadline, django_capture_on_commit_callbacks)  # 10:00: staff chase them again
    assert len(mail.outbox) == 4
    with time_machine.travel(at(DAY, hour=11), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.delay().get() == {"day": "2024-05-08", "queued": 0}
    assert len(mail.outbox) == 4
    digests = ReminderDigest.objects.values_list("organization__code", "job_id")
    assert sorted((code, job is not None) for code, job in digests) == [
        ("ORG000", False),  # the day's
        ("ORG000", True),  # the job's
        ("ORG001", False),
        ("ORG001", True),
    ]


@pytest.mark.django_db
def test_a_manual_jobs_statements_do_not_grow_with_the_number_of_organisations(
    deadline, staff_user, django_capture_on_commit_callbacks
):
    def run_job(day):
        with time_machine.travel(at(day, hour=10), tick=False), django_capture_on_commit_callbacks(execute=True):
            job = services.reminder_job_create(actor=staff_user, deadline=deadline)
        return ReminderJob.objects.get(pk=job.pk)

    owing(3)
    with CaptureQueriesContext(connection) as three:
        assert run_job(DAY).reminded == 3
    owing(20, start=3)
    with CaptureQueriesContext(connection) as twenty_three:
        assert run_job(date(2024, 5, 9)).reminded == 23
    assert len(mail.outbox) == 26
    # The job, its e-mail task and their outbox rows: the same statements for 3 or 23 organisations.
    assert len(twenty_three) == len(three), [q["sql"][:120] for q in twenty_three.captured_queries]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_send_each_organisation_one_email(postgres_only, deadline, staff_user):
    owing(6)
    # Two jobs queued by a double click, picked up by two workers at once.
    jobs = iter([ReminderJob.objects.create(deadline=deadline, requested_by=staff_user) for _ in range(2)])
    start = threading.Barrier(2, timeout=10)

    def worker():
        job = next(jobs)
        start.wait()
        tasks.run_reminder_job.apply(args=[job.pk])

    with time_machine.travel(at(DAY, hour=10), tick=False):
        in_threads(2, worker, timeout=60)
    assert sorted(job.reminded for job in ReminderJob.objects.all()) == [0, 6]
    assert Reminder.objects.count() == 6 and ReminderDigest.objects.count() == 6
    assert Notification.objects.count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"canbo{n}@donvi.vn" for n in range(6))
