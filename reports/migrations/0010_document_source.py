"""A document refers to what it is written from generically (`source_type`, `source_id`), as its topics do,
instead of one foreign key per feature app (`campaign`, `cycle`). The existing values are copied over.

Issued rows are frozen by the trigger of migration 0002, so the copy lifts it, as 0004 does: on PostgreSQL it
is disabled from the copy to the last step; on SQLite removing the two foreign keys rebuilds the table, which
drops its triggers, so they are dropped before the copy and created again at the end in any case. The copy
writes a foreign key, whose check PostgreSQL defers to the commit: it is run at once (SET CONSTRAINTS … IMMEDIATE),
as PostgreSQL refuses to ALTER a table with checks still pending."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

FROZEN = importlib.import_module("reports.migrations.0002_issued_document_frozen")

# The old foreign key, the model it pointed at.
OLD_FIELDS = (("campaign", "models_danvan", "campaign"), ("cycle", "democracy_regs", "democracycycle"))


def _lift(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE reports_document DISABLE TRIGGER document_frozen")
    elif schema_editor.connection.vendor == "sqlite":
        for statement in FROZEN.SQLITE_REVERSE:
            schema_editor.execute(statement)


def _restore(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE reports_document ENABLE TRIGGER document_frozen")
    elif schema_editor.connection.vendor == "sqlite":
        for statement in FROZEN.SQLITE_REVERSE + FROZEN.SQLITE_FORWARD:
            schema_editor.execute(statement)


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _checks_now(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def copy_to_source(apps, schema_editor):
    Document = apps.get_model("reports", "Document")
    _lift(schema_editor)
    for name, app_label, model in OLD_FIELDS:
        rows = Document.objects.filter(**{f"{name}__isnull": False})
        if rows.exists():
            rows.update(source_type=_content_type(apps, app_label, model), source_id=models.F(f"{name}_id"))
    _checks_now(schema_editor)


def copy_from_source(apps, schema_editor):
    Document = apps.get_model("reports", "Document")
    _lift(schema_editor)
    for name, app_label, model in OLD_FIELDS:
        rows = Document.objects.filter(source_type=_content_type(apps, app_label, model))
        if rows.exists():
            rows.update(**{f"{name}_id": models.F("source_id")})
    _checks_now(schema_editor)


def restore_triggers(apps, schema_editor):
    _restore(schema_editor)


def lift_triggers(apps, schema_editor):
    _lift(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("democracy_regs", "0001_initial"),
        ("models_danvan", "0001_initial"),
        ("reports", "0009_document_content_sections"),
    ]

    operations = [
        # Reverse only (the last step back): the trigger back after the table's rebuild.
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="document",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="loại nguồn số liệu",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="mã nguồn số liệu"),
        ),
        # Lifts the trigger (both ways) and copies.
        migrations.RunPython(copy_to_source, copy_from_source),
        migrations.RemoveField(model_name="document", name="campaign"),
        migrations.RemoveField(model_name="document", name="cycle"),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(source_type__isnull=True, source_id__isnull=True)
                | models.Q(source_type__isnull=False, source_id__isnull=False),
                name="document_source_complete",
                violation_error_message="Nguồn số liệu của văn bản phải có cả loại và mã.",
            ),
        ),
        # Forward: the trigger back (SQLite: created again after the table's rebuild); reverse: lifted for the
        # copy back.
        migrations.RunPython(restore_triggers, lift_triggers),
    ]
