"""The demo seeded once per set of sources: on PostgreSQL, seed_demo's rows on a given moment are kept in a
database of their own and copied into a test module's transaction, instead of seeding again (10-20 s of CPU
each time, two modules of the suite read the demo of the same moment).

The kept database is named after a fingerprint of what decides the seed's rows: the migrations (the template it
is copied from, tests/template_database.py), every file of the application packages (the seed runs their
services, templates included), the test settings, Django's version, the moment seeded and whether Celery runs
eagerly. Any edit to the portal's code builds a new one, which re-runs the real seed; a stale copy is never
loaded. Each moment seeded has a kept demo of its own (its name carries a tag of the moment). The first worker to need it builds it while the others wait on an advisory lock: a copy of the migrated
template, seeded as a test module seeds it (DEBUG on, the clock at the moment), its pending on-commit work
dropped as the module's rolled-back transaction drops it, then committed and renamed into place (a half-built
one never has the final name). Kept databases of the same moment and other fingerprints are dropped then.

Loading runs inside the module's transaction (rolled back after the module, as before): each table the seed
filled is copied with COPY (binary) into the test database, triggers off for the copy (their checks passed when
the seed wrote the rows: `session_replication_role = replica`, this transaction only), and each sequence moved
past the copied ids. It is refused, and the real seed runs instead, when the test database is not as the seed
would find it: a table the seed filled that holds other rows (a test that left rows behind, content types
rebuilt with other ids by a TRUNCATE flush). On another database than PostgreSQL the seed always runs."""

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings
from psycopg2 import sql

from tests import template_database

ROOT = Path(__file__).resolve().parent.parent
# What the seed runs: the application packages (coverage's sources: code and templates), the test-only app
# (its demo module, were it to have one) and the test settings.
SOURCES = ["dukportal", "organizations", "models_danvan", "democracy_regs", "indicators", "reports"]
SOURCES += ["tests/throwaway_kind", "tests/settings.py"]
MARK = "_demo_"
OUTPUT_SCHEMA = "kept_demo"  # the seed's printed output, outside the public schema that is copied
# Whether this process's last load() copied the kept demo (True) or ran the seed (False), for the tests.
last_load_copied: bool | None = None
_fingerprints: dict[datetime, str] = {}
_prepared: dict[datetime, str] = {}


def sources_fingerprint(moment: datetime) -> str:
    if moment in _fingerprints:
        return _fingerprints[moment]
    versions = " ".join(importlib.metadata.version(name) for name in ("django", "time-machine", "psycopg2-binary"))
    digest = hashlib.sha256(
        f"{template_database.migrations_fingerprint()} {versions} {sys.version} {moment.isoformat()} "
        f"eager={settings.CELERY_TASK_ALWAYS_EAGER}".encode()
    )
    files = []
    for source in SOURCES:
        path = ROOT / source
        files += [path] if path.is_file() else [file for file in path.rglob("*") if file.is_file()]
    for path in sorted(files):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    _fingerprints[moment] = digest.hexdigest()[:12]
    return _fingerprints[moment]


def _base() -> str | None:
    """The name the run's migrated template is named after (the database of DATABASE_URL), None without one."""
    template = template_database.copied_from
    return template.rpartition(template_database.TEMPLATE_MARK)[0] if template else None


def kept_name(moment: datetime) -> str:
    """`<base>_demo_<moment>_<fingerprint>`: a new build drops the kept demos of its moment only (their prefix),
    so that the modules seeding on different moments do not drop each other's demo on every run."""
    tag = hashlib.sha256(moment.isoformat().encode()).hexdigest()[:8]
    return f"{_base()[: 63 - len(MARK) - 9 - 12 - len('_building')]}{MARK}{tag}_{sources_fingerprint(moment)}"


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


@contextlib.contextmanager
def _connected_to(connection: BaseDatabaseWrapper, name: str):
    """Django's connection on database `name` while inside (no transaction may be open), then back."""
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()  # ids read from the other database
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
        ContentType.objects.clear_cache()


def _build(connection: BaseDatabaseWrapper, name: str, seed: Callable[[], str]) -> None:
    building = f"{name}_building"
    template = template_database.copied_from
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(building)))
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])  # not while the template is built
        try:
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(building), sql.Identifier(template))
            )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
    with _connected_to(connection, building), transaction.atomic():
        output = seed()
        with connection.cursor() as cursor:
            schema = sql.Identifier(OUTPUT_SCHEMA)
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
            cursor.execute(sql.SQL("CREATE TABLE {}.output (text text)").format(schema))
            cursor.execute(sql.SQL("INSERT INTO {}.output VALUES (%s)").format(schema), [output])
        # What the seed left for after its commit never runs in a test module (its transaction rolls back): no
        # notice dispatched, no task queued in the worker's broker. Nor here.
        connection.run_on_commit = []
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(name)))
        # The same moment's demos of other sources, and those named before the moment's tag (`<base>_demo_<fp>`),
        # dropped in the background; one another run is reading is left for the next build.
        same_moment, untagged = name[:-12], name[: -(12 + 1 + 8)]
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname <> %s AND (starts_with(datname, %s) OR datname ~ %s)",
            [name, same_moment, f"^{re.escape(untagged)}[0-9a-f]{{12}}$"],
        )
        for (old,) in cursor.fetchall():
            template_database.drop_in_background(connection, old)


