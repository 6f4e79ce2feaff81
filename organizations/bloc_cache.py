"""The bloc's names that every page's header and footer show, kept per process instead of one query a page.

Never stale: the copy is kept with the version it was read under, a number in the shared cache (Redis) that
every write of a Bloc or BlocProfile row bumps, at once and again when its transaction commits
(receivers connected in OrganizationsConfig.ready: the services, the data admin, the seed and test factories
all write through the ORM). Each page reads the version (one cache GET, ~0.15 ms against ~0.5 ms of CPU for the
query) and reads the bloc again when it moved or the day changed. Bumping again on commit covers a process
that read the old row between the write and its commit: it kept it under the first bump's version. A copy is
also never older than MAX_AGE seconds, a bound for what cannot be seen (the commit's bump failing).

When the cache cannot be reached, pages read the bloc from the database as before; a write of the bloc then
fails rather than leave other processes showing the old name. Setting: CURRENT_BLOC_CACHE (default on when
a shared cache is configured; a per-process local-memory cache cannot tell one gunicorn worker of another's
write). Off in tests unless marked `bloc_cache` (tests/conftest.py)."""

import logging
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dukportal.core import cache_versions

logger = logging.getLogger(__name__)

VERSION_KEY = "bloc:version"
MAX_AGE = 300  # seconds

# (version, day, read at (monotonic), header) of this process; replaced whole, so threads never see half of it.
_kept: tuple | None = None


@dataclass(frozen=True)
class BlocHeader:
    """What pages show of the bloc in force today (the Bloc row's own fields, as organizations.blocs keeps them)."""

    id: int
    name: str
    parent_name: str
    symbol: str
    place_name: str
    propaganda_department_name: str


def enabled() -> bool:
    return bool(getattr(settings, "CURRENT_BLOC_CACHE", False))


def _version() -> int:
    return cache_versions.read(VERSION_KEY)


def _bump() -> None:
    cache_versions.bump(VERSION_KEY)


def changed(**kwargs) -> None:
    """Receiver of post_save / post_delete of Bloc and BlocProfile: every process reads the bloc again, now and
    after the commit."""
    global _kept
    _kept = None
    if not enabled():
        return
    _bump()
    transaction.on_commit(_bump)


def _read(day: date) -> BlocHeader | None:
    from .selectors import current_bloc

    bloc = current_bloc(day)
    if bloc is None:
        return None
    return BlocHeader(
        id=bloc.pk,
        name=bloc.name,
        parent_name=bloc.parent_name,
        symbol=bloc.symbol,
        place_name=bloc.place_name,
        propaganda_department_name=bloc.propaganda_department_name,
    )


def current_header() -> BlocHeader | None:
    """The bloc in force today as pages show it (None: no bloc recorded)."""
    global _kept
    day = timezone.localdate()
    if not enabled():
        return _read(day)
    try:
        version = _version()
    except Exception:  # the cache is down: the database still answers, as before this cache
        logger.warning("bloc cache unreachable; reading the bloc from the database", exc_info=True)
        _kept = None
        return _read(day)
    kept = _kept
    if kept is not None and kept[0] == version and kept[1] == day and time.monotonic() - kept[2] < MAX_AGE:
        return kept[3]
    header = _read(day)
    # Kept under the version read *before* the row: a write committed since has moved the version on.
    _kept = (version, day, time.monotonic(), header) if header is not None else None
    return header
