"""The outbox: work written with the change that asks for it survives a crash after the commit and a broker
outage, runs once however often it is delivered, is retried with doubling waits, and every task is limited in
time and queued through the one helper."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dukportal.celery import app as celery_app
from dukportal.core import outbox
from dukportal.core.models import AuditEntry, OutboxMessage
from dukportal.notifications import services as notification_services
from reports import exports
from reports.models import ExportJob
from tests.notifications.conftest import celery_broker, closed_port
from tests.notifications.factories import at, campaign_with_deadlines, deadline_of, organization_with_officer

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2024, 5, 8)  # 7 days before the registration deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def owing(bloc):
    campaign = campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    organization, _officer = organization_with_officer(email="canbo@donvi.vn")
    return organization, deadline_of(campaign)


def _remind(organization, deadline):
    with time_machine.travel(at(DAY), tick=False):
        return notification_services.reminder_send(
            organization_id=organization.pk, deadline_id=deadline.pk, kind="before", day=DAY
        )


def test_a_crash_between_the_commit_and_the_email_loses_nothing_the_relay_sends_it_once(
    owing, django_capture_on_commit_callbacks
):
    # The process dies right after the commit: the on-commit hand-over to the broker never happens.
    with django_capture_on_commit_callbacks(execute=False):
        reminder = _remind(*owing)
    assert reminder is not None and mail.outbox == []
    message = OutboxMessage.objects.get(key=f"reminder-email:{reminder.pk}")
    assert message.status == "pending"

    for _ in range(2):  # the relay runs every minute; twice must not send twice
        with django_capture_on_commit_callbacks(execute=True):
            outbox.relay()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["canbo@donvi.vn"]
    reminder.refresh_from_db()
    assert reminder.email_sent_at is not None
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("done", 1)


def test_a_message_delivered_twice_runs_once_and_a_key_queues_once(owing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminder = _remind(*owing)
        again = outbox.enqueue("notifications.send_reminder_email", reminder.pk, key=f"reminder-email:{reminder.pk}")
    assert OutboxMessage.objects.filter(task="notifications.send_reminder_email").count() == 1
    assert outbox.run(again.pk)["status"] == "done"
    assert outbox.run(again.pk)["status"] == "skipped"  # a redelivery (acks_late) claims nothing
    assert len(mail.outbox) == 1


def test_a_batch_runs_its_pending_messages_at_once_and_their_dispatch_then_sends_nothing_twice(
    owing, django_capture_on_commit_callbacks
):
    # What seed_demo does without a broker: the work queued after a given message runs in one transaction.
    with django_capture_on_commit_callbacks(execute=False):
        earlier = outbox.enqueue("notifications.send_reminder_email", 0, key="queued-before")
    with django_capture_on_commit_callbacks(execute=False) as dispatches:
        reminder = _remind(*owing)
    assert outbox.run_pending_at_once(after=earlier.pk) == 1
    message = OutboxMessage.objects.get(key=f"reminder-email:{reminder.pk}")
    assert (message.status, message.attempts) == ("done", 1) and message.dispatched_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["canbo@donvi.vn"]
    assert OutboxMessage.objects.get(pk=earlier.pk).status == "pending"  # queued before: not this batch's
    for dispatch in dispatches:
        dispatch()
    assert len(mail.outbox) == 1


def test_a_failing_email_is_retried_with_doubling_waits_then_marked_failed(
    owing, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from django.core.mail import EmailMessage

    calls = []

    def refuse(self, fail_silently=False):
        calls.append(1)
        raise ConnectionRefusedError("SMTP không phản hồi")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_BACKOFF = 3, 10
    with django_capture_on_commit_callbacks(execute=False):
        reminder = _remind(*owing)
    message = OutboxMessage.objects.get(key=f"reminder-email:{reminder.pk}")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.run(message.pk) == {"status": "retry", "countdown": 10}
        assert outbox.run(message.pk) == {"status": "skipped"}  # not before its time
    with time_machine.travel(start + timedelta(seconds=11), tick=False):
        assert outbox.run(message.pk) == {"status": "retry", "countdown": 20}
    with time_machine.travel(start + timedelta(seconds=32), tick=False):
        assert outbox.run(message.pk) == {"status": "failed"}
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 3 and "SMTP không phản hồi" in message.last_error
    reminder.refresh_from_db()
    assert reminder.email_sent_at is None and "SMTP không phản hồi" in reminder.email_error
    assert len(calls) == 3


def test_the_sweeper_requeues_work_left_running_past_its_lease(owing, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=False):
        reminder = _remind(*owing)
    message = OutboxMessage.objects.get(key=f"reminder-email:{reminder.pk}")
    # A worker claimed it and died.
    OutboxMessage.objects.filter(pk=message.pk).update(status="running", attempts=1, claimed_at=timezone.now())
    assert outbox.sweep()["requeued"] == 0  # still within its lease: the worker may be alive
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == {"requeued": 1, "failed": 0, "relayed": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("done", 2)
    assert len(mail.outbox) == 1


def test_with_redis_down_the_export_page_works_and_the_job_runs_when_redis_returns(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    with (
        celery_broker(f"redis://127.0.0.1:{closed_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_client.post(reverse("reports:export_start"), {"kind": "deadline_matrix"})
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("reports:export_job", args=[job.pk])
        page = staff_client.get(response["Location"])
    assert page.status_code == 200
    assert "Đang chờ" in page.content.decode() and "sẽ chạy khi máy chủ xử lý sẵn sàng" in page.content.decode()
    job.refresh_from_db()
    assert job.status == "queued"
    assert OutboxMessage.objects.get(key=f"export:{job.pk}").status == "pending"

    with django_capture_on_commit_callbacks(execute=True):  # Redis is back: the relay hands the job over
        assert outbox.relay() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100
    assert staff_client.get(reverse("reports:export_download", args=[job.pk])).status_code == 200


def test_an_export_failing_every_attempt_shows_lỗi_and_thử_lại_runs_it_again(
    staff_client, staff_user, django_capture_on_commit_callbacks, monkeypatch
):
    filename, build = exports.EXPORTS["deadline_matrix"]

    def broken(progress, **kwargs):
        raise RuntimeError("hết bộ nhớ")

    monkeypatch.setitem(exports.EXPORTS, "deadline_matrix", (filename, broken))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reports:export_start"), {"kind": "deadline_matrix"})
    job = ExportJob.objects.get()
    assert job.status == "failed" and "hết bộ nhớ" in job.error
    page = staff_client.get(response["Location"]).content.decode()
    assert "Lỗi" in page and "Thử lại" in page and reverse("reports:export_retry", args=[job.pk]) in page

    monkeypatch.setitem(exports.EXPORTS, "deadline_matrix", (filename, build))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reports:export_retry", args=[job.pk]))
    assert response["Location"] == reverse("reports:export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and not job.error
    assert AuditEntry.objects.filter(action="export.retry", target_id=str(job.pk)).exists()
    assert AuditEntry.objects.filter(action="outbox.retry").exists()


def test_retrying_a_job_that_has_not_failed_is_refused(staff_client, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:export_start"), {"kind": "deadline_matrix"})
    job = ExportJob.objects.get()
    response = staff_client.post(reverse("reports:export_retry", args=[job.pk]), follow=True)
    assert "Chỉ chạy lại được yêu cầu xuất dữ liệu đã bị lỗi." in response.content.decode()


@pytest.mark.redis
def test_clearing_the_cache_does_not_remove_queued_work(staff_user, django_capture_on_commit_callbacks):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL (the cache is in memory otherwise)")
    broker_url = settings.CELERY_BROKER_URL
    assert settings.CACHES["default"]["LOCATION"] != broker_url  # another database of the same server
    broker = redis.Redis.from_url(broker_url)
    queue = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] + settings.CELERY_TASK_DEFAULT_QUEUE
    try:
        with celery_broker(broker_url) as app, django_capture_on_commit_callbacks(execute=True):
            app.control.purge()
            with transaction.atomic():
                outbox.enqueue("core.outbox_relay")
        assert broker.llen(queue) == 1
        cache.set("tracking-page", "cached")
        cache.clear()
        assert cache.get("tracking-page") is None
        assert broker.llen(queue) == 1  # the queued work is still there
    finally:
        broker.delete(queue)


def test_every_task_has_a_time_limit():
    outbox._task(outbox.RUNNER_TASK)  # load every app's tasks
    ours = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert {"core.run_outbox_message", "notifications.send_reminder_email", "reports.run_export"} <= set(ours)
    for name, task in ours.items():
        assert task.time_limit and task.soft_time_limit, name
        assert task.soft_time_limit < task.time_limit <= settings.OUTBOX_LEASE_SECONDS, name
    assert celery_app.conf.task_time_limit and celery_app.conf.task_soft_time_limit  # celery's own tasks too
    runner = ours["core.run_outbox_message"]
    assert runner.acks_late and runner.reject_on_worker_lost and runner.max_retries


def test_every_enqueue_in_the_code_goes_through_the_outbox():
    call = re.compile(r"\.(delay|apply_async|send_task)\(|enqueue_safely")
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", ".venv"} or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if call.search(line) and relative != Path("dukportal/core/outbox.py"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
    assert "apply_async(" in (ROOT / "dukportal/core/outbox.py").read_text()


def test_retry_views_refuse_anonymous_outsiders_and_officers(
    client, staff_user, leader_user, officer_user, django_capture_on_commit_callbacks
):
    from dukportal.notifications.models import ReminderJob

    job = ExportJob.objects.create(kind="deadline_matrix", created_by=leader_user, status="failed")
    reminder_job = ReminderJob.objects.create(
        deadline=deadline_of(campaign_with_deadlines(2024)), requested_by=staff_user, status="failed"
    )
    urls = [reverse("reports:export_retry", args=[job.pk]), reverse("notifications:job_retry", args=[reminder_job.pk])]
    for url in urls:  # anonymous → login
        assert client.post(url).status_code == 302 and "dang-nhap" in client.post(url)["Location"]
    client.force_login(officer_user)
    assert [client.post(url).status_code for url in urls] == [403, 403]
    client.force_login(staff_user)  # another user's export: 404
    assert client.post(urls[0]).status_code == 404
    client.force_login(leader_user)  # leaders read, staff send reminders
    assert client.post(urls[1]).status_code == 403
    job.refresh_from_db()
    reminder_job.refresh_from_db()
    assert job.status == reminder_job.status == "failed"
    assert not AuditEntry.objects.filter(action__endswith=".retry").exists()
