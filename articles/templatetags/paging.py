"""Page numbers around the current page, for long lists."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_window(page: Page) -> list:
    """Page numbers near ``page`` and at both ends, with the paginator's ellipsis between."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
