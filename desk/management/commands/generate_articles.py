"""manage.py generate_articles: add years of realistic published articles, fast.

For benchmarks and scale tests, e.g. `manage.py generate_articles --count 100000`.
Run `manage.py load_demo` first: the channels, photos and text come from the demo.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from delivery import freshness
from desk.demo import bulk


class Command(BaseCommand):
    help = "Bulk-create published articles with tags, credits and suggestions."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--years", type=float, default=5, help="spread over this many years")
        parser.add_argument("--batch", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count: int, years: float, batch: int, seed: int, **options) -> None:
        rng = random.Random(seed)
        try:
            pools = bulk.prepare(rng)
        except ValueError as error:
            raise CommandError(str(error)) from error
        when = list(bulk.moments(count, years, rng))
        with tqdm(total=count, unit="篇", disable=options["verbosity"] == 0) as progress:
            for start in range(0, count, batch):
                written = bulk.write_batch(rng, pools, when[start : start + batch])
                progress.update(len(written))
        freshness.touch("site")  # every page may show what changed
        self.stdout.write(self.style.SUCCESS(f"Created {count} published articles."))
        self.stdout.write("Run manage.py reindex_search to make them searchable.")
