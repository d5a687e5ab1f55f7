"""manage.py restore DIR: put a backup back into an empty database and empty storages."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup: checks every file's checksum first, "
        "refuses a database or storage that already holds data unless --force, and prints "
        "the rows restored per model."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database and storages that already hold data",
        )

    def handle(self, *args, folder: Path, force: bool = False, **options) -> None:
        try:
            counts = backup.restore(folder, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for label, rows in sorted(counts.items()):
            self.stdout.write(f"{label}: {rows}")
        self.stdout.write(
            self.style.SUCCESS(
                _("已从 %(folder)s 恢复：%(rows)d 行数据，与备份清单一致。")
                % {"folder": folder, "rows": sum(counts.values())}
            )
        )
