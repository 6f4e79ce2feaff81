"""Emptying a SQLite database the way PostgreSQL's TRUNCATE empties it, despite the register's triggers.

On PostgreSQL a flush (a transactional test's teardown, bench/dataset.reset_database) TRUNCATEs, which the
row trigger that keeps issued documents from being changed or deleted (reports migration 0002) does not see.
SQLite flushes with DELETE, which the trigger refuses ("issued_document_is_frozen"). So on SQLite the flush
lifts the triggers around its DELETEs and puts them back. Only a flush of the whole table does this: a service
deleting a row still meets the trigger."""

import importlib

from django.db import connection as default_connection


def flush_like_truncate(connection=default_connection) -> None:
    """Patch the SQLite backend's flush (once per process; nothing on another database)."""
    if connection.vendor != "sqlite":
        return
    operations = type(connection.ops)
    if getattr(operations.sql_flush, "lifts_document_triggers", False):
        return
    frozen = importlib.import_module("reports.migrations.0002_issued_document_frozen")
    plain_flush = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = plain_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "reports_document" not in tables:
            return statements
        return [*frozen.SQLITE_REVERSE, *statements, *frozen.SQLITE_FORWARD]

    sql_flush.lifts_document_triggers = True
    operations.sql_flush = sql_flush
