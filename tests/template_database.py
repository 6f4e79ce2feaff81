"""On PostgreSQL a worker's test database is a copy of a template database migrated once per set of migrations.

Migrating a fresh test database costs about 10 s a worker on 2 cores; `CREATE DATABASE … TEMPLATE` copies a
migrated one in well under a second. The template is named after a fingerprint of every installed app's
migration files (the portal's, Django's and third-party ones) and of INSTALLED_APPS, so a changed, added or
removed migration builds a new template and a stale one is never copied. On an empty database the migrations'
data steps create nothing (they backfill existing rows), so the files decide the template's content.

The first worker to need the template builds it while the others wait on an advisory lock; templates of other
fingerprints are dropped then. `--create-db` re-copies the worker's database from the template (fresh data);
Django's own keepdb migrate then runs on the copy and finds nothing to do.

The worker's previous database is renamed out of the way and dropped in the background (`drop_in_background`):
DROP DATABASE waits for a checkpoint of the whole cluster, 4-10 s on two shared cores, and the workers took
the template's lock in turn for it, so the second one started its tests that much later."""

import contextlib
import hashlib
import os
import threading
from pathlib import Path

import psycopg2
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg2 import sql

TEMPLATE_MARK = "_template_"
# The template this process's test database came from (set by copy_test_database), for the tests to check.
copied_from: str | None = None


_dropping: list[threading.Thread] = []


def drop_in_background(connection: BaseDatabaseWrapper, name: str) -> None:
    """Drop database `name` on a connection of its own, in a thread: the caller goes on at once (a DROP DATABASE
    waits for a checkpoint of the whole cluster). `wait_for_drops()` waits for every drop this process began;
    a drop that fails (a run still connected to it) is left for the next one to retry."""
    params = {**connection.get_connection_params(), "dbname": "postgres"}

    def drop() -> None:
        with contextlib.suppress(DatabaseError, psycopg2.Error):
            admin = psycopg2.connect(**params)
            try:
                admin.autocommit = True
                with admin.cursor() as cursor:
                    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            finally:
                admin.close()

    thread = threading.Thread(target=drop, name=f"drop {name}")
    thread.start()
    _dropping.append(thread)


def wait_for_drops() -> None:
    while _dropping:
        _dropping.pop().join()


def migrations_fingerprint() -> str:
    digest = hashlib.sha256(repr(settings.INSTALLED_APPS).encode())
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def template_name(connection: BaseDatabaseWrapper) -> str:
    base = connection.settings_dict["NAME"][: 63 - len(TEMPLATE_MARK) - 12]
    return f"{base}{TEMPLATE_MARK}{migrations_fingerprint()}"


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _build_template(connection: BaseDatabaseWrapper, name: str) -> None:
    """Migrate a database named `name` as Django creates a test database, then give the settings back."""
    saved_name = connection.settings_dict["NAME"]
    saved_test_name = connection.settings_dict["TEST"].get("NAME")
    connection.settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()  # CREATE DATABASE … TEMPLATE refuses a template with open connections
        connection.settings_dict["NAME"] = saved_name
        settings.DATABASES[connection.alias]["NAME"] = saved_name
        connection.settings_dict["TEST"]["NAME"] = saved_test_name


def copy_test_database(connection: BaseDatabaseWrapper, *, fresh: bool) -> str:
    """Make the worker's test database a copy of the template (building the template first if no run has);
    with `fresh` False an existing test database is kept (--reuse-db). Returns the template's name."""
    global copied_from
    template = copied_from = template_name(connection)
    test_name = connection.creation._get_test_db_name()
    base = connection.settings_dict["NAME"][: 63 - len(TEMPLATE_MARK) - 12]
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        try:
            if not _exists(cursor, template):
                _build_template(connection, template)
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                    [f"{base}{TEMPLATE_MARK}%", template],
                )
                for (old,) in cursor.fetchall():
                    # Another run copying it refuses the drop: it is left for the next build.
                    with contextlib.suppress(DatabaseError):
                        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(old)))
            # Left by an earlier run that ended before its drop did: dropped now, in the background too.
            old_prefix = f"{test_name[:50]}_old_"
            cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [old_prefix])
            for (old,) in cursor.fetchall():
                drop_in_background(connection, old)
            if fresh or not _exists(cursor, test_name):
                if _exists(cursor, test_name):
                    old = f"{old_prefix}{os.getpid()}"
                    cursor.execute(
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(test_name), sql.Identifier(old))
                    )
                    drop_in_background(connection, old)
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(test_name), sql.Identifier(template)
                    )
                )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
    return template
