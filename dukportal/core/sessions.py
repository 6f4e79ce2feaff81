"""Django's database sessions, with the one read every signed-in request makes written as SQL once per process.

`SESSION_ENGINE = "dukportal.core.sessions"`. The same table, rows, cookie, expiry and signing as
`django.contrib.sessions.backends.db` (this subclasses it; saving, cycling and flushing are Django's): only the
lookup of the session's data differs. Django builds and compiles `Session.objects.get(session_key=…,
expire_date__gt=now)` on every request, about 0.5 ms of CPU to run a 0.1 ms query (bench/load.py --profile,
issue 13); here the statement is the same query, its text built once."""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _select_sql(vendor: str, table: str, data: str, key: str, expires: str) -> str:
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"  # noqa: S608 (names, not values)


class SessionStore(db.SessionStore):
    """Django's database session store (`django.contrib.sessions.backends.db`), reading a session's data in
    one prepared statement."""

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
