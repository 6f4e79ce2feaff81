"""Figures that many users read (the dashboard, campaign and cycle statistics, deadline tracking, the compliance
matrix, the organisation list's totals) served from the cache (Redis when configured, see CACHES in settings),
never stale.

A cached figure is keyed by the global figures version, the reference date, the viewer's scope and the page's
own parameters. Every service write bumps the version when its transaction commits (dukportal.core.audit
calls `changed()` for every audited write except sign-in events; the backup restore calls it too), so the
next read after any change computes afresh: there is no per-figure invalidation to forget. A figure for a
date depends only on the data and that date (what had been sent by the end of the day, who owed it), so
nothing else needs to be in the key.

The version starts from the clock when the cache does not hold it (first use, eviction, a flushed Redis):
entries written under an earlier version can never be read again.

Setting: FIGURES_CACHE_SECONDS (default 3600 when a shared cache, Redis, is configured, else 0: a per-process
local-memory cache would let one gunicorn worker serve a figure another worker's write made stale). Tests run with it off unless marked
`figures_cache` (tests/conftest.py)."""

import hashlib
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from dukportal.core import cache_versions

VERSION_KEY = "figures:version"


def seconds() -> int:
    return int(getattr(settings, "FIGURES_CACHE_SECONDS", 0))


def enabled() -> bool:
    return seconds() > 0


def version() -> int:
    return cache_versions.read(VERSION_KEY)


def _bump() -> None:
    cache_versions.bump(VERSION_KEY)


def changed() -> None:
    """The data behind the figures changed: bump the version when the current transaction commits (at once
    outside a transaction; never when it rolls back). Once per transaction, however many writes it makes."""
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def scope_of(user) -> str:
    """Who the figure is for: everyone who reads everything (staff, leaders) sees the same figures; an officer
    only their organisation's."""
    if getattr(user, "is_authenticated", False) and getattr(user, "reads_everything", False):
        return "all"
    return f"org{getattr(user, 'organization_id', None) or 0}"


def key(name: str, *, on: date, user, params: tuple = ()) -> str:
    parts = ":".join(str(part) for part in params)
    if len(parts) > 64 or not parts.isprintable() or " " in parts:  # a raw page number typed in the address…
        parts = digest(parts)  # …keeps the key short and safe for any cache backend
    return ":".join(["figures", str(version()), name, on.isoformat(), scope_of(user), parts])


def digest(text: str) -> str:
    """A typed text (a search) as a key part: fixed length, no spaces or control characters, the same for the
    same text."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def cached(name: str, *, on: date, user, compute: Callable, params: tuple = ()):
    """`compute()`'s value for (name, reference date, the user's scope, params) at the current figures version,
    from the cache when it holds it. The value must pickle (dataclasses, model instances, lists)."""
    if not enabled():
        return compute()
    cache_key = key(name, on=on, user=user, params=params)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, seconds())
    return value
