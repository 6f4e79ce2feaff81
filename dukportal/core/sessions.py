"""Django's database sessions, with the one read every signed-in request makes written as SQL once per process.

`SESSION_ENGINE = "dukportal.core.sessions"`. The same table, rows, cookie, expiry and signing as
`django.contrib.sessions.backends.db` (this subclasses it; saving, cycling and flushing are Django's): only the
lookup of the session's data differs. Django builds and compiles `Session.objects.get(session_key=…,
expire_date__gt=now)` on every request, about 0.5 ms of CPU to run a 0.1 ms query (bench/load.py --profile,
issue 13); here the statement is the same query, its text built once.

The session's data is checked (its HMAC signature, then unpacked) once per process for each distinct signed text
and keys: about 50 µs of each signed-in request (bench/README.md, "Branch load7"). The same text with the same keys
always verifies the same way, so only the check is remembered; the data is parsed afresh for every request (a
request's changes never reach another), and text that fails the check is not remembered (Django's own decode
answers it, logging a tampered session)."""

from functools import cache, lru_cache

from django.conf import settings
from django.contrib.sessions.backends import db
from django.core import signing
from django.db import connections, router
from django.utils import timezone


@cache
def _select_sql(vendor: str, table: str, data: str, key: str, expires: str) -> str:
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"  # noqa: S608 (names, not values)


class _Verified:
    """A "serializer" for signing.loads that keeps the verified, unpacked bytes as they are."""

    def loads(self, data: bytes) -> bytes:
        return data


@lru_cache(maxsize=4096)  # a few hundred bytes an entry: the live sessions of a busy day at most
def _verified(session_data: str, salt: str, key: str, fallback_keys: tuple[str, ...]) -> bytes:
    # The keys are part of the cache's key: a SECRET_KEY rotated (or a fallback dropped) is checked again.
    return signing.loads(session_data, key=key, salt=salt, serializer=_Verified, fallback_keys=list(fallback_keys))


class SessionStore(db.SessionStore):
    """Django's database session store (`django.contrib.sessions.backends.db`), reading a session's data in
    one prepared statement, its signature checked once per process."""

    def decode(self, session_data):
        try:
            data = _verified(session_data, self.key_salt, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
            return self.serializer().loads(data)
        except Exception:
            return super().decode(session_data)  # Django's answer (and log line) for tampered or unreadable data

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote, meta = connection.ops.quote_name, model._meta
        sql = _select_sql(
            connection.vendor,
            quote(meta.db_table),
            quote(meta.get_field("session_data").column),
            quote(meta.get_field("session_key").column),
            quote(meta.get_field("expire_date").column),
        )
        # Not yet expired, as Django's `expire_date__gt=timezone.now()`, in the database's own datetime form.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does for a missing or expired session: a new one is made
            return None
        return model(session_key=self.session_key, session_data=row[0])
