"""Paging through long lists of articles at a cost that does not grow with the page number.

A list names the freshness topic that changes whenever its contents do (``section:3``,
``tag:5``...). Its length and the first key (publish time, id) of every page are then
kept per version of that topic in the shared cache, in slices of SLICE_PAGES pages of
fixed-width integers; a request reads the first slice (which holds the length) and the
one holding its page, and decodes one entry. A slice nobody has asked for is never read:
after a change, page 1 costs a count and one short index range, whatever the length.
Any page, the 2,000th as the first, is then one query: a short index range read by key
("keyset") for the ids, and the rows those ids name. Lists without a topic count and
skip rows in the database.
"""

import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from articles import freshness

PAGE_NUMBER = "page"
# Pages per cached slice: a request never reads more than two slices, whatever the length.
SLICE_PAGES = 256
# One page start: publish time (microseconds since 1970, UTC) and id, 16 bytes.
START = struct.Struct("<qq")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEWEST_FIRST = [F("first_published_at").desc(), F("id").desc()]

# (length of the list, pinned ids, packed starts of up to SLICE_PAGES pages)
type Slice = tuple[int, tuple[int, ...], bytes]


def pack(starts: list[tuple[datetime, int]]) -> bytes:
    """Page starts as fixed-width integers: cheap to store, read one at a time."""
    micro = timedelta(microseconds=1)
    return b"".join(START.pack((at - EPOCH) // micro, pk) for at, pk in starts)


def unpack(packed: bytes, index: int) -> tuple[datetime, int]:
    """The ``index``-th page start of a packed slice."""
    micros, pk = START.unpack_from(packed, index * START.size)
    return EPOCH + timedelta(microseconds=micros), pk


class KeysetPaginator(Paginator):
    """A Paginator over a newest-first article QuerySet that finds deep pages by key.

    ``pinned`` gives the articles (in their own order) that head page 1 and are left out
    of the list; it is called only when the list is read from the database.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        topic: str = "",
        pinned: Callable[[], QuerySet] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.topic = topic
        self.pinned = pinned
        self._slices: dict[int, Slice] = {}

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
        return () if self.pinned is None else tuple(self.pinned().values_list("pk", flat=True))

    def without(self, pinned: tuple[int, ...]) -> QuerySet:
        return self.object_list.exclude(pk__in=pinned) if pinned else self.object_list

    @cached_property
    def pinned_ids(self) -> tuple[int, ...]:
        return self.slice_of(1)[1] if self.topic else self.find_pinned()

    @cached_property
    def count(self) -> int:
        if not self.topic:
            return self.without(self.pinned_ids).count()
        return self.slice_of(1)[0]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        keys = self.without(self.pinned_ids).values("pk")
        if self.topic and number > 1:
            at, pk = unpack(self.slice_of(number)[2], (number - 1) % SLICE_PAGES)
            # The first condition is a range on the list's index, so the read starts at
            # the page; the second only settles articles published at the same moment.
            keys = keys.filter(first_published_at__lte=at)
            keys = keys.filter(Q(first_published_at__lt=at) | Q(pk__lte=pk))[: self.per_page]
        else:
            start = (number - 1) * self.per_page
            keys = keys[start : start + self.per_page]
        # The page's ids are found on the list's own index, then its rows by primary key.
        page = self._get_page(list(self.rows(keys).newest_first()), number, self)
        page.pinned = self.pinned_rows() if number == 1 else []
        return page

    def rows(self, ids: QuerySet) -> QuerySet:
        return self.object_list.model.objects.filter(pk__in=ids).for_list_items()

    def pinned_rows(self) -> list:
        """The pinned articles, in the desk's order (one query, none when there are none);
        still asked through the list's own QuerySet, so only public ones ever show."""
        if not self.pinned_ids:
            return []
        found = self.object_list.filter(pk__in=self.pinned_ids).for_list_items().in_bulk()
        return [found[pk] for pk in self.pinned_ids if pk in found]


def page_of(
    request: HttpRequest,
    articles: QuerySet,
    per_page: int,
    topic: str = "",
    pinned: Callable[[], QuerySet] | None = None,
) -> Page:
    """The requested page of ``articles``, page 1 headed by ``pinned`` (``page.pinned``);
    a page number that is not one is a 404."""
    raw = request.GET.get(PAGE_NUMBER, "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise Http404
    try:
        return KeysetPaginator(articles, per_page, topic, pinned).page(int(raw))
    except (EmptyPage, InvalidPage) as error:
        raise Http404 from error
