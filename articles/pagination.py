"""Paging through long lists of articles at a cost that does not grow with the page number.

A page first takes the ids it shows from the ordered index (narrow, index-only where the
database can), then loads just those rows with what a list item needs.
"""

from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

PAGE_NUMBER = "page"


class IdsFirstPaginator(Paginator):
    """A Paginator over an ordered article QuerySet that loads rows by id."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[start : start + self.per_page])
        rows = self.object_list.model.objects.filter(pk__in=ids).for_listing().in_bulk()
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def page_of(request: HttpRequest, articles: QuerySet, per_page: int) -> Page:
    """The requested page of ``articles``; a page number that is not one is a 404."""
    raw = request.GET.get(PAGE_NUMBER, "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise Http404
    try:
        return IdsFirstPaginator(articles, per_page).page(int(raw))
    except (EmptyPage, InvalidPage) as error:
        raise Http404 from error
