"""Paging through long lists of articles at a cost that does not grow with the page number.

A list names the freshness topic that changes whenever its contents do (``section:3``,
``tag:5``...). Its length and the first key (publish time, id) of every page are then
worked out once per version of that topic, in one pass over the index, and kept in the
shared cache; any page, the 2,000th as the first, is then one index range read by key
("keyset") plus one query for the rows it shows. Lists without a topic count and skip
rows in the database.
"""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Mod, RowNumber
from django.http import Http404, HttpRequest

from articles import freshness

PAGE_NUMBER = "page"
MAP_SECONDS = 600


class IdsFirstPaginator(Paginator):
    """A Paginator over a newest-first article QuerySet that loads rows by id."""

    def __init__(self, object_list: QuerySet, per_page: int, topic: str = "") -> None:
        super().__init__(object_list, per_page)
        self.topic = topic
        self._map: tuple[int, list[tuple[datetime, int]]] | None = None

    def page_map(self) -> tuple[int, list[tuple[datetime, int]]]:
        """(count, first key of each page), from the cache while the topic is unchanged.

        A topic names one list: its views must always page the same QuerySet under it.
        """
        if self._map is None:
            version = freshness.versions({self.topic})[self.topic]
            key = f"pages:{self.topic}:{version}:{self.per_page}"
            self._map = cache.get(key)
            if self._map is None:
                self._map = self.scan()
                most = settings.NEWSROOM_PAGE_CACHE_SECONDS or MAP_SECONDS
                cache.set(key, self._map, freshness.seconds_until_next_change(most))
        return self._map

    def scan(self) -> tuple[int, list[tuple[datetime, int]]]:
        """Count the list, and read where every page starts in one pass over its index."""
        ranked = self.object_list.annotate(
            row=Window(RowNumber(), order_by=[F("first_published_at").desc(), F("id").desc()])
        ).annotate(place=Mod(F("row") - 1, self.per_page))
        starts = ranked.filter(place=0).values_list("first_published_at", "pk").order_by("row")
        return self.object_list.count(), list(starts)

    @property
    def count(self) -> int:
        if not self.topic:
            return super().count
        return self.page_map()[0]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if self.topic and number > 1:
            at, pk = self.page_map()[1][number - 1]
            from_start = Q(first_published_at__lt=at) | Q(first_published_at=at, pk__lte=pk)
            ids = self.object_list.filter(from_start).values_list("pk", flat=True)
            ids = list(ids[: self.per_page])
        else:
            start = (number - 1) * self.per_page
            ids = list(
                self.object_list.values_list("pk", flat=True)[start : start + self.per_page]
            )
        rows = self.object_list.model.objects.filter(pk__in=ids).for_listing().in_bulk()
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def page_of(request: HttpRequest, articles: QuerySet, per_page: int, topic: str = "") -> Page:
    """The requested page of ``articles``; a page number that is not one is a 404."""
    raw = request.GET.get(PAGE_NUMBER, "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise Http404
    try:
        return IdsFirstPaginator(articles, per_page, topic).page(int(raw))
    except (EmptyPage, InvalidPage) as error:
        raise Http404 from error
