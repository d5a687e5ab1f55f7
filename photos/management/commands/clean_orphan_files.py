"""manage.py clean_orphan_files: list (or --delete) files no photo names; report photos
whose files are missing."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from photos import orphans, photos


class Command(BaseCommand):
    help = (
        "List files in public media and in the private originals that no photo names "
        "(left by failed uploads or restores), and photos whose files are missing. "
        "Nothing is deleted without --delete; files younger than --min-age minutes are "
        "left alone, as uploads in progress."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--delete", action="store_true", help="delete the files listed")
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help="only files older than this many minutes (default 60)",
        )

    def handle(self, *args, delete: bool = False, min_age: int = 60, **options) -> None:
        found = deleted = 0
        for orphan in orphans.orphans(timedelta(minutes=min_age)):
            found += 1
            if delete and not photos.still_listed(orphan.storage, orphan.name):
                orphan.storage.delete(orphan.name)
                deleted += 1
            self.stdout.write(f"{orphan.place}/{orphan.name}")
        missing = list(orphans.photos_missing_files())
        for image, name in missing:
            self.stderr.write(_("图片 %(id)s 缺少文件：%(name)s") % {"id": image.pk, "name": name})
        if delete:
            summary = _("已删除 %(deleted)d 个无主文件。") % {"deleted": deleted}
        else:
            summary = _("发现 %(found)d 个无主文件（加 --delete 删除）。") % {"found": found}
        self.stdout.write(summary)
        photos_missing = len({image.pk for image, _name in missing})
        self.stdout.write(_("%(count)d 张图片缺少文件。") % {"count": photos_missing})
