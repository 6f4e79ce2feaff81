"""A version number kept in the shared cache (Redis when configured): what a process read under an older number
is stale. Read starts it from the clock when the cache does not hold it (first use, eviction, a flushed Redis),
so a new start can never meet an entry kept under an older number; bump moves it on (the figures cache,
organizations.bloc_cache)."""

import time

from django.core.cache import cache


def read(key: str) -> int:
    current = cache.get(key)
    if current is None:
        cache.add(key, time.time_ns(), timeout=None)
        current = cache.get(key)
    return current


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not in the cache: a new start differs from every version read before
        cache.add(key, time.time_ns(), timeout=None)
