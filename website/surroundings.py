"""What an article page shows around the article: 相关链接 (the stored picks and
suggestions, and the editor's external links) and 上一篇/阅读下一篇.

Read in one query where the database can limit each part of a UNION (PostgreSQL), and kept
in the shared cache, so that the pages drawn after the first need no query for it. A copy
is used only while these freshness topics (delivery/freshness.py) keep their versions:

- ``article:<id>`` of the article: its suggestions are stored when it goes live, and
  ``announce`` also touches it when an article lands or leaves right next to it;
- ``article:<id>`` of both neighbours: edited, moved or withdrawn;
- ``article:<id>`` of every suggested article, shown or not: edited, withdrawn, or
  published again;
- ``site`` (always): ``refresh_related`` rewrites every article's suggestions.

The key holds the article's ``updated_at``: its external links are saved with it. Time
changes the surroundings too: a copy never outlives the moment an article it shows
expires, or one it suggests or one scheduled in the channel appears (worked out from the
rows themselves, so that an empty cache costs no site-wide look-up). A copy read while
anything changed is not kept.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, DateTimeField, Exists, OuterRef, QuerySet, Value
from django.utils import timezone

from articles.models import Article, RelatedLink, Suggestion
from delivery import freshness

KEY_PREFIX = "surroundings"
CACHE_SECONDS = 24 * 3600
# What each row is. Rows are (kind, position, id, title, url, published, updated, expires,
# public): link rows carry no times; article rows get their url when read.
RELATED, LINK, PREVIOUS, READ_NEXT, UPCOMING = range(5)
NO_TIME = Value(None, output_field=DateTimeField())
PUBLIC = Value(True, output_field=BooleanField())


@dataclass(frozen=True, slots=True)
class Link:
    """What a link shows: an article's title, address and date, or an external page."""

    pk: int
    title: str
    url: str
    first_published_at: datetime | None = None
    updated_at: datetime | None = None

    def get_absolute_url(self) -> str:
        return self.url


@dataclass
class Surroundings:
    """相关链接 that are public now, external links, 上一篇 and 阅读下一篇."""

    related: list[Link]
    links: list[Link]
    previous: Link | None
    read_next: Link | None
    # Every article the page may come to show: the suggested ones, public now or not.
    watched: list[int]

    def topics(self) -> set[str]:
        """The freshness topics of every article shown, or that may come to be shown."""
        shown = [a.pk for a in (self.previous, self.read_next) if a is not None]
        return {f"article:{pk}" for pk in [*shown, *self.watched]}


def of(article: Article) -> Surroundings:
    """The surroundings of a public article, from the shared cache while still exact."""
    key = f"{KEY_PREFIX}:{article.pk}:{article.updated_at.timestamp()}"
    stored = cache.get(key)
    if stored is not None and freshness.is_fresh(stored["versions"]):
        return build(stored["rows"])
    before = freshness.epoch()
    rows = read_rows(article)
    found = build(rows)
    made_with = freshness.versions(found.topics() | {f"article:{article.pk}", freshness.EPOCH})
    timeout = seconds_unchanged(rows)
    # Something changed while the rows were read: they may show the old state.
    if made_with.pop(freshness.EPOCH) == before and timeout >= 1:
        cache.set(key, {"rows": rows, "versions": made_with}, timeout)
    return found


def foreseen(article: Article, live: Article) -> Surroundings:
    """The surroundings an article not out yet will have when it appears at its
    ``first_published_at``, as the database has them now (no cache): its own external
    links; the suggestions, 上一篇 and 阅读下一篇 of ``live``, the article readers will reach
    (itself, or the one a working copy replaces)."""
    at = copy(live)
    at.first_published_at, at.channel_id = article.first_published_at, article.channel_id
    parts = [_links(article), _suggested(at), _side(at, newer=True), _side(at, newer=False)]
    return build([_with_url(row) for part in parts for row in part])


def seconds_unchanged(rows: list[tuple]) -> int:
    """Whole seconds before time alone may change the rows (at most ``CACHE_SECONDS``):
    an article in them expires, or one not yet out appears."""
    now = timezone.now()
    moments: list[datetime] = []
    for kind, _, _, _, _, published, _, expires, _ in rows:
        if kind != LINK:
            moments += [m for m in (published, expires) if m is not None and m > now]
    if not moments:
        return CACHE_SECONDS
    return min(CACHE_SECONDS, int((min(moments) - now).total_seconds()))


