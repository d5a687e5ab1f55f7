"""What the home page shows: the articles of each block, listed once per change.

The blocks are 头条, 推荐, 最新稿件, 图片新闻, 精彩视频 and the newest of each channel in
the navigation. Which articles each block holds (their ids, in order) is worked out in
one query where the database allows a LIMIT in each part of a UNION ALL (PostgreSQL).
The ids, each article's URL and printed times (fixed once it is published), the cover
photos of the blocks that show them and the current special topics are kept in the
shared cache with the versions of the ``home`` and ``site`` topics they were made from
(delivery/freshness.py): publishing, editing, withdrawing or unscheduling any article and
saving a placement, a special topic, a channel or a photo raises one of them, and a kept
copy never outlives the next scheduled appearance, expiry or placement change. The rows
themselves (titles and summaries) are read on every request, in one query, through
``Article.objects.published()``, as plain values: only the featured items, which the
shared list templates draw, become model instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Value
from django.utils import timezone

from articles.models import Article, Channel, Image, Topic
from articles.querysets import ArticleQuerySet
from delivery import freshness
from website.navigation import ChannelTree
from website.templatetags.dates import machine_time

HEADLINES = 2
FEATURED = 6
LATEST = 10
SECTION_SIZE = 5
PHOTOS = 8
VIDEOS = 4
TOPICS = 4
# Part of the cache key: a deployment that changes the sizes starts afresh.
SIZES = f"{HEADLINES}.{FEATURED}.{LATEST}.{SECTION_SIZE}.{PHOTOS}.{VIDEOS}.{TOPICS}"
# v2: the 头条 keep their covers.
LISTS_KEY = f"frontpage:v2:{SIZES}"
COVER = ("cover_image__renditions", "cover_image__alt_text")
# The blocks that show cover photos.
WITH_COVERS = ("headlines", "featured", "photos", "videos")


@dataclass
class FrontPage:
    """Every block of the home page, ready to print."""

    headlines: list[Line]
    featured: list[Article]
    latest: list[Line]
    photos: list[Line]
    videos: list[Line]
    sections: list[tuple[Channel, list[Line]]]
    topics: list[Topic]

    def shown(self) -> list[list]:
        """Every list of rows the page shows, in order (a fragment key names their ids)."""
        return [
            self.headlines, self.featured, self.latest, self.photos, self.videos,
            [section for section, _lines in self.sections],
            *(lines for _section, lines in self.sections), self.topics,
        ]  # fmt: skip


@dataclass(frozen=True)
class Block:
    """A list on the home page: the articles holding a placement, in the desk's order, or
    the newest of some top-level channels (of all when ``sections`` is None)."""

    name: str
    size: int
    slot: str = ""
    sections: frozenset[int] | None = None

    def articles(self) -> ArticleQuerySet:
        """The block's public articles in the order it shows them."""
        if self.slot:
            return Article.objects.placed(self.slot)
        newest = Article.objects.published().newest_first()
        return newest if self.sections is None else newest.filter(section__in=self.sections)


def blocks(tree: ChannelTree) -> list[Block]:
    """Every list the home page shows; a kind of channel the site lacks has no block."""
    found = [
        Block("headlines", HEADLINES, slot="headline"),
        Block("featured", FEATURED, slot="featured"),
        Block("latest", LATEST),
    ]
    for name, kind, size in (("photos", "photo", PHOTOS), ("videos", "video", VIDEOS)):
        if sections := tree.of_kind(kind):
            found.append(Block(name, size, sections=frozenset(s.pk for s in sections)))
    for section in tree.navigation():
        only = frozenset([section.pk])
        found.append(Block(f"section:{section.pk}", SECTION_SIZE, sections=only))
    return found


def ids_in_one_query(wanted: list[Block]) -> dict[str, list[int]]:
    """The ids of every block from one UNION ALL of index ranges, each in its order."""
    parts = []
    for block in wanted:
        place = F("placements__position") if block.slot else Value(0)
        # A part orders by its own columns: they must be among those it selects.
        row = block.articles().annotate(block=Value(block.name), place=place)
        parts.append(row.values_list("pk", "block", "place", "first_published_at")[: block.size])
    rows = list(parts[0].union(*parts[1:], all=True))
    # Newest first, then (stable) by the desk's position: each part's own order.
    rows.sort(key=lambda row: (row[3], row[0]), reverse=True)
    rows.sort(key=lambda row: row[2])
    found: dict[str, list[int]] = {block.name: [] for block in wanted}
    for pk, name, _place, _moment in rows:
        found[name].append(pk)
    return found


def ids_by_window(wanted: list[Block]) -> dict[str, list[int]]:
    """The ids of every block where a UNION cannot limit its parts: one query per placement
    slot, and one windowed query for all the newest lists, each of which is the start of
    the newest of some channels."""
    found = {
        block.name: list(block.articles().values_list("pk", flat=True)[: block.size])
        for block in wanted
        if block.slot
    }
    newest = [block for block in wanted if not block.slot]
    deepest = max(block.size for block in newest)
    rows = Article.objects.newest_by_section(deepest)
    for block in newest:
        shown = (pk for pk, section in rows if block.sections is None or section in block.sections)
        found[block.name] = list(islice(shown, block.size))
    return found


@dataclass(frozen=True)
class Link:
    """Where an article lives and when it appeared, as a headline list prints them: worked
    out once, when the lists are made, instead of on every line of every page."""

    url: str
    published: str  # machine-readable, for <time datetime>
    day_time: str  # 月-日 时:分
    day: str  # 月-日


