"""A real Celery worker process on the local Redis is killed (SIGKILL) while it runs a manual reminder job. The
job does not stay "Đang gửi" forever: the sweeper puts its outbox message back and a restarted worker finishes
it, each organisation reminded once; or, after its last attempt, it is shown "Lỗi" and staff can retry it."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dukportal.core import outbox
from dukportal.core.models import AuditEntry, OutboxMessage
from dukportal.notifications import services
from dukportal.notifications.models import Notification, Reminder, ReminderJob

from .conftest import celery_broker
from .factories import campaign_with_deadlines, deadline_of, organization_with_officer
from .test_real_worker import REDIS, redis_reachable, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _skip_without_postgresql_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database: PostgreSQL only (SQLite's is in memory)")
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS}")


@pytest.fixture
def real_worker_setup():
    _skip_without_postgresql_and_redis()
    with celery_broker(REDIS) as app:
        app.control.purge()
        yield app
        app.control.purge()


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# `celery -A dukportal worker ...` in a process that has already imported Django, the app and Celery's command
# while the test ran, and starts the worker when told: what a restarted container does, minus the seconds of
# imports (the worker itself starts from nothing: it connects, declares its queues, then consumes).
STANDBY = """
import sys

import django

django.setup()
import dukportal.celery  # noqa: E402,F401
from celery.bin.celery import main  # noqa: E402

if sys.stdin.readline().strip() == "start":
    sys.argv = ["celery", *sys.argv[1:]]
    main()
"""


class Worker:
    """`celery worker` in its own process, on the test database and the test Redis, started by `start()`."""

    def __init__(self, log: Path):
        environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
        environment.update(DATABASE_URL=_database_url(), REDIS_URL=REDIS, DEBUG="true", EMAIL_URL="consolemail://")
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-c", STANDBY, "-A", "dukportal", "worker", "--pool=solo", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=environment, stdin=subprocess.PIPE, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def start(self):
        self.process.stdin.write(b"start\n")
        self.process.stdin.close()
        assert wait_for(lambda: "ready" in self.log.read_text(), timeout=90), self.log.read_text()
        return self

    @property
    def running(self) -> bool:
        return self.process.stdin.closed and self.process.poll() is None

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)  # no warm shutdown, no ack: what an OOM kill or a crash does
        self.process.wait(timeout=30)

    def stop(self, wait=True):
        if self.process.poll() is None:
            if not self.process.stdin.closed:
                self.process.stdin.close()  # a standby never started: it exits
            self.process.terminate()
            if not wait:
                return
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def worker_pool(tmp_path_factory):
    """The module's worker processes: the one running, kept from a test to the next (its connections idle
    across the flush), and standbys importing while the tests run."""
    _skip_without_postgresql_and_redis()
    logs = tmp_path_factory.mktemp("workers")
    processes = [Worker(logs / "worker0.log"), Worker(logs / "worker1.log")]  # a test kills one, restarts one
    yield processes
    for worker in processes:  # all told at once, then waited for
        worker.stop(wait=False)
    for worker in processes:
        worker.stop()


@pytest.fixture
def workers(worker_pool):
    """`workers()`: a worker is running (the one left running, or the standby started); kill it to stop it."""

    def start():
        running = [worker for worker in worker_pool if worker.running]
        if running:
            return running[0]
        standby = next(worker for worker in worker_pool if not worker.process.stdin.closed)
        worker_pool.append(Worker(standby.log.with_name(f"worker{len(worker_pool)}.log")))
        return standby.start()

    return start


def _blocking_reminder(organization_id: int, deadline_id: int):
    """A second connection inserts, without committing, the reminder the job is about to insert: the worker's
    INSERT waits on the unique index, mid-job, until this transaction ends. The test's "slow step"."""
    db = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or "127.0.0.1", port=db["PORT"]
    )
    with blocker.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_reminder (organization_id, deadline_id, kind, day, created_at, notified_users,"
            " emailed_to, email_error) VALUES (%s, %s, 'manual', %s, now(), 0, '', '')",
            [organization_id, deadline_id, timezone.localdate()],
        )
    return blocker


