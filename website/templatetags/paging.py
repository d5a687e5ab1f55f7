"""Page numbers around the current page, for long lists."""

from functools import lru_cache

from django import template
from django.core.paginator import Page, Paginator
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.filter
def page_window(page: Page) -> list:
    """Page numbers near ``page`` and at both ends, with the paginator's ellipsis between."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag
def pagination(page: Page) -> SafeString:
    """includes/pagination.html for ``page``: it shows only the page's number, the list's
    length and the language, so each process draws it once for each of those."""
    paginator = page.paginator
    return _drawn(page.number, paginator.count, paginator.per_page, get_language())


@lru_cache(maxsize=512)
def _drawn(number: int, count: int, per_page: int, language: str) -> SafeString:
    page = Paginator(range(count), per_page).page(number)
    return SafeString(get_template("includes/pagination.html").render({"page": page}))
