"""An issued document is part of the register: the database itself refuses to change or delete it, on
PostgreSQL and SQLite alike (the service layer refuses first, with a Vietnamese message). A correction is a
new document."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION reports_document_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'issued' THEN
    RAISE EXCEPTION 'issued_document_is_frozen' USING ERRCODE = '23514';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER document_frozen BEFORE UPDATE OR DELETE ON reports_document
  FOR EACH ROW EXECUTE FUNCTION reports_document_frozen();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS document_frozen ON reports_document;
DROP FUNCTION IF EXISTS reports_document_frozen();
"""
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER document_frozen_{event} BEFORE {event} ON reports_document
WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, 'issued_document_is_frozen'); END;
"""
    for event in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS document_frozen_UPDATE", "DROP TRIGGER IF EXISTS document_frozen_DELETE"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
