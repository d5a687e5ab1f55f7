"""阅读量 under a headline: each story's total reads, kept in the cache by the fold-in so
that the article page reads it without a query."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Sum

from audience.models import HourlyReads

CHUNK = 2000


def cache_key(story: int) -> str:
    return f"audience:total:{story}"


def remember(stories: Iterable[int]) -> None:
    """Store the totals of these stories (those the last fold-in added to)."""
    stories = list(stories)
    for start in range(0, len(stories), CHUNK):
        rows = (
            HourlyReads.objects.filter(article__in=stories[start : start + CHUNK])
            .values("article")
            .annotate(total=Sum("reads"))
            .values_list("article", "total")
        )
        cache.set_many({cache_key(pk): total for pk, total in rows}, None)


def total(story: int) -> int | None:
    """The story's reads as last folded in, or None if not known to the cache."""
    return cache.get(cache_key(story))
