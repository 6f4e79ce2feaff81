"""/health/ reports each dependency for a load balancer: 200 when all pass, 503 naming the failing ones."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connections
from django.utils import timezone

from dukportal.celery import app as celery_app
from dukportal.core import health

pytestmark = pytest.mark.django_db

LOCAL_REDIS = "redis://127.0.0.1:6379/10"


@pytest.fixture
def celery_conf():
    """Change the Celery app's configuration for one test."""
    saved = {}

    def change(**values):
        for key in values:
            saved.setdefault(key, celery_app.conf[key])
        celery_app.conf.update(values)

    yield change
    celery_app.conf.update(saved)


@pytest.fixture
def with_broker(celery_conf, settings):
    """A real Redis broker and cache instead of single-process mode."""
    celery_conf(task_always_eager=False, broker_url=LOCAL_REDIS)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LOCAL_REDIS}}
    try:
        health.check_cache()
    except Exception:
        pytest.skip("needs Redis on 127.0.0.1:6379")


def test_single_process_mode_is_healthy_and_says_what_does_not_apply(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    checks = body["checks"]
    assert set(checks) == {"database", "cache", "broker", "storage", "worker"}
    assert [checks[name]["status"] for name in ("database", "cache", "storage")] == ["ok", "ok", "ok"]
    assert checks["broker"]["status"] == checks["worker"]["status"] == "not_applicable"
    assert response["Cache-Control"] == "no-store"


def test_probe_from_the_load_balancer_needs_no_known_host_nor_https(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.vn"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # everything else still checks the host


def test_with_redis_every_dependency_is_checked_and_the_worker_heartbeat_counts(client, with_broker):
    health.heartbeat()
    body = client.get("/health/").json()
    assert {name: check["status"] for name, check in body["checks"].items()} == dict.fromkeys(health.CHECKS, "ok")

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_worker_without_any_heartbeat_is_failing(client, with_broker):
    from django.core.cache import cache

    cache.delete(health.HEARTBEAT_KEY)
    response = client.get("/health/?checks=worker")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "failing"


def test_heartbeat_task_stamps_the_cache(with_broker):
    from django.core.cache import cache

    from dukportal.core.tasks import worker_heartbeat

    stamp = worker_heartbeat.apply().get()
    assert cache.get(health.HEARTBEAT_KEY) == stamp


def test_broker_down_is_reported(client, celery_conf):
    celery_conf(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    response = client.get("/health/?checks=database,broker")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"]["status"] == "ok"


def test_cache_down_is_reported(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/health/?checks=cache,storage")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_storage_not_writable_is_reported(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocker)}},
    }
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["storage"]
    assert body["checks"]["storage"]["error"]  # the error's class, not its text


def test_database_down_is_reported(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/health/?checks=database")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "failing": ["database"],
        "checks": {"database": {"status": "failing", "error": "OperationalError", "ms": pytest.approx(0, abs=1000)}},
    }


def test_unknown_check_name_is_a_bad_request(client):
    response = client.get("/health/?checks=database,disk")
    assert response.status_code == 400
    assert response.json()["unknown_checks"] == ["disk"]
