import socket
import threading
from contextlib import contextmanager

import pytest
from django.db import connection

from dukportal.celery import app as celery_app


@pytest.fixture(autouse=True)
def reminder_settings(settings):
    """Pin the reminder cadence, whatever the environment says."""
    settings.REMINDER_DAYS_BEFORE = [7, 1]
    settings.REMINDER_DAYS_AFTER = [1, 7, 14]
    settings.SITE_URL = "https://cong.example.vn"
    # These tests create many accounts; the production hasher would spend seconds on their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _reset_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def celery_eager():
    """Run tasks in-process (Celery's eager mode), even when REDIS_URL points at a real broker."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@contextmanager
def celery_broker(url: str):
    """Queue tasks for real to `url` (not eager) for the duration of the block."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    _reset_connections()
    try:
        yield celery_app
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _reset_connections()


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def in_threads(count: int, target, *, timeout: float) -> None:
    """Run `target` in `count` threads, each with its own database connection, and fail on any error."""
    errors = []

    def run():
        try:
            target()
        except Exception as error:  # reported to the test thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors
