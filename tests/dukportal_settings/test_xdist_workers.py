"""pytest-xdist workers each get their own Redis databases (tests/conftest.py), so a Celery test that purges its
queue or a cache test that clears the cache never touches another worker's."""

import os

import pytest
from django.conf import settings

from dukportal.celery import app as celery_app
from tests.conftest import RUN_REDIS_URL, worker_redis_urls


def test_worker_k_gets_broker_n_plus_2k_and_cache_n_plus_2k_plus_1():
    assert worker_redis_urls("redis://127.0.0.1:6379/40", None) == (
        "redis://127.0.0.1:6379/40",
        "redis://127.0.0.1:6379/41",
    )
    assert worker_redis_urls("redis://127.0.0.1:6379/40", "gw0") == (
        "redis://127.0.0.1:6379/40",
        "redis://127.0.0.1:6379/41",
    )
    assert worker_redis_urls("redis://127.0.0.1:6379/40", "gw1") == (
        "redis://127.0.0.1:6379/42",
        "redis://127.0.0.1:6379/43",
    )
    assert worker_redis_urls("redis://127.0.0.1:6379/0/", "gw3") == (
        "redis://127.0.0.1:6379/6",
        "redis://127.0.0.1:6379/7",
    )


def test_a_url_without_a_database_number_counts_from_database_0():
    assert worker_redis_urls("redis://h:6379", "gw2") == ("redis://h:6379/4", "redis://h:6379/5")


def test_this_worker_uses_its_own_databases_for_broker_cache_and_subprocesses():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and settings.REDIS_URL):
        pytest.skip("runs under pytest-xdist with REDIS_URL set (scripts/test.sh in CI)")
    broker, cache = worker_redis_urls(RUN_REDIS_URL, worker)
    assert settings.CELERY_BROKER_URL == celery_app.conf.broker_url == os.environ["REDIS_URL"] == broker
    assert settings.CACHES["default"]["LOCATION"] == cache
    if worker != "gw0":
        assert broker != RUN_REDIS_URL
