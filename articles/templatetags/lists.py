"""Article lists: one item (cover, title, channel, time, summary) drawn in one step.

A list page shows twenty items or more; an include per item cost about a quarter of
the page, so the item's markup lives here, in one format_html call.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from articles.models import Article
from articles.templatetags.photos import cover

register = template.Library()

ITEM = (
    '<li class="article-list__item">\n'
    "  {cover}\n"
    "  <div>\n"
    '    <a class="article-list__title" href="{url}">{badge}{title}</a>\n'
    '    <p class="article-list__meta"><a href="{channel_url}">{channel}</a> · '
    '<time datetime="{machine_time}">{time}</time></p>\n'
    "    {summary}\n"
    "  </div>\n"
    "</li>\n"
)


@register.simple_tag
def article_item(article: Article, pinned: bool = False, eager: bool = False) -> SafeString:
    """An article in a list, 置顶 when pinned; its cover loads at once when ``eager``."""
    moment = timezone.localtime(article.first_published_at)
    return format_html(
        ITEM,
        cover=cover(article.cover_image, eager=eager),
        url=article.get_absolute_url(),
        badge=format_html('<span class="badge">{}</span> ', gettext("置顶")) if pinned else "",
        title=article.title,
        channel_url=article.channel.get_absolute_url(),
        channel=article.channel.name,
        machine_time=moment.isoformat(timespec="seconds"),
        time=f"{moment:%Y-%m-%d %H:%M}",
        summary=format_html('<p class="article-list__summary">{}</p>', article.summary)
        if article.summary
        else "",
    )