@dataclass(frozen=True)
class Line:
    """One item of a home page block: the row's title, summary and cover, and its link."""

    pk: int
    title: str
    summary: str
    cover_image: Image | None
    url: str
    published: str
    day_time: str
    day: str


class Row(NamedTuple):
    """What a home page item shows of its article, read on every request: title, summary,
    time and channel (drawn from the tree); the cover is kept with the lists."""

    id: int
    title: str
    summary: str
    first_published_at: datetime
    channel_id: int


# The columns of a row, in the model's order, for the featured items' model instances.
ROW_FIELDS = [f.attname for f in Article._meta.concrete_fields if f.attname in Row._fields]


def article_for(row: Row, db: str) -> Article:
    """A featured item as the shared list templates take it: a model instance holding the
    row's columns, the others deferred (as ``only()`` leaves them)."""
    return Article.from_db(db, ROW_FIELDS, [getattr(row, name) for name in ROW_FIELDS])


@dataclass
class Lists:
    """What the home page shows besides the rows: each block's ids, each article's link,
    the cover photos of the blocks that show them, and the current special topics."""

    ids: dict[str, list[int]]
    links: dict[int, Link]
    covers: dict[int, Image | None]
    topics: list[Topic]


def link_for(article: Article) -> Link:
    """The article's URL and its first-publication time as the page prints it."""
    day = timezone.localtime(article.first_published_at)
    return Link(
        url=article.get_absolute_url(),
        published=machine_time(day),
        day_time=f"{day:%m-%d %H:%M}",
        day=f"{day:%m-%d}",
    )


def fresh_ids(tree: ChannelTree) -> dict[str, list[int]]:
    """The ids each block shows now, in the fewest queries the database allows."""
    wanted = blocks(tree)
    if connection.features.supports_slicing_ordering_in_compound:
        return ids_in_one_query(wanted)
    return ids_by_window(wanted)


def public(ids: dict[str, list[int]]) -> ArticleQuerySet:
    """The public articles among those the blocks hold."""
    wanted = {pk for block in ids.values() for pk in block}
    return Article.objects.published().filter(pk__in=wanted)


def load_rows(ids: dict[str, list[int]]) -> tuple[dict[int, Row], str]:
    """The public rows behind the ids, in one query, and the database they came from."""
    rows = public(ids)
    return {row.id: row for row in map(Row._make, rows.values_list(*Row._fields))}, rows.db


def make_lists(tree: ChannelTree) -> tuple[Lists, dict[int, Row], str]:
    """The lists as they stand now, and the rows they show (read with their covers)."""
    ids = fresh_ids(tree)
    found = public(ids).select_related("cover_image").only(*Row._fields, *COVER)
    articles = found.in_bulk()
    shown = {pk for name in WITH_COVERS for pk in ids.get(name, [])}
    lists = Lists(
        ids=ids,
        links={pk: link_for(row) for pk, row in articles.items()},
        covers={pk: articles[pk].cover_image for pk in shown if pk in articles},
        topics=list(Topic.objects.current().select_related("lead_image")[:TOPICS]),
    )
    rows = {pk: Row._make(getattr(a, name) for name in Row._fields) for pk, a in articles.items()}
    return lists, rows, found.db


def front_page(tree: ChannelTree) -> FrontPage:
    """Every block of the home page: the lists from the cache while nothing they show has
    changed, the rows from the database."""
    # Kept with the versions they were made with, which the shared cache checks along
    # with the read: one round trip on every page, where a key naming them costs two.
    lists = freshness.kept(LISTS_KEY)
    if lists is None:
        made_with = freshness.versions({"home"})  # before the rows: a change since is seen
        lists, rows, db = make_lists(tree)
        freshness.keep(LISTS_KEY, lists, made_with, freshness.keep_seconds())
    else:
        rows, db = load_rows(lists.ids)
    return assemble(lists, rows, tree, db)


def assemble(lists: Lists, rows: dict[int, Row], tree: ChannelTree, db: str) -> FrontPage:
    """Each block's rows in its order, and no row gone since the lists were made. The top
    of the page (头条, 推荐, 最新稿件: a phone's first screens) shows every story once,
    each block leaving out what one above it shows; the channel boxes and the strips
    below keep their own newest."""
    shown: set[int] = set()

    def fresh(name: str, once: bool) -> list[int]:
        found = [pk for pk in lists.ids.get(name, []) if pk in rows]
        if once:
            found = [pk for pk in found if pk not in shown]
            shown.update(found)
        return found

    def lines(name: str, once: bool = False) -> list[Line]:
        found = []
        for pk in fresh(name, once):
            row = rows[pk]
            link = lists.links.get(pk) or link_for(article_for(row, db))
            found.append(
                Line(pk, row.title, row.summary, lists.covers.get(pk),
                     link.url, link.published, link.day_time, link.day)
            )  # fmt: skip
        return found

    headlines = lines("headlines", once=True)
    featured = [article_for(rows[pk], db) for pk in fresh("featured", once=True)]
    tree.attach(featured)  # the shared list templates show their channels
    for row in featured:
        row.cover_image = lists.covers.get(row.pk)
    sections = [(s, lines(f"section:{s.pk}")) for s in tree.navigation()]
    return FrontPage(
        headlines=headlines,
        featured=featured,
        latest=lines("latest", once=True),
        photos=lines("photos"),
        videos=lines("videos"),
        sections=[(section, newest) for section, newest in sections if newest],
        topics=lists.topics,
    )
