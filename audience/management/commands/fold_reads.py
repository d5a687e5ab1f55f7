from django.core.management.base import BaseCommand

from audience.tasks import fold_and_refresh


class Command(BaseCommand):
    help = "Fold the counted reads into the database and refresh 点击排行 (every few minutes)."

    def handle(self, *args, **options) -> None:
        done = fold_and_refresh()
        self.stdout.write(f"{done.reads} reads in {done.batches} batches folded in.")
