"""manage.py backup DIR: the database, public media and photo originals, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops import backup


class Command(BaseCommand):
    help = (
        "Back up the whole station into an empty folder: the database (pg_dump custom "
        "format, or a SQLite copy), public media and the private photo originals, with a "
        "manifest of row counts and file checksums."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="an empty or new folder")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = backup.back_up(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("已备份到 %(folder)s：%(rows)d 行数据，%(files)d 个文件。")
                % {"folder": folder, "rows": rows, "files": len(manifest["files"])}
            )
        )
