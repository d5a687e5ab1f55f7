"""manage.py render_photos: redraw public copies after the mark or the widths change."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from articles.models import Image
from delivery import freshness
from photos import photos


class Command(BaseCommand):
    help = (
        "Redraw the public copies of every photo whose copies no longer match the settings "
        "(watermark, widths, focal point), then the articles showing them. Safe to repeat."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="redraw every photo, even those up to date"
        )

    def handle(self, *args, all: bool = False, **options) -> None:
        ids = list(Image.objects.order_by("id").values_list("id", flat=True))
        drawn = failed = 0
        for done, pk in enumerate(ids, start=1):
            try:
                photos.adopt_public_original(Image.objects.get(pk=pk))
                drawn += photos.draw_copies(pk, force=all)
            except (OSError, ValidationError) as error:
                failed += 1
                self.stderr.write(f"\nphoto {pk}: {error}")
            self.progress(done, len(ids))
        freshness.touch("site")  # pages and fragments show the old copies' addresses
        self.stdout.write(
            self.style.SUCCESS(
                f"{drawn} of {len(ids)} photos redrawn, {len(ids) - drawn - failed} already "
                f"up to date, {failed} failed."
            )
        )

    def progress(self, done: int, total: int, width: int = 30) -> None:
        """A one-line bar, redrawn in place on a terminal and once per tenth elsewhere."""
        on_terminal = self.stdout.isatty()
        if not on_terminal and done != total and done % max(1, total // 10):
            return
        filled = round(width * done / total)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        self.stdout.write(f"\r{line}" if on_terminal else line, ending="" if on_terminal else "\n")
        if on_terminal and done == total:
            self.stdout.write("")
        sys.stdout.flush()
