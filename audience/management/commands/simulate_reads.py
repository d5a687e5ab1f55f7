import random

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article
from audience import counter
from audience.tasks import fold_and_refresh

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"


class Command(BaseCommand):
    help = "Count a scripted burst of reads of the published stories, then fold them in (demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reads", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=19)

    def handle(self, *args, reads: int, seed: int, **options) -> None:
        if counter.client() is None:
            raise CommandError(
                "No Redis to count in: set CACHE_URL or NEWSROOM_AUDIENCE_REDIS_URL "
                "(e.g. redis://127.0.0.1:6379/0)."
            )
        stories = list(Article.objects.published().newest_first().values_list("pk", flat=True))
        if not stories:
            raise CommandError("No published stories to read: run load_demo first.")
        chance = random.Random(seed)
        # A few stories draw most of the readers, as on any news site.
        weights = [1 / (rank + 1) for rank in range(len(stories))]
        counted = 0
        for reader in range(reads):
            story = chance.choices(stories, weights)[0]
            address = f"10.{reader // 65025 % 255}.{reader // 255 % 255}.{reader % 255}"
            counted += counter.record(story, address, BROWSER)
        done = fold_and_refresh()
        self.stdout.write(f"{counted} reads counted; {done.reads} folded into the database.")
