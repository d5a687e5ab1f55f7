"""manage.py backup DIR: the database, public media and photo originals, with a manifest."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import backup, backup_rotation


class Command(BaseCommand):
    help = (
        "Back up the whole station into an empty folder: the database (pg_dump custom "
        "format, or a SQLite copy), public media and the private photo originals, with a "
        "manifest of row counts and file checksums. With --into, the backup goes into a new "
        "dated folder there, backups older than NEWSROOM_BACKUP_KEEP_DAYS are removed and "
        "NEWSROOM_BACKUP_COPY_COMMAND copies the new one off the machine."
    )

    def add_arguments(self, parser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("folder", type=Path, nargs="?", help="an empty or new folder")
        where.add_argument("--into", type=Path, help="the folder that keeps dated backups")

    def handle(self, *args, folder: Path | None, into: Path | None, **options) -> None:
        now = timezone.now()
        target = folder or backup_rotation.dated_folder(into, now)
        try:
            manifest = backup.back_up(target)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("已备份到 %(folder)s：%(rows)d 行数据，%(files)d 个文件。")
                % {"folder": target, "rows": rows, "files": len(manifest["files"])}
            )
        )
        if into is not None:
            self.rotate(into, target, now)

    def rotate(self, into: Path, target: Path, now) -> None:
        """Copy the new backup off the machine first, then drop the expired ones."""
        if command := settings.NEWSROOM_BACKUP_COPY_COMMAND:
            try:
                backup_rotation.copy_off_machine(command, target)
            except (OSError, subprocess.SubprocessError) as error:
                # Nothing old is removed while copies fail: the local ones may be all there is.
                raise CommandError(_("备份未能复制到其他机器：%s") % error) from error
        removed = backup_rotation.prune_backups(into, settings.NEWSROOM_BACKUP_KEEP_DAYS, now)
        for old in removed:
            self.stdout.write(_("已删除过期备份 %s") % old)
