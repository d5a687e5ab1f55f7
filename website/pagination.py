"""Paging through long lists of articles at a cost that does not grow with the page number.

A list names the freshness topic that changes whenever its contents do (``section:3``,
``tag:5``...). Its length and the first key (publish time, id) of every page are then
kept per version of that topic in the shared cache, in slices of SLICE_PAGES pages of
fixed-width integers; a request reads the first slice (which holds the length) and the
one holding its page, and decodes one entry. A slice nobody has asked for is never read:
after a change, page 1 costs a count and one short index range, whatever the length.
Any page, the 2,000th as the first, is then one query: a short index range read by key
("keyset") for the ids, and the columns a list item shows of the rows those ids name.

A list is given as a function that builds its QuerySet from a few ids (``ArticleList``).
A page's rows are read with ``values_list()`` and become light ``ListedArticle`` objects
holding the channel tree's own channels: a model object per row cost more than the query.
"""

import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from articles.models import Article, Channel, Image
from delivery import freshness
from website import navigation

PAGE_NUMBER = "page"
# Pages per cached slice: a request never reads more than two slices, whatever the length.
SLICE_PAGES = 256
# One page start: publish time (microseconds since 1970, UTC) and id, 16 bytes.
START = struct.Struct("<qq")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEWEST_FIRST = [F("first_published_at").desc(), F("id").desc()]

# (length of the list, pinned ids, packed starts of up to SLICE_PAGES pages)
type Slice = tuple[int, tuple[int, ...], bytes]
type Build = Callable[[Mapping[str, object]], QuerySet]
# What a list item shows of an article (never the body), in ListedArticle's order.
ITEM_COLUMNS = (
    "id", "title", "summary", "first_published_at", "channel_id",
    "cover_image_id", "cover_image__alt_text", "cover_image__renditions",
)  # fmt: skip


@dataclass(frozen=True)
class ArticleList:
    """A list of public articles, newest first, whose contents change with ``topic``.

    ``build`` makes its QuerySet from ``values`` (ids).
    ``pinned`` names the placement slot whose articles head page 1 and leave the list.
    """

    topic: str
    build: Build
    values: Mapping[str, int] = field(default_factory=dict)
    pinned: str = ""

    def articles(self) -> QuerySet:
        return self.build(self.values).newest_first()


@dataclass(slots=True)
class ListedCover:
    """What a list item shows of its cover photo."""

    pk: int
    alt_text: str
    renditions: list[dict]

    copies = Image.copies


@dataclass(slots=True)
class ListedArticle:
    """What a list item shows of an article, with the channel tree's own channel."""

    pk: int
    title: str
    summary: str
    first_published_at: datetime
    channel_id: int
    cover_image: ListedCover | None
    channel: Channel | None = None

    get_absolute_url = Article.get_absolute_url

    @property
    def id(self) -> int:
        return self.pk


