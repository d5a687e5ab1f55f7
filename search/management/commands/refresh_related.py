"""manage.py refresh_related: recompute the suggested articles under every live article.

Suggestions are computed when an article goes live; run this now and then (say nightly)
so that older articles also point at what was published after them.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from delivery import freshness
from search import related


class Command(BaseCommand):
    help = "Recompute 相关链接 suggestions for every published article."

    def handle(self, *args, **options) -> None:
        articles = Article.objects.published().only("id", "channel_id", "first_published_at")
        total = articles.count()
        for article in tqdm(articles.iterator(chunk_size=500), total=total, unit="篇"):
            related.refresh(article)
        freshness.touch("site")  # every page may show what changed
        self.stdout.write(self.style.SUCCESS(f"Refreshed suggestions for {total} articles."))
