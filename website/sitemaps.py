"""Sitemaps: an index, article sitemaps one month each, channels, the list pages (home,
special topics, tags, authors), and a news sitemap.

Sections are built per request from the months that hold published articles, so a new
month appears in the index by itself. Each month's number of articles and latest change
are kept in the shared cache under the version of that month's topic (articles/
freshness.py: raised whenever an article first published in it is published, edited,
withdrawn or unscheduled), never past the next scheduled change: the index and a month's
sitemap then ask the database nothing more about the months, and a change has only its
own month counted again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Channel, Topic
from articles.querysets import public_tags
from delivery import freshness

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


class PageSitemap(Sitemap):
    """The pages that list articles rather than are one: the home page, the special
    topics, and every public tag's and credited author's page."""

    changefreq = "daily"

    def items(self) -> list[str]:
        tags = public_tags().order_by("slug").values_list("slug", flat=True)
        authors = Author.objects.credited_publicly().order_by("pk").values_list("pk", flat=True)
        topics = Topic.objects.order_by("slug").values_list("slug", flat=True)
        return [
            reverse("articles:home"),
            *(reverse("articles:topic", args=[slug]) for slug in topics),
            *(reverse("articles:tag", args=[slug]) for slug in tags),
            *(reverse("articles:author", args=[pk]) for pk in authors),
        ]

    def location(self, path: str) -> str:
        return path


@dataclass(frozen=True)
class Month:
    """A month (Beijing time) that holds published articles: how many, and their latest
    change."""

    start: datetime
    count: int
    latest: datetime


class Rows:
    """A sitemap's rows, their QuerySet built only when a slice of them is asked for."""

    def __init__(self, sitemap: Sitemap) -> None:
        self.sitemap = sitemap

    def __getitem__(self, wanted: slice):
        return self.sitemap.items()[wanted]


class MonthSitemap(Sitemap):
    """Every article first published in one month (Beijing time)."""

    changefreq = "monthly"

    def __init__(self, month: Month) -> None:
        self.month = month
        self.start = month.start
        self.end = (month.start + timedelta(days=32)).replace(day=1)

    def items(self):
        return (
            Article.objects.published()
            .filter(first_published_at__gte=self.start, first_published_at__lt=self.end)
            .only("id", "first_published_at", "revised_at")
            .order_by("first_published_at", "id")
        )

    def lastmod(self, article: Article):
        return article.revised_at or article.first_published_at

    @property
    def paginator(self) -> Paginator:
        """The framework's paginator, told the month's count instead of asking for it; the
        rows are looked up only when a page of them is drawn (the index needs neither)."""
        found = Paginator(Rows(self), self.limit)
        found.count = self.month.count
        return found

    def get_latest_lastmod(self):
        return self.month.latest

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """The framework's URLs of one page of the month, each made without the
        framework's look-ups per item (location, lastmod, changefreq, priority)."""
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = [
            {
                "item": row,
                "location": origin + row.get_absolute_url(),
                "lastmod": row.revised_at or row.first_published_at,
                "changefreq": self.changefreq,
                "priority": "",
                "alternates": [],
            }
            for row in self.paginator.page(page).object_list
        ]
        if urls:
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls


def months() -> list[Month]:
    """Every month (Beijing time) that holds a published article, newest first.

    Each month's numbers are kept under the version of its own topic
    (``sitemap-month:2026-05``, raised by a change to an article first published in it),
    so after a change only that month is counted again, not the whole archive."""
    starts = month_starts()
    topics = {start: freshness.month_topic(start) for start in starts}
    made_with = freshness.versions(set(topics.values()))
    keys = {start: f"{topic}:{made_with[topic]}" for start, topic in topics.items()}
    found = cache.get_many(list(keys.values()))
    if missing := [start for start in starts if keys[start] not in found]:
        counted = count_months(missing[-1], missing[0])
        found |= {keys[start]: counted.get(start, False) for start in missing}  # False: none
        cache.set_many({keys[start]: found[keys[start]] for start in missing},
                       freshness.keep_seconds())  # fmt: skip
    return [month for start in starts if (month := found[keys[start]])]


def month_starts() -> list[datetime]:
    """The start of every month from the newest published article's back to the oldest's,
    newest first (kept under ``sitemaps``)."""
    key = freshness.key_for("sitemap-span", "sitemaps")
    span = cache.get(key)
    if span is None:
        span = Article.objects.published().aggregate(
            first=Min("first_published_at"), last=Max("first_published_at")
        )
        cache.set(key, span, freshness.keep_seconds())
    if span["first"] is None:
        return []
    start, month = month_of(span["first"]), month_of(span["last"])
    found = []
    while month >= start:
        found.append(month)
        month = month_of(month - timedelta(days=1))
    return found


def month_of(moment: datetime) -> datetime:
    """The start of the month (Beijing time) a moment falls in."""
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def count_months(first: datetime, last: datetime) -> dict[datetime, Month]:
    """Each month's number of articles and latest change, from ``first`` to ``last``
    (month starts), in one grouped query over that range of the index."""
    end = month_of(last + timedelta(days=32))
    grouped = (
        Article.objects.published()
        .filter(first_published_at__gte=first, first_published_at__lt=end)
        .annotate(start=TruncMonth("first_published_at"))
        .values("start")
        .annotate(count=Count("id"), latest=Max(Coalesce("revised_at", "first_published_at")))
        .order_by()
    )
    return {row["start"]: Month(**row) for row in grouped}


def sections() -> dict[str, Sitemap]:
    result: dict[str, Sitemap] = {"pages": PageSitemap(), "channels": ChannelSitemap()}
    for month in months():
        result[f"articles-{month.start:%Y-%m}"] = MonthSitemap(month)
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
