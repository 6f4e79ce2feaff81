"""The daily job at scale: every reminder of the day in bulk, one e-mail per organisation listing all it owes
(Vietnamese, each deadline with its due date and days left), the e-mails in batches over one SMTP connection,
exactly once across reruns, redelivery and two runs at once, and statements constant in the organisations."""

import threading
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dukportal.core import audit
from dukportal.notifications import services, tasks
from dukportal.notifications.models import Notification, Reminder, ReminderDigest
from dukportal.submissions.models import Deadline

from .conftest import in_threads
from .factories import at, campaign_with_deadlines, organization_with_officer
from .mail_backends import CountingBackend

DAY = date(2024, 5, 8)
BACKEND = "tests.notifications.mail_backends.CountingBackend"


@pytest.fixture
def counting_mail(settings):
    settings.EMAIL_BACKEND = BACKEND
    CountingBackend.reset()
    return CountingBackend


@pytest.fixture
def three_deadlines(bloc):
    """On DAY: one deadline due in 7 days, one due today, one passed yesterday (registrations of three
    campaigns; their evaluations are owed by nobody)."""
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    campaign_with_deadlines(2025, registration_deadline=DAY)
    campaign_with_deadlines(
        2023,
        registration_deadline=date(2024, 5, 7),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
    )


def owing(count, start=0):
    return [
        organization_with_officer(
            code=f"ORG{n:03}", name=f"Đảng bộ đơn vị số {n}", email=f"canbo{n}@donvi.vn", org_email=f"dv{n}@donvi.vn"
        )
        for n in range(start, start + count)
    ]


def run_daily_job(capture, day=DAY):
    with time_machine.travel(at(day), tick=False), capture(execute=True):
        return tasks.send_due_reminders.delay().get()


@pytest.mark.django_db
def test_each_organisation_gets_one_email_listing_all_it_owes_in_vietnamese(
    three_deadlines, django_capture_on_commit_callbacks
):
    (first, officer), _second = owing(2)
    summary = run_daily_job(django_capture_on_commit_callbacks)

    assert summary == {"day": "2024-05-08", "queued": 6}
    assert Reminder.objects.count() == 6 and ReminderDigest.objects.count() == 2
    assert len(mail.outbox) == 2
    [message] = [m for m in mail.outbox if "canbo0@donvi.vn" in m.to]
    assert message.to == ["canbo0@donvi.vn", "dv0@donvi.vn"]
    assert message.subject == "[Nhắc hạn] Đơn vị còn 3 hồ sơ chưa gửi (1 hồ sơ đã quá hạn)"
    assert message.body.startswith("Kính gửi: Đảng bộ đơn vị số 0\n")
    assert "Ban Tuyên giáo nhắc: đơn vị còn 3 hồ sơ chưa gửi trên Cổng thông tin:" in message.body
    # Soonest due first, each with its due date and what is left.
    assert (
        "1. “Đăng ký mô hình “Dân vận khéo” năm 2023” — hạn nộp ngày 07/05/2024, đã quá hạn 1 ngày.\n"
        "2. “Đăng ký mô hình “Dân vận khéo” năm 2025” — hạn nộp ngày 08/05/2024, hôm nay là hạn cuối.\n"
        "3. “Đăng ký mô hình “Dân vận khéo” năm 2024” — hạn nộp ngày 15/05/2024, còn 7 ngày.\n"
    ) in message.body
    assert f"https://cong.example.vn/to-chuc/{first.pk}/" in message.body
    assert "Trân trọng,\nBan Tuyên giáo – Đảng ủy Khối cơ quan và doanh nghiệp tỉnh" in message.body

    # In the portal too: one notice for the day, the same text.
    [notice] = Notification.objects.filter(recipient=officer)
    assert notice.title == "Nhắc hạn: đơn vị còn 3 hồ sơ chưa gửi, 1 hồ sơ đã quá hạn"
    assert notice.body == message.body and notice.url == first.get_absolute_url()
    # Each reminder is on record, with the e-mail that carried it.
    reminders = Reminder.objects.filter(organization=first)
    assert {r.kind for r in reminders} == {"before", "due", "late"}
    assert all(r.email_sent_at and r.notified_users == 1 for r in reminders)
    # Audited: one row per organisation's digest, naming its reminders.
    digest = ReminderDigest.objects.get(organization=first)
    [entry] = audit.history_of(digest).filter(action="reminder.send_digest")
    assert sorted(r["reminder"] for r in entry.changes["reminders"]) == sorted(r.pk for r in reminders)
    assert entry.changes["emailed_to"] == ["canbo0@donvi.vn", "dv0@donvi.vn"]


