"""相关链接, worked out when an article goes live: the editor's picks, then suggestions.

Ranking: articles sharing the most tags come first, each shared tag weighing less the
further apart the two articles were published (half weight at 30 days apart); then the
newest articles of the same channel fill the remaining places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from articles.models.relations import Suggestion, TaggedArticle

if TYPE_CHECKING:
    from articles.models import Article

KEEP = 12  # more than a page shows, so that a later withdrawal still leaves enough
CANDIDATES = 200
HALF_LIFE_DAYS = 30


def closeness(article: Article, other: Article) -> float:
    days = abs((article.first_published_at - other.first_published_at).total_seconds()) / 86400
    return 1 / (1 + days / HALF_LIFE_DAYS)


def suggest(article: Article) -> list[tuple[int, float]]:
    """Ranked (article id, score) suggestions for a published article."""
    live = type(article).objects.published().exclude(pk=article.pk)
    tag_ids = list(article.tagged_items.values_list("tag_id", flat=True))
    shared = (
        TaggedArticle.objects.filter(tag_id__in=tag_ids, content_object__in=live)
        .values("content_object_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-content_object__first_published_at")[:CANDIDATES]
    )
    counts = {row["content_object_id"]: row["shared"] for row in shared}
    others = live.filter(pk__in=counts).only("id", "first_published_at")
    scored = sorted(
        ((other.pk, counts[other.pk] * closeness(article, other)) for other in others),
        key=lambda pair: (-pair[1], -pair[0]),
    )[:KEEP]
    chosen = {pk for pk, _ in scored}
    same_channel = live.filter(channel_id=article.channel_id).exclude(pk__in=chosen).newest_first()
    scored += [(pk, 0.0) for pk in same_channel.values_list("pk", flat=True)[: KEEP - len(scored)]]
    return scored


def refresh(article: Article) -> None:
    """Store the article's 相关链接 afresh: its picks in the editor's order, then suggestions."""
    picks = list(article.picks.values_list("to_article_id", flat=True))
    ranked = [(pk, score) for pk, score in suggest(article) if pk not in picks]
    Suggestion.objects.filter(from_article=article).delete()
    Suggestion.objects.bulk_create(
        [Suggestion(from_article=article, to_article_id=pk, position=n, picked=True)
         for n, pk in enumerate(picks)]
        + [Suggestion(from_article=article, to_article_id=pk, position=len(picks) + n, score=score)
           for n, (pk, score) in enumerate(ranked)]
    )  # fmt: skip
