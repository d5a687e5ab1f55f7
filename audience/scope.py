"""Whose figures a person may see: desk roles their own channels' (all, without channel
limits), 通讯员/记者 their own stories'."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from articles.models import Article, Channel


@dataclass(frozen=True)
class Scope:
    channels: frozenset[int] | None = None  # None: every channel
    writer: int | None = None  # a 通讯员's own stories only

    def articles(self, articles: QuerySet | None = None) -> QuerySet:
        """The stories in scope."""
        articles = Article.objects.all() if articles is None else articles
        if self.channels is not None:
            articles = articles.filter(channel__in=self.channels)
        if self.writer is not None:
            own = Q(created_by=self.writer) | Q(credits__author__user=self.writer)
            articles = articles.filter(pk__in=Article.objects.filter(own).values("pk"))
        return articles

    def reads(self, rows: QuerySet) -> QuerySet:
        """HourlyReads rows in scope."""
        if self.channels is not None:
            rows = rows.filter(channel__in=self.channels)
        if self.writer is not None:
            rows = rows.filter(article__in=self.articles().values("pk"))
        return rows


def scope_for(user) -> Scope:
    """A reviewer (编辑 and above) sees the channels of their limits, with sub-channels, or
    every channel; anyone else on the desk sees their own stories."""
    if user.is_superuser:
        return Scope()
    if not user.has_perm("articles.review_first"):
        return Scope(writer=user.pk)
    profile = getattr(user, "editor_profile", None)
    limits = list(profile.channels.values_list("pk", flat=True)) if profile else []
    if not limits:
        return Scope()
    children = Channel.objects.filter(parent__in=limits).values_list("pk", flat=True)
    return Scope(channels=frozenset([*limits, *children]))