def _waits_on(blocker) -> bool:
    """Whether another session (the worker's) waits for a lock the blocker's transaction holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [blocker.get_backend_pid()]
        )
        return cursor.fetchone()[0] > 0


def _job_in_flight(staff_user, workers):
    """Two organisations owe a deadline; staff start a manual reminder job; the worker has claimed it and is
    stuck in the middle of it when it is killed."""
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in (10, 20, 30)]
    campaign = campaign_with_deadlines(
        today.year, plan_date=today, registration_deadline=days[0], midyear_deadline=days[1], yearend_deadline=days[2]
    )
    deadline = deadline_of(campaign)
    officers = []
    for n in range(2):
        organization, officer = organization_with_officer(email=f"canbo{n}@donvi.vn")
        officers.append(officer)
    blocker = _blocking_reminder(officers[1].organization_id, deadline.pk)
    job = services.reminder_job_create(actor=staff_user, deadline=deadline)  # autocommit: queued to Redis now
    message = OutboxMessage.objects.get(key=f"reminder-job:{job.pk}")
    worker = workers()
    assert wait_for(lambda: ReminderJob.objects.get(pk=job.pk).status == "running", timeout=60)
    assert wait_for(lambda: _waits_on(blocker), timeout=30)  # the worker is now waiting on the blocked INSERT
    worker.kill()
    blocker.rollback()
    blocker.close()
    job.refresh_from_db()
    message.refresh_from_db()
    assert job.status == "running" and message.status == "running"  # what used to stay "Đang gửi" forever
    return job, message, officers


def test_a_job_killed_mid_run_is_requeued_by_the_sweeper_and_completed_by_a_restarted_worker(
    real_worker_setup, staff_user, workers, settings
):
    job, message, officers = _job_in_flight(staff_user, workers)

    workers()  # the worker comes back (compose restarts it)
    settings.OUTBOX_LEASE_SECONDS = 0  # the lease (a task's time limit + a minute) has run out
    # So has the re-dispatch interval: an e-mail queued before the kill may sit reserved by the dead worker.
    settings.OUTBOX_REDISPATCH_SECONDS = 0
    assert outbox.sweep()["requeued"] >= 1  # the job (the new worker may already be sending the first e-mail)

    assert wait_for(lambda: ReminderJob.objects.get(pk=job.pk).status == "done", timeout=60)
    job.refresh_from_db()
    assert job.reminded == 2
    assert Reminder.objects.filter(job=job).count() == 2
    for officer in officers:  # each organisation reminded exactly once, whatever ran before the kill
        assert Notification.objects.filter(recipient=officer).count() == 1
    assert wait_for(lambda: Reminder.objects.filter(job=job, email_sent_at__isnull=False).count() == 2, timeout=30)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("done", 2)


def test_a_job_killed_on_its_last_attempt_is_shown_failed_and_staff_retry_it(
    real_worker_setup, staff_user, staff_client, workers, settings
):
    job, message, officers = _job_in_flight(staff_user, workers)
    OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=1)

    settings.OUTBOX_LEASE_SECONDS = 0
    assert outbox.sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed" and "bị dừng giữa chừng" in job.error
    page = staff_client.get(reverse("notifications:tracking")).content.decode()
    assert "Lỗi" in page and "Thử lại" in page and reverse("notifications:job_retry", args=[job.pk]) in page

    workers()
    response = staff_client.post(reverse("notifications:job_retry", args=[job.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="reminder_job.retry", target_id=str(job.pk)).exists()
    assert wait_for(lambda: ReminderJob.objects.get(pk=job.pk).status == "done", timeout=60)
    job.refresh_from_db()
    assert job.reminded == 2 and not job.error
    for officer in officers:
        assert Notification.objects.filter(recipient=officer).count() == 1