@pytest.mark.django_db
def test_running_the_job_again_and_redelivering_the_emails_sends_nothing_twice(
    three_deadlines, django_capture_on_commit_callbacks
):
    owing(3)
    run_daily_job(django_capture_on_commit_callbacks)
    assert run_daily_job(django_capture_on_commit_callbacks) == {"day": "2024-05-08", "queued": 0}
    # The e-mail task delivered again (acks_late redelivery past the outbox): already sent, skipped.
    assert tasks.send_reminder_digests.delay(list(ReminderDigest.objects.values_list("pk", flat=True))).get() == 0
    assert Reminder.objects.count() == 9 and ReminderDigest.objects.count() == 3
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_emails_share_one_connection_per_batch(
    bloc, counting_mail, monkeypatch, django_capture_on_commit_callbacks
):
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    owing(10)
    monkeypatch.setattr(services, "DIGEST_EMAIL_BATCH", 4)
    run_daily_job(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 10
    assert counting_mail.connections == 3  # 4 + 4 + 2


@pytest.mark.django_db
def test_a_mail_server_failure_mid_batch_is_recorded_and_the_retry_sends_only_the_rest(
    bloc, counting_mail, monkeypatch, django_capture_on_commit_callbacks
):
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    owing(3)
    real_send = CountingBackend.send_messages
    calls = []

    def fail_second(self, messages):
        calls.append(messages[0].to[0])
        if len(calls) == 2:
            raise ConnectionRefusedError("SMTP không phản hồi")
        return real_send(self, messages)

    monkeypatch.setattr(CountingBackend, "send_messages", fail_second)
    run_daily_job(django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == ["canbo0@donvi.vn"]
    digests = {d.organization.code: d for d in ReminderDigest.objects.select_related("organization")}
    assert digests["ORG000"].email_sent_at is not None
    assert digests["ORG001"].email_sent_at is None and "SMTP không phản hồi" in digests["ORG001"].email_error
    assert "SMTP không phản hồi" in Reminder.objects.get(organization__code="ORG001").email_error

    # The outbox retries the batch: the one already sent is not sent again.
    assert tasks.send_reminder_digests.delay(list(ReminderDigest.objects.values_list("pk", flat=True))).get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo0@donvi.vn", "canbo1@donvi.vn", "canbo2@donvi.vn"]
    assert not ReminderDigest.objects.filter(email_sent_at__isnull=True).exists()
    assert not Reminder.objects.filter(email_sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_jobs_statements_do_not_grow_with_the_number_of_organisations(bloc, django_capture_on_commit_callbacks):
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    owing(5)
    with CaptureQueriesContext(connection) as five:
        run_daily_job(django_capture_on_commit_callbacks, day=date(2024, 5, 8))
    owing(25, start=5)
    with CaptureQueriesContext(connection) as thirty:
        run_daily_job(django_capture_on_commit_callbacks, day=date(2024, 5, 14))
    assert Reminder.objects.filter(day=date(2024, 5, 14)).count() == 30
    assert len(mail.outbox) == 35
    # The job, its e-mail task and their outbox rows: the same statements for 5 or 30 organisations.
    assert len(thirty) == len(five), [q["sql"][:120] for q in thirty.captured_queries]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_daily_jobs_at_the_same_moment_send_each_organisation_one_email(postgres_only, three_deadlines):
    owing(6)
    start = threading.Barrier(2, timeout=10)

    def daily_job():
        start.wait()
        tasks.send_due_reminders.apply(args=[DAY.isoformat()])

    in_threads(2, daily_job, timeout=60)
    assert Reminder.objects.count() == 18 and ReminderDigest.objects.count() == 6
    assert Notification.objects.count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"canbo{n}@donvi.vn" for n in range(6))
    assert all("còn 3 hồ sơ chưa gửi" in m.body for m in mail.outbox)
    assert Deadline.objects.count() == 9  # three campaigns' deadlines: nothing else was created
