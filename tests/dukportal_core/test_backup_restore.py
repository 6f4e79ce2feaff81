"""Backup and restore round trip on PostgreSQL: seed data and files, back up, restore into a fresh database and
media folder, and verify_restore says OK; a tampered file or a missing row is reported by name."""

import os

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from dukportal.submissions import services
from tests import forked, template_database
from tests.factories import OrganizationFactory, RegistrationFactory, UserFactory


@pytest.fixture
def scratch_database():
    """A fresh, empty database next to the test one (createdb), dropped afterwards (in the background)."""
    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings = connection.settings_dict
    admin.close()
    yield f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    # Dropped while the next tests run (a DROP DATABASE waits for a checkpoint: 4-10 s on two shared cores).
    template_database.drop_in_background(connection, name)


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(DEBUG="true", **env)
    return forked.run(["manage.py", *args], env=environment, timeout=300)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only
def test_backup_restores_into_a_fresh_database_and_verifies(postgres_only, settings, tmp_path, scratch_database, bloc):
    settings.MEDIA_ROOT = tmp_path / "media"
    for code in ("SOTC", "SOYT", "SOXD"):
        OrganizationFactory(code=code, name=f"Đảng bộ {code}")
    officer = UserFactory(username="canbo", role="officer", organization=OrganizationFactory(code="SONV"))
    registration = RegistrationFactory(organization=officer.organization, status="draft")
    for name, content in (("ke-hoach.pdf", b"%PDF-1.4\nke hoach\n%%EOF\n"), ("bao-cao.pdf", b"%PDF-1.4\nbc\n%%EOF\n")):
        services.attachment_add(actor=officer, submission=registration, uploaded=SimpleUploadedFile(name, content))

    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))
    assert sorted(p.name for p in backup_dir.iterdir()) == ["database.dump", "manifest.json", "media.tar"]

    restored_media = tmp_path / "restored-media"
    target = {"DATABASE_URL": scratch_database, "MEDIA_ROOT": str(restored_media)}
    restored = _manage("restore", str(backup_dir), **target)
    assert restored.returncode == 0, restored.stderr
    verified = _manage("verify_restore", str(backup_dir), **target)
    assert verified.returncode == 0, verified.stderr
    assert "Restore check OK" in verified.stdout

    # Restoring again over the restored copy is refused: restore goes into a fresh database.
    again = _manage("restore", str(backup_dir), **target)
    assert again.returncode != 0 and "not empty" in again.stderr

    # A file changed after the restore, and a row gone: both named.
    tampered = next(p for p in restored_media.rglob("*.pdf"))
    tampered.write_bytes(b"%PDF-1.4\nsomething else\n%%EOF\n")
    params = connection.get_connection_params()
    other = psycopg2.connect(**{**params, "dbname": scratch_database.rsplit("/", 1)[1]})
    with other, other.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = (SELECT max(id) FROM core_auditentry)")
    other.close()
    broken = _manage("verify_restore", str(backup_dir), **target)
    assert broken.returncode != 0
    relative = tampered.relative_to(restored_media).as_posix()
    assert f"file {relative}: checksum differs" in broken.stderr
    assert "model core.AuditEntry:" in broken.stderr
    assert "Restore check FAILED" in broken.stderr
