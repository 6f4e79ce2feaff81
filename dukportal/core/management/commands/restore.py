from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dukportal.core import backup


class Command(BaseCommand):
    help = "Restore a backup directory into the configured (fresh) database and media storage."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="drop what the database and storage already hold (dangerous)"
        )

    def handle(self, *args, directory, replace, **options):
        try:
            manifest = backup.restore(directory, replace=replace)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {directory} (backup of {manifest['created_at']}). Now run: manage.py verify_restore {directory}"
        )
