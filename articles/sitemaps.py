"""Sitemaps: an index, article sitemaps one month each, channels, and a news sitemap.

Sections are built per request from the months that hold published articles, so a new
month appears in the index by itself.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, Channel

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class ChannelSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        newest = (
            Article.objects.published()
            .filter(Q(channel=OuterRef("pk")) | Q(channel__parent=OuterRef("pk")))
            .order_by("-first_published_at")
            .values("first_published_at")[:1]
        )
        return Channel.objects.annotate(newest=Subquery(newest))

    def lastmod(self, channel: Channel):
        return channel.newest


class MonthSitemap(Sitemap):
    """Every article first published in one month (Beijing time)."""

    changefreq = "monthly"

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.end = (start + timedelta(days=32)).replace(day=1)

    def items(self):
        return (
            Article.objects.published()
            .filter(first_published_at__gte=self.start, first_published_at__lt=self.end)
            .only("id", "first_published_at", "revised_at")
            .order_by("first_published_at", "id")
        )

    def lastmod(self, article: Article):
        return article.revised_at or article.first_published_at

    def get_latest_lastmod(self):
        latest = Max(Coalesce("revised_at", "first_published_at"))
        return self.items().aggregate(latest=latest)["latest"]


def months() -> list[datetime]:
    """The first instant of every month (Beijing time) that holds a published article."""
    return list(Article.objects.published().datetimes("first_published_at", "month", order="DESC"))


def sections() -> dict[str, Sitemap]:
    result: dict[str, Sitemap] = {"channels": ChannelSitemap()}
    for start in months():
        result[f"articles-{start:%Y-%m}"] = MonthSitemap(start)
    return result


def news_items() -> list[Article]:
    """Articles of the last 48 hours for the news sitemap, newest first, at most 1,000."""
    since = timezone.now() - NEWS_WINDOW
    return list(
        Article.objects.published()
        .filter(first_published_at__gte=since)
        .only("id", "title", "first_published_at")
        .newest_first()[:NEWS_LIMIT]
    )


def publication_name() -> str:
    return settings.NEWSROOM_STATION_NAME