def prepare(moment: datetime, seed: Callable[[], str]) -> None:
    """Build the kept demo of `moment` for the sources on disk, with `seed`, if no run has; outside any
    transaction. Nothing on another database than PostgreSQL (or without a migrated template)."""
    if connection.vendor != "postgresql" or _base() is None:
        return
    name = kept_name(moment)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [name])
        try:
            if not _exists(cursor, name):
                _build(connection, name, seed)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])
    _prepared[moment] = name


TABLES = "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1"
_COLUMNS = """
SELECT attname, pg_get_serial_sequence(quote_ident(%s), attname) FROM pg_attribute
WHERE attrelid = quote_ident(%s)::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
"""


def _filled(cursor, table: str) -> bool:
    cursor.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(sql.Identifier(table)))
    return cursor.fetchone()[0]


def rows_digest(cursor, table: str) -> str | None:
    cursor.execute(
        sql.SQL("SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM {} t").format(sql.Identifier(table))
    )
    return cursor.fetchone()[0]


def _copy_into_transaction(connection: BaseDatabaseWrapper, kept: str) -> str | None:
    """Copy the kept demo's rows into the open transaction and return the seed's output; None, having written
    nothing, if the test database holds rows the seed would have met and the kept demo was not seeded on."""
    source = connection.get_new_connection({**connection.get_connection_params(), "dbname": kept})
    try:
        with source.cursor() as read, connection.cursor() as write:
            read.execute(TABLES)
            tables = [table for (table,) in read.fetchall() if _filled(read, table)]
            to_copy = []
            for table in tables:
                if not _filled(write, table):
                    to_copy.append(table)
                elif rows_digest(write, table) != rows_digest(read, table):
                    return None
            write.execute("SET LOCAL session_replication_role = replica")  # no trigger, no foreign-key check
            for table in to_copy:
                read.execute(_COLUMNS, [table, table])
                columns = read.fetchall()
                names = sql.SQL(", ").join(sql.Identifier(name) for name, _sequence in columns)
                buffer = io.BytesIO()
                copy = "COPY {} ({}) TO STDOUT WITH (FORMAT binary)"
                read.copy_expert(sql.SQL(copy).format(sql.Identifier(table), names).as_string(source), buffer)
                buffer.seek(0)
                copy = "COPY {} ({}) FROM STDIN WITH (FORMAT binary)"
                write.copy_expert(sql.SQL(copy).format(sql.Identifier(table), names).as_string(source), buffer)
                for name, sequence in columns:
                    if sequence:  # past the copied ids, and never back
                        write.execute(
                            sql.SQL("SELECT setval(%s, GREATEST((SELECT max({}) FROM {}), last_value)) FROM {}").format(
                                sql.Identifier(name), sql.Identifier(table), sql.SQL(sequence)
                            ),
                            [sequence],
                        )
            write.execute("SET LOCAL session_replication_role = DEFAULT")
            read.execute(sql.SQL("SELECT text FROM {}.output").format(sql.Identifier(OUTPUT_SCHEMA)))
            return read.fetchone()[0]
    finally:
        source.close()


def load(moment: datetime, seed: Callable[[], str]) -> str:
    """The demo of `moment` written in the open transaction (the one that rolls it back after the module):
    copied from the kept database that `prepare` found or built, else `seed()` run here. Returns what the seed
    printed."""
    global last_load_copied
    kept = _prepared.get(moment)
    output = _copy_into_transaction(connection, kept) if kept and kept == kept_name(moment) else None
    last_load_copied = output is not None
    return output if output is not None else seed()


def seed_demo_at(moment: datetime) -> str:
    """Run seed_demo as a test module does (DEBUG on, the clock stopped at `moment`); what it printed."""
    out = io.StringIO()
    with override_settings(DEBUG=True), time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@contextlib.contextmanager
def seeded_once(django_db_blocker, moment: datetime):
    """The demo seeded on `moment` for a module (a module-scoped fixture), inside a transaction rolled back after
    it, as Django's setUpTestData does; each test's own transaction nests in it. Yields what the seed printed."""
    seed = functools.partial(seed_demo_at, moment)
    with django_db_blocker.unblock():
        prepare(moment, seed)
        with transaction.atomic():
            yield load(moment, seed)
            transaction.set_rollback(True)
