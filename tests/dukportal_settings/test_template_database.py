"""Test databases on PostgreSQL are copies of a template named after the migrations (tests/template_database.py):
a changed migration must give a new template, never a stale copy."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests import template_database


def _fingerprint_of(monkeypatch, app_path):
    fake_app = SimpleNamespace(label="fake", path=str(app_path))
    monkeypatch.setattr(template_database.apps, "get_app_configs", lambda: [fake_app])
    return template_database.migrations_fingerprint()


def test_the_fingerprint_changes_with_any_migration_file(tmp_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_initial.py").write_text("operations = []\n")
    first = _fingerprint_of(monkeypatch, tmp_path)
    assert _fingerprint_of(monkeypatch, tmp_path) == first  # the same files, the same template
    (migrations / "0002_more.py").write_text("operations = []\n")
    added = _fingerprint_of(monkeypatch, tmp_path)
    (migrations / "0002_more.py").write_text("operations = ['changed']\n")
    changed = _fingerprint_of(monkeypatch, tmp_path)
    (migrations / "0002_more.py").unlink()
    assert len({first, added, changed}) == 3
    assert _fingerprint_of(monkeypatch, tmp_path) == first


@pytest.mark.django_db
def test_the_test_database_is_a_migrated_copy_of_the_current_template(postgres_only):
    template = template_database.copied_from
    assert template and template.endswith(template_database.migrations_fingerprint())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        assert cursor.fetchone(), "no template for the migrations on disk"
    loader = MigrationLoader(connection)
    assert set(loader.applied_migrations) == set(loader.disk_migrations)  # every migration on disk, applied


@pytest.mark.django_db
def test_test_commits_do_not_wait_for_the_disk(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("off",)
