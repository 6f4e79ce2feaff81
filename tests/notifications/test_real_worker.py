"""A real Celery worker on the local Redis: the daily job, queued for real, fans out through Redis and the
worker's reminder arrives as an in-app notification and an e-mail."""

import os
import time
from datetime import date

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail

from dukportal.notifications import tasks
from dukportal.notifications.models import Notification, Reminder

from .conftest import celery_broker
from .factories import campaign_with_deadlines, organization_with_officer

# The worker's Redis: REDIS_URL when set (CI, each developer's own db number), else db 6 of the local server.
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_delivers_the_reminder(bloc, monkeypatch):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS}")
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    organization, officer = organization_with_officer(name="Đảng bộ Sở Công Thương", email="canbo@sct.vn")

    with celery_broker(REDIS) as app:
        assert app.conf.task_always_eager is False
        monkeypatch.setitem(app.conf, "worker_hijack_root_logger", False)  # leave pytest's logging alone
        app.control.purge()  # leftovers of an interrupted run would otherwise run first
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
            result = tasks.send_due_reminders.delay("2024-05-08")  # goes through Redis, as beat sends it
            assert result.id
            arrived = wait_for(lambda: Notification.objects.filter(recipient=officer).exists())
            # The e-mail is its own outbox message, queued by the reminder's transaction: the worker sends it next.
            emailed = wait_for(lambda: len(mail.outbox) == 1, timeout=15)

    assert arrived, "the worker did not deliver the notification"
    notification = Notification.objects.get(recipient=officer)
    assert notification.title == "Nhắc hạn: Đăng ký mô hình “Dân vận khéo” năm 2024 — hạn 15/05/2024, còn 7 ngày"
    reminder = Reminder.objects.get(organization=organization)
    assert (reminder.kind, reminder.day) == ("before", date(2024, 5, 8))
    assert emailed
    assert mail.outbox[0].to == ["canbo@sct.vn"]
