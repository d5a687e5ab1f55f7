"""点击排行: the most-read public stories of the last 24 hours and 7 days, site-wide and per
channel (a top-level channel counts its sub-channels' stories).

The lists are worked out after each fold-in (every few minutes) and kept in the cache, where
the home and channel pages read them with one cache look-up and no query. A list not in the
cache (before the first fold-in, or with the cache emptied) is simply not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Channel
from audience.models import HourlyReads

WINDOWS = {"day": (timedelta(hours=24), _("24小时")), "week": (timedelta(days=7), _("7天"))}
# Kept well past the fold-in's interval, so a stopped worker leaves the last lists showing.
LIFETIME = 6 * 3600
SITE = "site"


@dataclass(frozen=True)
class Entry:
    pk: int
    title: str
    url: str
    reads: int


def cache_key(scope: int | str, window: str) -> str:
    return f"audience:ranking:{scope}:{window}"


def totals_since(since) -> list[tuple[int, int, int]]:
    """(story, its channel, reads) of public stories since a moment, most read first."""
    rows = (
        HourlyReads.objects.since(since)
        .filter(article__in=Article.objects.published())
        .values("article", "article__channel")
        .annotate(total=Sum("reads"))
        .order_by("-total", "article")
    )
    return [(row["article"], row["article__channel"], row["total"]) for row in rows]


def top(totals: list[tuple[int, int, int]], parents: dict[int, int | None]) -> dict:
    """scope (SITE or a channel id) -> its most-read (story, reads), at most the list size."""
    size = settings.NEWSROOM_RANKING_SIZE
    grouped: dict[int | str, list[tuple[int, int]]] = {}
    for pk, channel, reads in totals:
        for scope in {SITE, channel, parents.get(channel) or channel}:
            chosen = grouped.setdefault(scope, [])
            if len(chosen) < size:
                chosen.append((pk, reads))
    return grouped


def refresh() -> dict[str, list[Entry]]:
    """Work every list out again and store it; the lists by cache key."""
    now = timezone.now()
    parents = dict(Channel.objects.values_list("pk", "parent_id"))
    lists: dict[str, list[Entry]] = {}
    for window, (length, _label) in WINDOWS.items():
        grouped = top(totals_since(now - length), parents)
        shown = {pk for chosen in grouped.values() for pk, _reads in chosen}
        articles = Article.objects.in_bulk(shown)
        for scope in [SITE, *parents]:
            lists[cache_key(scope, window)] = [
                Entry(pk, articles[pk].title, articles[pk].get_absolute_url(), reads)
                for pk, reads in grouped.get(scope, [])
            ]
    cache.set_many(lists, LIFETIME)
    return lists


def ranking(channel: Channel | None = None) -> list[tuple[str, str, list[Entry]]]:
    """The 24-hour and 7-day lists of the site or a channel as (window, label, entries),
    from the cache (no query); empty while they have not been worked out."""
    scope = SITE if channel is None else channel.pk
    found = cache.get_many([cache_key(scope, window) for window in WINDOWS])
    if not found:
        return []
    return [
        (window, label, found.get(cache_key(scope, window), []))
        for window, (_length, label) in WINDOWS.items()
    ]
