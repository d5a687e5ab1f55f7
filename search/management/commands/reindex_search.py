"""manage.py reindex_search: rebuild the search index from every published article."""

from itertools import batched

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article, SearchEntry
from search import search, vocabulary


class Command(BaseCommand):
    help = (
        "Index every published article and drop index rows of all others. Run it after "
        "changing search/search_words.txt, or after loading articles outside the workflow."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="articles written per statement"
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        published = Article.objects.filter(status=Article.Status.PUBLISHED)
        dropped, _ = SearchEntry.objects.exclude(article__in=published).delete()
        rows = published.prefetch_related("tags").order_by("pk").iterator(chunk_size=batch_size)
        indexed = 0
        with tqdm(total=published.count(), unit=" articles", disable=None) as progress:
            for batch in batched(rows, batch_size, strict=False):
                indexed += search.index_articles(batch, batch_size=batch_size)
                progress.update(len(batch))
        search.rebuild_sqlite_index()
        words = vocabulary.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {indexed} articles; dropped {dropped} stale rows; "
                f"{words} words in the vocabulary."
            )
        )
