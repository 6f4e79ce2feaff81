"""A transactional test's flush on PostgreSQL by DELETE instead of TRUNCATE.

After each `django_db(transaction=True)` test Django empties every table with one `TRUNCATE t1, ..., t68`:
PostgreSQL gives each table and index a new file, 3-6 s a flush measured on two shared cores, while the few
rows such a test writes DELETE in milliseconds. Every foreign key is DEFERRABLE INITIALLY DEFERRED (Django's),
so the order of the DELETEs does not matter: the checks run once all are done. The register's row trigger
refuses to delete an issued document (reports migration 0002); TRUNCATE does not fire it, so the user triggers
that fire on DELETE are disabled around the DELETEs, inside the flush's transaction. The content types and
permissions that the flush's post_migrate signal would insert again are kept instead. A flush that restarts
sequences (reset_sequences=True) or cascades keeps Django's TRUNCATE.

Use `deleting()` around a module (a module-scoped autouse fixture) or install it for the whole run."""

import contextlib

import pytest
from django.db import connection as default_connection

# What the flush's post_migrate signal writes back at once (every model's content type and permissions): kept
# rather than deleted and inserted again, one commit per app. No test adds or removes one of its own.
REBUILT_BY_POST_MIGRATE = frozenset({"django_content_type", "auth_permission"})

DELETE_TRIGGERS = """
SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND (t.tgtype & 8) = 8 AND c.relname = ANY(%s)
"""


def _sql_flush(plain):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return plain(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        with self.connection.cursor() as cursor:
            cursor.execute(DELETE_TRIGGERS, [list(tables)])
            guarded = sorted(cursor.fetchall())
        quote = self.quote_name
        return [
            *(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)};" for table, name in guarded),
            *(f"DELETE FROM {quote(table)};" for table in tables if table not in REBUILT_BY_POST_MIGRATE),
            # The deferred foreign-key checks run now (every table is empty: they pass), so that no trigger
            # event is pending on a table whose trigger is enabled again.
            "SET CONSTRAINTS ALL IMMEDIATE;",
            *(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)};" for table, name in guarded),
            "SET CONSTRAINTS ALL DEFERRED;",  # Django's foreign keys are all INITIALLY DEFERRED
        ]

    sql_flush.deletes = True
    return sql_flush


@contextlib.contextmanager
def deleting(connection=default_connection):
    """Flush by DELETE while inside (PostgreSQL; nothing changes on another database)."""
    operations = type(connection.ops)
    if connection.vendor != "postgresql" or getattr(operations.sql_flush, "deletes", False):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", _sql_flush(operations.sql_flush))
        yield
