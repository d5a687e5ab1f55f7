"""Article lists: each item (cover, title, channel, time, summary) drawn in one step.

A list page shows twenty items or more; an include per item cost about a quarter of
the page, and a template tag per item, format_html per value and reverse() per link most
of the rest. So a whole list is drawn by one tag: what every item shares (the 置顶 badge,
the shape of the article address, each channel's address) is worked out once per list,
and each item's values are escaped and filled in one step (articles/markup.py).
"""

from collections.abc import Iterable
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from articles.links import url_former
from articles.markup import fill
from articles.models import Article
from articles.models.article import permanent_url_values
from photos.templatetags.photos import cover
from website.pagination import ListedArticle
from website.templatetags.dates import machine_time

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
SUMMARY = '<p class="article-list__summary">{summary}</p>'
NO_SUMMARY = SafeString("")
# What surrounds each item inside <ul class="article-list"> (article_list.html's loop).
BEFORE_ITEM, AFTER_ITEM = "\n    ", "\n  "


class ItemDrawer:
    """Draws the items of one list: what they share is worked out once."""

    def __init__(self, pinned: bool = False) -> None:
        self.badge = (
            format_html('<span class="badge">{}</span> ', gettext("置顶")) if pinned else ""
        )
        # Article.get_absolute_url's address, its shape found once for the whole list.
        self.article_url = url_former("articles:article", "year", "month", "day", "pk")
        self.channel_urls: dict[int, str] = {}
        # timezone.localtime's zone, looked up once rather than per item.
        self.zone = timezone.get_current_timezone()

    def draw(self, article: Article | ListedArticle, eager: bool = False) -> SafeString:
        """An article in the list, 置顶 when the list is pinned; its cover loads at once
        when ``eager``."""
        moment = article.first_published_at.astimezone(self.zone)
        channel = article.channel
        if (channel_url := self.channel_urls.get(channel.pk)) is None:
            channel_url = self.channel_urls[channel.pk] = channel.get_absolute_url()
        return fill(
            ITEM,
            cover=cover(article.cover_image, eager=eager),
            url=self.url_of(article.pk, moment),
            badge=self.badge,
            title=article.title,
            channel_url=channel_url,
            channel=channel.name,
            machine_time=machine_time(moment),
            time=f"{moment:%Y-%m-%d %H:%M}",
            summary=fill(SUMMARY, summary=article.summary) if article.summary else NO_SUMMARY,
        )

    def url_of(self, pk: int, moment: datetime) -> str:
        """Article.get_absolute_url, from the local time the item shows anyway."""
        return self.article_url(**permanent_url_values(pk, moment))


@register.simple_tag
def article_item(article: Article, pinned: bool = False, eager: bool = False) -> SafeString:
    """An article in a list, 置顶 when pinned; its cover loads at once when ``eager``."""
    return ItemDrawer(pinned).draw(article, eager=eager)


@register.simple_tag
def article_items(articles: Iterable[Article | ListedArticle], pinned: bool = False) -> SafeString:
    """Every article of a list as article_list.html's loop lays them out, the first
    cover loading at once; nothing for an empty list."""
    drawer = ItemDrawer(pinned)
    return SafeString(
        "".join(
            f"{BEFORE_ITEM}{drawer.draw(article, eager=index == 0)}{AFTER_ITEM}"
            for index, article in enumerate(articles)
        )
    )
