from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dukportal.core import backup


class Command(BaseCommand):
    help = "Check this installation against a backup's manifest: row counts per model, checksum of every file."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            result = backup.verify(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for problem in result.problems:
            self.stderr.write(problem)
        if result.extra_files:
            self.stdout.write(f"{len(result.extra_files)} files not in the backup (uploaded since): ignored.")
        summary = f"{result.models_checked} models, {result.files_checked} files checked"
        if not result.ok:
            raise CommandError(f"Restore check FAILED: {len(result.problems)} problems ({summary}).")
        self.stdout.write(f"Restore check OK: {summary}.")
