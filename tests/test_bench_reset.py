"""bench/dataset.reset_database empties the database between the two sizes on SQLite too (the bench's default,
without --use-database-url), issued documents included: their triggers are lifted for the flush and put back,
as TRUNCATE leaves them on PostgreSQL. Runs in a subprocess on a temporary SQLite file, whatever database the
suite uses. Migrating it takes 11 s of CPU, so the migrated file is kept (in the temporary folder, named by a
digest of every migration's source and of Django's version) and the next run starts from a copy of it, then
migrates that copy (nothing left to apply; the post-migrate content types and permissions are made again)."""

import os

from tests import forked

# Puts in place of the (empty) database a copy of one migrated from the same migrations, where there is one; else
# migrates it and keeps a copy. Run after django.setup(), before the script's own migrate.
MIGRATED_COPY = """
def migrated_copy():
    import hashlib, os, shutil, sys, tempfile, time
    from pathlib import Path

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"{django.get_version()} {connection.Database.sqlite_version}".encode())
    for key, migration in sorted(MigrationLoader(None).disk_migrations.items()):
        digest.update(repr(key).encode() + Path(sys.modules[migration.__module__].__file__).read_bytes())
    kept = Path(tempfile.gettempdir()) / "dukportal-tests" / f"bench-sqlite-{digest.hexdigest()[:20]}.sqlite3"
    database = connection.settings_dict["NAME"]
    connection.close()
    try:
        shutil.copyfile(kept, database)
        os.utime(kept)  # in use: kept
        return
    except FileNotFoundError:
        pass
    call_command("migrate", verbosity=0)
    connection.close()
    kept.parent.mkdir(exist_ok=True)
    for old in kept.parent.glob("bench-sqlite-*.sqlite3"):  # other migrations' copies, unused for a day
        if old.stat().st_mtime < time.time() - 86400:
            old.unlink(missing_ok=True)
    partial = kept.with_name(f"{kept.name}.{os.getpid()}")
    shutil.copyfile(database, partial)
    os.replace(partial, kept)  # whole or not at all, should two runs race
"""

SCRIPT = (
    """
from bench import dataset

tmp = dataset.configure(use_database_url=False)
"""
    + MIGRATED_COPY
    + """
import time_machine
from django.core.management import call_command
from django.db import IntegrityError

from organizations.models import BaseOrganization, Member
from reports.models import Document

migrated_copy()
call_command("migrate", verbosity=0)
with time_machine.travel(dataset.TODAY, tick=True):
    dataset.build(organizations=2, years=1, members=3)
    print("issued before:", Document.objects.filter(status="issued").count())
    dataset.reset_database()
    print("after reset:", Document.objects.count(), BaseOrganization.objects.count(), Member.objects.count())
    dataset.build(organizations=3, years=1, members=3)  # the second size, on the emptied database
    issued = Document.objects.filter(status="issued").first()
    try:
        Document.objects.filter(pk=issued.pk).update(number=999)
    except IntegrityError as error:
        print("issued document still frozen:", error)
tmp.cleanup()
"""
)


def test_reset_database_empties_a_sqlite_database_with_issued_documents_and_keeps_them_frozen():
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = forked.run(["-c", SCRIPT], env=environment, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "issued before: 40\n" in result.stdout, output
    assert "after reset: 0 0 0\n" in result.stdout, output
    assert "issued document still frozen: issued_document_is_frozen\n" in result.stdout, output
