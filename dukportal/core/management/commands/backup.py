from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dukportal.core import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format on PostgreSQL) and every media file, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Backup written to {directory}: {manifest['database_file']}, {rows} rows in "
            f"{len(manifest['row_counts'])} tables, {len(manifest['media'])} media files."
        )
