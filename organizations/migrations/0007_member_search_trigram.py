"""A trigram index on the member's folded name for the member search (issue 13): PostgreSQL only."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """AddIndex that creates the index only on PostgreSQL (pg_trgm's operator class does not exist on SQLite);
    the model state has it on every database, so makemigrations stays quiet."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0006_reorganisation_names_successions_cell_moves"),
    ]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; does nothing on SQLite
        AddIndexOnPostgreSQL(
            model_name="member",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_key"], name="member_search_key_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
