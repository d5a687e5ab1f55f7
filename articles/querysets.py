"""Questions asked of the database, each answered in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

if TYPE_CHECKING:
    from articles.models import Article, Channel


class ChannelQuerySet(models.QuerySet):
    def in_navigation(self) -> ChannelQuerySet:
        """Return the top-level channels shown in the site navigation, in order."""
        return self.filter(in_navigation=True, parent__isnull=True)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Return articles the public may see now."""
        return self.filter(status="published", first_published_at__lte=timezone.now())

    def in_channel(self, channel: Channel) -> ArticleQuerySet:
        """Return articles filed in the channel or in one of its sub-channels."""
        return self.filter(Q(channel=channel) | Q(channel__parent=channel))

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-first_published_at", "-id")

    def for_listing(self) -> ArticleQuerySet:
        """Load what a list item shows: channel and cover image."""
        return self.select_related("channel", "cover_image")

    def for_page(self) -> ArticleQuerySet:
        """Load everything the article page shows, in a fixed number of queries."""
        from articles.models import ArticleAuthor, RelatedPick

        live_picks = RelatedPick.objects.filter(
            to_article__in=self.model.objects.published()
        ).select_related("to_article__channel")
        return self.select_related("channel__parent", "editor", "cover_image").prefetch_related(
            "tags",
            "links",
            Prefetch("credits", queryset=ArticleAuthor.objects.select_related("author")),
            Prefetch("picks", queryset=live_picks),
        )

    def related_to(self, article: Article, limit: int) -> list[Article]:
        """Return related articles: editor picks, then sharing a tag, then same channel.

        Never the article itself, never anything unpublished. ``article`` comes from
        ``for_page()`` so its picks and tags are already loaded.
        """
        from articles.models import TaggedArticle

        picked = [pick.to_article for pick in article.picks.all()]
        seen = {article.pk, *(a.pk for a in picked)}
        candidates = self.published().exclude(pk__in=seen).select_related("channel").newest_first()
        tag_ids = [tag.pk for tag in article.tags.all()]
        sharing_tags = candidates.filter(
            pk__in=TaggedArticle.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        )
        same_channel = candidates.filter(channel_id=article.channel_id)
        related = picked
        for group in (sharing_tags[:limit], same_channel[:limit]):
            related += [a for a in group if a.pk not in seen]
            seen.update(a.pk for a in group)
        return related[:limit]

    def _neighbour(self, article: Article, *, newer: bool) -> Article | None:
        """Return the closest article in the same channel by publish time (ties: by id)."""
        moment, pk = article.first_published_at, article.pk
        if newer:
            side = Q(first_published_at__gt=moment) | Q(first_published_at=moment, id__gt=pk)
            ordering = ("first_published_at", "id")
        else:
            side = Q(first_published_at__lt=moment) | Q(first_published_at=moment, id__lt=pk)
            ordering = ("-first_published_at", "-id")
        return (
            self.published()
            .filter(side, channel_id=article.channel_id)
            .order_by(*ordering)
            .only("id", "title", "first_published_at")
            .first()
        )

    def read_next(self, article: Article) -> Article | None:
        """Return the next article down the channel's list: the one published just before."""
        return self._neighbour(article, newer=False)

    def previous_to(self, article: Article) -> Article | None:
        """Return the article above this one in the channel's list: published just after."""
        return self._neighbour(article, newer=True)


class ImageQuerySet(models.QuerySet):
    def ready(self) -> ImageQuerySet:
        """Return photos whose public copies all exist: the only ones editors can place."""
        return self.exclude(rendered_with="")

    def matching(self, words: str) -> ImageQuerySet:
        """Return photos whose caption, credit or alt text holds every word."""
        found = self
        for word in words.split():
            found = found.filter(
                Q(caption__icontains=word)
                | Q(credit__icontains=word)
                | Q(alt_text__icontains=word)
            )
        return found
