"""dukportal.core.cache.RedisCache: Django's Redis cache with one redis-py client per pool, same behaviour."""

import threading
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from dukportal.core.cache import RedisCache

pytestmark = pytest.mark.redis


def _location() -> str:
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return settings.CACHES["default"]["LOCATION"]
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    return settings.REDIS_URL


@pytest.fixture
def caches():
    """Ours and Django's on the same Redis database and key prefix; this test's keys deleted afterwards."""
    params = {"KEY_PREFIX": f"test-redis-cache-{uuid.uuid4().hex}"}
    ours, djangos = RedisCache(_location(), params), DjangoRedisCache(_location(), params)
    yield ours, djangos
    client = djangos._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{params['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


def test_one_client_per_pool_reused_by_every_call(caches):
    ours, djangos = caches
    client = ours._cache.get_client("a")
    assert ours._cache.get_client("b") is client
    assert ours._cache.get_client("a", write=True) is client  # one server: reads and writes share pool 0
    assert client.connection_pool is ours._cache._get_connection_pool(False)
    assert djangos._cache.get_client("a") is not djangos._cache.get_client("a")  # what this backend saves


def test_reads_and_writes_as_djangos_backend(caches):
    ours, djangos = caches
    ours.set("figure", {"sent": 3, "owed": 7}, timeout=60)
    assert djangos.get("figure") == {"sent": 3, "owed": 7}
    djangos.set("version", 41, timeout=None)
    assert ours.incr("version") == 42
    assert djangos.get("version") == 42
    assert ours.add("version", 1) is False
    assert ours.add("fresh", "x", timeout=60) is True
    assert ours.get_many(["figure", "fresh", "missing"]) == {"figure": {"sent": 3, "owed": 7}, "fresh": "x"}
    ours.set_many({"a": 1, "b": 2}, timeout=60)
    assert djangos.get_many(["a", "b"]) == {"a": 1, "b": 2}
    assert ours.has_key("a") and ours.touch("a", timeout=10)
    assert 0 < djangos._cache.get_client().ttl(djangos.make_and_validate_key("a")) <= 10
    ours.set("gone", 1, timeout=0)  # timeout 0: not kept, as Django's
    assert djangos.get("gone", "default") == "default"
    assert ours.delete("a") is True and djangos.get("a") is None
    ours.delete_many(["b", "fresh"])
    assert djangos.get_many(["b", "fresh"]) == {}


def test_shared_client_serves_threads_at_once(caches):
    ours, _ = caches
    ours.set("counter", 0, timeout=60)
    errors = []

    def bump():
        try:
            for _ in range(50):
                ours.incr("counter")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ours.get("counter") == 200
