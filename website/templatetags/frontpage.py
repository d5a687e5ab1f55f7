"""The home page's short lists: dozens of one-line items, each list drawn in one step.

The home page prints about sixty headline lines, a dozen photo-strip items and the
special topics; a template loop spent more on looking up each item's values than on the
page's queries, so the items' markup lives here, escaped by format_html like any
template variable.
"""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from articles.models import Channel, Topic
from photos.templatetags.photos import cover
from website.frontpage import Line

register = template.Library()

LINE = '<li><a href="{}">{}</a> <time datetime="{}">{}</time></li>'
STRIP_ITEM = '\n    <li><a href="{}">{}<span>{}</span></a></li>\n  '
BOX = (
    '\n      <section class="section-box" aria-labelledby="section-{slug}">'
    '\n        <h2 id="section-{slug}" class="section-title"><a href="{url}">{name}</a></h2>'
    '\n        <ul class="headline-list">'
    "\n          {lines}"
    "\n        </ul>"
    "\n      </section>"
    "\n    "
)
TOPIC = '<li><a href="{}">{}<span>{}</span></a></li>'


@register.simple_tag
def headline_lines(lines: Iterable[Line], day_only: bool = False) -> SafeString:
    """Each line's linked title and its time: month, day and hour, or the day alone."""
    return format_html_join(
        "",
        LINE,
        ((line.url, line.title, line.published, line.day if day_only else line.day_time)
         for line in lines),
    )  # fmt: skip


@register.simple_tag
def section_boxes(sections: Iterable[tuple[Channel, list[Line]]]) -> SafeString:
    """A box for each channel: its name, linked, over its newest lines (the day alone)."""
    return format_html_join(
        "",
        BOX,
        (
            {
                "slug": channel.slug,
                "url": channel.get_absolute_url(),
                "name": channel.name,
                "lines": headline_lines(lines, day_only=True),
            }
            for channel, lines in sections
        ),
    )


@register.simple_tag
def strip_items(lines: Iterable[Line]) -> SafeString:
    """Each line's cover photo and title, linked."""
    return format_html_join(
        "", STRIP_ITEM, ((line.url, cover(line.cover_image), line.title) for line in lines)
    )


@register.simple_tag
def topic_items(topics: Iterable[Topic]) -> SafeString:
    """Each special topic's lead photo and title, linked."""
    return format_html_join(
        "", TOPIC, ((t.get_absolute_url(), cover(t.lead_image), t.title) for t in topics)
    )