def read(article: Article) -> Surroundings:
    """The surroundings of an article as the database has them now (no cache)."""
    return build(read_rows(article))


def read_rows(article: Article) -> list[tuple]:
    """Every row, in one query where a UNION may limit each part (PostgreSQL)."""
    return [_with_url(row) for part in _parts(article) for row in part]


def _parts(article: Article) -> list[QuerySet]:
    """The QuerySets read_rows runs: one where the database allows it."""
    # Links first: Django matches a later part's ORDER BY against the first part's columns.
    links, suggested = _links(article), _suggested(article)
    sides = [_side(article, newer=True), _side(article, newer=False), _upcoming(article)]
    if connection.features.supports_slicing_ordering_in_compound:
        return [links.union(suggested, *sides, all=True)]
    return [links.union(suggested, all=True), *sides]


def _with_url(row: tuple) -> tuple:
    """An article row with the article's permanent address in place of its empty url
    (a draft, never shown, has none)."""
    kind, position, pk, title, _, published, *rest = row
    if kind == LINK or published is None:
        return row
    url = Article.get_absolute_url(_Address(pk, published))  # type: ignore[arg-type]
    return (kind, position, pk, title, url, published, *rest)


class _Address(NamedTuple):
    """What Article.get_absolute_url reads, without building a model instance per row."""

    pk: int
    first_published_at: datetime


def _suggested(article: Article) -> QuerySet:
    """Every stored suggestion, with whether the article it names is public now."""
    public = Exists(Article.objects.published().filter(pk=OuterRef("to_article_id")))
    return (
        Suggestion.objects.filter(from_article_id=article.pk)
        .order_by()
        .values_list(
            Value(RELATED), "position", "to_article_id", "to_article__title", Value(""),
            "to_article__first_published_at", "to_article__updated_at", "to_article__expire_at",
            public,
        )
    )  # fmt: skip


def _links(article: Article) -> QuerySet:
    """The editor's external links, in the editor's order."""
    return (
        RelatedLink.objects.filter(article_id=article.pk)
        .order_by()
        .values_list(
            Value(LINK), "position", "id", "title", "url", NO_TIME, NO_TIME, NO_TIME, PUBLIC
        )
    )


def _side(article: Article, *, newer: bool) -> QuerySet:
    """上一篇 (the nearest newer public article of the channel) or 阅读下一篇 (older)."""
    kind = PREVIOUS if newer else READ_NEXT
    return Article.objects.beside(article, newer=newer).values_list(
        Value(kind), Value(0), "id", "title", Value(""), "first_published_at", "updated_at",
        "expire_at", PUBLIC,
    )[:1]  # fmt: skip


def _upcoming(article: Article) -> QuerySet:
    """The channel's next scheduled article: when it appears, neighbours may change."""
    return (
        Article.objects.scheduled()
        .filter(channel_id=article.channel_id)
        .order_by("first_published_at", "id")
        .values_list(
            Value(UPCOMING), Value(0), "id", "title", Value(""), "first_published_at",
            "updated_at", "expire_at", Value(False, output_field=BooleanField()),
        )[:1]
    )  # fmt: skip


def build(rows: list[tuple]) -> Surroundings:
    """Light objects for the templates from the rows, in the order the page shows them."""
    by_kind: dict[int, list[tuple]] = {kind: [] for kind in range(UPCOMING + 1)}
    for row in sorted(rows, key=lambda row: row[:3]):
        by_kind[row[0]].append(row)
    return Surroundings(
        related=[_link(row) for row in by_kind[RELATED] if row[8]],
        links=[_link(row) for row in by_kind[LINK]],
        previous=next(map(_link, by_kind[PREVIOUS]), None),
        read_next=next(map(_link, by_kind[READ_NEXT]), None),
        watched=[row[2] for row in by_kind[RELATED]],
    )


def _link(row: tuple) -> Link:
    _, _, pk, title, url, published, updated, _, _ = row
    return Link(pk, title, url, published, updated)