def pack(starts: list[tuple[datetime, int]]) -> bytes:
    """Page starts as fixed-width integers: cheap to store, read one at a time."""
    micro = timedelta(microseconds=1)
    return b"".join(START.pack((at - EPOCH) // micro, pk) for at, pk in starts)


def unpack(packed: bytes, index: int) -> tuple[datetime, int]:
    """The ``index``-th page start of a packed slice."""
    micros, pk = START.unpack_from(packed, index * START.size)
    return EPOCH + timedelta(microseconds=micros), pk


class KeysetPaginator(Paginator):
    """A Paginator over a list of articles that finds deep pages by key."""

    def __init__(
        self, article_list: ArticleList, per_page: int, channels: Mapping[int, Channel]
    ) -> None:
        super().__init__(article_list, per_page)
        self.list = article_list
        self.topic = article_list.topic
        self.channels = channels
        self._slices: dict[int, Slice] = {}

    @cached_property
    def articles(self) -> QuerySet:
        """The list's QuerySet, built only when a slice of page starts is read."""
        return self.list.articles()

    def slice_of(self, number: int) -> Slice | None:
        """The slice holding page ``number`` (None past the end of the list)."""
        index = (number - 1) // SLICE_PAGES
        if index not in self._slices:
            self._slices.update(self.read(index, number))
        return self._slices.get(index)

    def read(self, index: int, number: int) -> dict[int, Slice]:
        """Slices 0 (which holds the length) and ``index`` from the shared cache, in one
        look-up; a missing one is read from the list's index, alone.

        A topic names one list: its views must always page the same QuerySets under it.
        """
        version = freshness.versions({self.topic})[self.topic]
        prefix = f"pages:{self.topic}:{version}:{self.per_page}:"
        found = cache.get_many([f"{prefix}0", f"{prefix}{index}"])
        found = {int(key.removeprefix(prefix)): value for key, value in found.items()}
        if 0 not in found:
            found[0] = self.store(prefix, 0, *self.length_and_pins())
        if index not in found and number <= self.pages_in(found[0][0]):
            found[index] = self.store(prefix, index, *found[0][:2])  # never made, or evicted
        return found

    def pages_in(self, count: int) -> int:
        return max(1, -(-count // self.per_page))

    def length_and_pins(self) -> tuple[int, tuple[int, ...]]:
        pinned = self.find_pinned()
        return self.without(pinned).count(), pinned

    def store(self, prefix: str, index: int, count: int, pinned: tuple[int, ...]) -> Slice:
        """Read where the slice's pages start, and cache it until the topic or the time
        moves on. Its rows are an index range that ends at the slice: a deep slice costs
        a longer walk, but only the slices readers ask for are ever read."""
        rows = self.per_page * SLICE_PAGES
        keys = self.without(pinned).values_list("first_published_at", "pk")
        starts = list(keys[index * rows : (index + 1) * rows])[:: self.per_page]
        found = (count, pinned, pack(starts))
        cache.set(f"{prefix}{index}", found, freshness.keep_seconds())
        return found

    def find_pinned(self) -> tuple[int, ...]:
        if not self.list.pinned:
            return ()
        pinned = self.list.build(self.list.values).placed(self.list.pinned)
        return tuple(pinned.values_list("pk", flat=True))

    def without(self, pinned: tuple[int, ...]) -> QuerySet:
        return self.articles.exclude(pk__in=pinned) if pinned else self.articles

    @cached_property
    def pinned_ids(self) -> tuple[int, ...]:
        return self.slice_of(1)[1]

    @cached_property
    def count(self) -> int:
        return self.slice_of(1)[0]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = None
        if number > 1:
            start = unpack(self.slice_of(number)[2], (number - 1) % SLICE_PAGES)
        # Pinned articles are read with the list and left out here: the SQL stays the
        # same whichever articles are pinned.
        pinned = set(self.pinned_ids)
        rows = read_page(self.list, start, self.per_page + len(pinned))
        rows = [row for row in rows if row[0] not in pinned][: self.per_page]
        page = self._get_page(listed(rows, self.channels), number, self)
        page.pinned = self.pinned_rows() if number == 1 else []
        return page

    def pinned_rows(self) -> list[ListedArticle]:
        """The pinned articles, in the desk's order (one query, none when there are none);
        still asked through the list's own QuerySet, so only public ones ever show."""
        if not self.pinned_ids:
            return []
        by_id = {row[0]: row for row in read_pinned(self.list, self.pinned_ids)}
        return listed((by_id[pk] for pk in self.pinned_ids if pk in by_id), self.channels)


def read_page(
    article_list: ArticleList, start: tuple[datetime, int] | None, limit: int
) -> list[tuple]:
    """The item columns of up to ``limit`` articles of the list, from the start of the
    list or from a page start on, in one query."""
    keys = article_list.articles().values("pk")
    if start is not None:
        at, pk = start
        # The first condition is a range on the list's index, so the read starts at the
        # page; the second only settles articles published at the same moment.
        keys = keys.filter(first_published_at__lte=at)
        keys = keys.filter(Q(first_published_at__lt=at) | Q(pk__lte=pk))
    # The page's ids are found on the list's own index, then its rows by primary key.
    rows = Article.objects.filter(pk__in=keys[:limit]).newest_first()
    return list(rows.values_list(*ITEM_COLUMNS))


def read_pinned(article_list: ArticleList, ids: tuple[int, ...]) -> list[tuple]:
    """The item columns of those of ``ids`` the list holds, in no order."""
    pinned = article_list.build(article_list.values).filter(pk__in=ids)
    return list(pinned.values_list(*ITEM_COLUMNS))


def listed(rows: Iterable[tuple], channels: Mapping[int, Channel]) -> list[ListedArticle]:
    """Light list items from item columns, each with its channel from ``channels`` (the
    channel tree's; a channel the tree does not know yet is read from the database)."""
    items = [
        ListedArticle(pk, title, summary, at, channel, cover and ListedCover(cover, alt, copies))
        for pk, title, summary, at, channel, cover, alt, copies in rows
    ]
    missing = {item.channel_id for item in items} - channels.keys()
    if missing:
        channels = {**channels, **Channel.objects.in_bulk(missing)}
    for item in items:
        item.channel = channels[item.channel_id]
    return items


def page_of(request: HttpRequest, article_list: ArticleList, per_page: int) -> Page:
    """The requested page of a list, page 1 headed by its pinned articles
    (``page.pinned``); a page number that is not one is a 404."""
    raw = request.GET.get(PAGE_NUMBER, "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise Http404
    try:
        channels = navigation.tree(request).by_id
        return KeysetPaginator(article_list, per_page, channels).page(int(raw))
    except (EmptyPage, InvalidPage) as error:
        raise Http404 from error
