"""The search page's form fields and results, each drawn in one step.

The page is drawn for every search: Django's widget templates (one per field and one per
channel option) and a template per result cost more than the search itself, so the same
markup is written here with format_html.
"""

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.search import Hit

register = template.Library()

HIT = (
    '<li class="search-hit">\n'
    '          <a class="search-hit__title" href="{url}">{title}</a>\n'
    '          <p class="search-hit__snippet">{snippet}</p>\n'
    '          <p class="article-list__meta"><a href="{channel_url}">{channel}</a> · '
    '<time datetime="{machine_time}">{time}</time></p>\n'
    "        </li>"
)


def _attrs(attrs: dict) -> SafeString:
    """Attributes as Django's attrs.html writes them: True bare, False left out."""
    shown = [(name, value) for name, value in attrs.items() if value is not False]
    return format_html_join(
        "", "{}", ((format_html(" {}", n) if v is True else format_html(' {}="{}"', n, v),)
                   for n, v in shown)
    )  # fmt: skip


def _option(option: dict) -> SafeString:
    return format_html(
        '\n  <option value="{}"{}>{}</option>\n',
        option["value"], _attrs(option["attrs"]), option["label"],
    )  # fmt: skip


@register.simple_tag
def search_field(field: BoundField) -> SafeString:
    """A text, date or select field, as its widget's own template draws it."""
    attrs = field.build_widget_attrs({})
    if field.auto_id and "id" not in field.field.widget.attrs:
        attrs.setdefault("id", field.auto_id)
    widget = field.field.widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if "optgroups" not in widget:
        value = widget["value"]
        shown = "" if value is None else format_html(' value="{}"', value)
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown,
            _attrs(widget["attrs"]),
        )  # fmt: skip
    options = []
    for group, choices, _index in widget["optgroups"]:
        inner = format_html_join("", "{}", ((_option(option),) for option in choices))
        options.append(
            format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group, inner)
            if group else inner
        )  # fmt: skip
    return format_html(
        '<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]),
        format_html_join("", "{}", ((piece,) for piece in options)),
    )  # fmt: skip


@register.simple_tag
def search_hit(hit: Hit) -> SafeString:
    """One result: marked title, snippet, channel and time."""
    article = hit.article
    moment = timezone.localtime(article.first_published_at)
    return format_html(
        HIT,
        url=article.get_absolute_url(),
        title=hit.title,
        snippet=hit.snippet,
        channel_url=article.channel.get_absolute_url(),
        channel=article.channel.name,
        machine_time=date_format(moment, "c"),
        time=date_format(moment, "Y-m-d H:i"),
    )
