"""Questions asked of the database, each answered in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from articles.transitions import Status

if TYPE_CHECKING:
    from taggit.models import Tag

    from articles.models import Article, Channel


class ChannelQuerySet(models.QuerySet):
    def in_navigation(self) -> ChannelQuerySet:
        """Return the top-level channels shown in the site navigation, in order."""
        return self.filter(in_navigation=True, parent__isnull=True)


def sees_every_story(user) -> bool:
    """编辑 and above (and superusers) see every story on the desk, in any state."""
    return user.is_superuser or any(
        user.has_perm(f"articles.{perm}")
        for perm in ("edit_any_draft", "review_first", "review_second", "review_final")
    )


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Return articles the public may see now: published, their time come, not expired."""
        now = timezone.now()
        return self.filter(status=Status.PUBLISHED, first_published_at__lte=now).filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=now)
        )

    def gone(self) -> ArticleQuerySet:
        """Return articles that were public and are no longer: withdrawn, or expired."""
        now = timezone.now()
        return self.filter(first_published_at__lte=now).filter(
            Q(status=Status.WITHDRAWN) | Q(status=Status.PUBLISHED, expire_at__lte=now)
        )

    def scheduled(self) -> ArticleQuerySet:
        """Return articles published to appear at a time still ahead."""
        return self.filter(status=Status.PUBLISHED, first_published_at__gt=timezone.now())

    def expiring(self) -> ArticleQuerySet:
        """Return public articles that will leave the site at a set time."""
        return self.published().filter(expire_at__isnull=False)

    def visible_to(self, user) -> ArticleQuerySet:
        """Return what a desk member may see in the admin: all (编辑 and above), or their
        own stories and what has appeared; never someone else's draft, working copy or
        scheduled story before its time."""
        if sees_every_story(user):
            return self.all()
        appeared = Q(status=Status.PUBLISHED, first_published_at__lte=timezone.now())
        return self.filter(Q(created_by=user) | Q(revision_of__created_by=user) | appeared)

    def in_channel(self, channel: Channel) -> ArticleQuerySet:
        """Return articles filed in the channel or in one of its sub-channels."""
        if channel.parent_id is None:
            return self.filter(section=channel)
        return self.filter(channel=channel)

    def newest_by_section(self, per_section: int) -> list[tuple[int, int]]:
        """(id, top-level channel) of the newest ``per_section`` public articles of every
        top-level channel, all newest first, in one windowed query."""
        from django.db.models import F, Window
        from django.db.models.functions import RowNumber

        newest = [F("first_published_at").desc(), F("id").desc()]
        ranked = self.published().annotate(
            rank=Window(RowNumber(), partition_by=F("section_id"), order_by=newest)
        )
        found = ranked.filter(rank__lte=per_section).order_by(*newest)
        return list(found.values_list("pk", "section_id"))

    def placed(self, slot: str) -> ArticleQuerySet:
        """Return public articles holding a placement (头条, 推荐, 置顶) that is active now,
        in the desk's order."""
        from articles.models import Placement

        active = Placement.objects.active().filter(slot=slot)
        return (
            self.published()
            .filter(placements__in=active)
            .order_by("placements__position", "-first_published_at", "-id")
        )

    def tagged(self, tag) -> ArticleQuerySet:
        return self.filter(tagged_items__tag=tag)

    def by_author(self, author) -> ArticleQuerySet:
        """Return articles crediting the person."""
        return self.filter(credits__author=author)

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-first_published_at", "-id")

    def for_listing(self) -> ArticleQuerySet:
        """Load what a list item shows: channel and cover image."""
        return self.select_related("channel", "cover_image")

    def for_list_items(self) -> ArticleQuerySet:
        """Load only the columns a list item shows (never the body): title, summary, time,
        channel name and link, cover photo."""
        return self.select_related("channel", "cover_image").only(
            "title", "summary", "first_published_at", "channel__name", "channel__slug",
            "cover_image__alt_text", "cover_image__renditions",
        )  # fmt: skip

    def with_credits(self) -> ArticleQuerySet:
        """Load tags and credited people (for bylines and feeds) in two more queries."""
        from articles.models import ArticleAuthor

        return self.prefetch_related(
            "tags", Prefetch("credits", queryset=ArticleAuthor.objects.select_related("author"))
        )

    def for_page(self) -> ArticleQuerySet:
        """Load what the article page shows, in one query: the article, its editor's name
        and its cover photo's copies (``editor_name``, ``cover_renditions``).

        Its channel comes from the channel tree (website/navigation.py); tags, credits and
        corrections live in cached fragments of the page and are read (``Article.tag_list``
        ...) only when a fragment has to be drawn again; 相关链接 and 上一篇/阅读下一篇 come
        from website/surroundings.py. Two columns rather than two more rows of objects:
        only the fragments read them, and most visits draw none.
        """
        return self.annotate(
            editor_name=F("editor__display_name"), cover_renditions=F("cover_image__renditions")
        )

    def beside(self, article: Article, *, newer: bool) -> ArticleQuerySet:
        """Public articles of the same channel on one side of this one, nearest first."""
        moment, pk = article.first_published_at, article.pk
        # The plain bound on the time lets the channel index start at the article rather
        # than at the channel's end; the OR, which settles ties, cannot.
        if newer:
            side = Q(first_published_at__gt=moment) | Q(first_published_at=moment, id__gt=pk)
            bound, ordering = Q(first_published_at__gte=moment), ("first_published_at", "id")
        else:
            side = Q(first_published_at__lt=moment) | Q(first_published_at=moment, id__lt=pk)
            bound, ordering = Q(first_published_at__lte=moment), ("-first_published_at", "-id")
        return (
            self.published().filter(bound, side, channel_id=article.channel_id).order_by(*ordering)
        )

    def read_next(self, article: Article) -> Article | None:
        """Return the next article down the channel's list: the one published just before."""
        return self.beside(article, newer=False).only("id", "title", "first_published_at").first()

    def previous_to(self, article: Article) -> Article | None:
        """Return the article above this one in the channel's list: published just after."""
        return self.beside(article, newer=True).only("id", "title", "first_published_at").first()


class AuthorQuerySet(models.QuerySet):
    def credited_publicly(self) -> AuthorQuerySet:
        """Return people credited on at least one article the public may see now: nobody
        learns a name from the desk's unpublished work."""
        from articles.models import Article

        return self.filter(Exists(Article.objects.published().by_author(OuterRef("pk"))))


def public_tags() -> models.QuerySet[Tag]:
    """Return the tags that at least one article the public may see now carries."""
    from taggit.models import Tag

    from articles.models import Article

    return Tag.objects.filter(Exists(Article.objects.published().tagged(OuterRef("pk"))))


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
