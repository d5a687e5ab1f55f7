"""The search page's form fields and its list of results, each drawn in one step.

The page is drawn for every search: Django's widget templates (one per field and one per
channel option) and a template or a tag per result cost more than the search itself, so
the same markup is written here with format_html.
"""

import functools

from django import template
from django.forms import BoundField
from django.forms.widgets import Input, Select
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from search.searchpage import Hit
from website.templatetags.dates import machine_time

register = template.Library()

_SELECTED = format_html(" {}", "selected")

HIT = (
    '<li class="search-hit">\n'
    '          <a class="search-hit__title" href="{url}">{title}</a>\n'
    '          <p class="search-hit__snippet">{snippet}</p>\n'
    '          <p class="article-list__meta">{channel_link} · '
    '<time datetime="{machine_time}">{time}</time></p>\n'
    "        </li>"
)
CHANNEL = '<a href="{}">{}</a>'


def _attrs(attrs: dict) -> SafeString:
    """Attributes as Django's attrs.html writes them: True bare, False left out."""
    shown = [(name, value) for name, value in attrs.items() if value is not False]
    # One format string for them all: ' {}' for a bare attribute, ' {}="{}"' for the rest.
    layout = "".join(" {}" if value is True else ' {}="{}"' for _name, value in shown)
    values = [
        part for name, value in shown for part in ((name,) if value is True else (name, value))
    ]
    return format_html(layout, *values) if shown else format_html("{}", "")


@register.simple_tag
def search_field(field: BoundField) -> SafeString:
    """A text, date or plain select field, as its widget's own templates draw it (any
    other field is left to them)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if _is_flat_select(widget):
        return _select(field, attrs)
    if not isinstance(widget, Input):
        return str(field)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>', context["type"], context["name"],
        "" if value is None else format_html(' value="{}"', value), _attrs(context["attrs"]),
    )  # fmt: skip


def _is_flat_select(widget) -> bool:
    """A select of one value among plain choices (no groups)."""
    return (
        isinstance(widget, Select)
        and not widget.allow_multiple_selected
        and not any(isinstance(label, list | tuple) for _value, label in widget.choices)
    )


def _select(field: BoundField, attrs: dict) -> SafeString:
    """A plain select as Select.optgroups() and its templates draw it: the first option
    whose value the field holds is selected."""
    widget = field.field.widget
    choices = tuple(
        ("" if value is None else str(value), str(label)) for value, label in widget.choices
    )
    held = set(widget.format_value(field.value()))
    chosen = next((value for value, _label in choices if value in held), None)
    return format_html(
        '<select name="{}"{}>{}\n</select>', field.html_name,
        _attrs(widget.build_attrs(widget.attrs, attrs)), _options(choices, chosen),
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def _options(choices: tuple[tuple[str, str], ...], chosen: str | None) -> SafeString:
    """The options of a select, the chosen one selected. Every page draws the same channel
    list, so it is drawn once per process for each choice (the key holds no reader's
    text: ``chosen`` is one of the choices or None)."""
    return format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>\n',
        ((value, _SELECTED if value == chosen else "", label) for value, label in choices),
    )


@register.simple_tag
def search_hits(hits: list[Hit]) -> SafeString:
    """The results, each with its marked title, snippet, channel and time."""
    links: dict[int, SafeString] = {}  # a page's results share a few channels
    for hit in hits:
        channel = hit.article.channel
        if channel.pk not in links:
            links[channel.pk] = format_html(CHANNEL, channel.get_absolute_url(), channel.name)
    return format_html_join(
        "\n        ", "{}", ((_hit(hit, links[hit.article.channel.pk]),) for hit in hits)
    )


def _hit(hit: Hit, channel_link: SafeString) -> SafeString:
    article = hit.article
    moment = timezone.localtime(article.first_published_at)
    return format_html(
        HIT,
        url=article.get_absolute_url(),
        title=hit.title,
        snippet=hit.snippet,
        channel_link=channel_link,
        machine_time=machine_time(moment),
        time=f"{moment.year:04d}-{moment:%m-%d %H:%M}",  # "Y-m-d H:i"
    )
