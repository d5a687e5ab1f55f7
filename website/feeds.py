"""RSS 2.0 and Atom feeds for the whole site and for each channel.

Feeds are polled all day, so an item costs as little as it can: which articles a feed holds
(their ids, newest first) and what each item shows that is fixed while the article is
unchanged (its link, authors and categories) are kept in the shared cache under the
versions of the ``feeds`` and ``site`` topics (delivery/freshness.py), never past the next
scheduled change. Publishing, editing, withdrawing or unscheduling an article raises
``feeds``; renaming a channel, a tag or a person raises ``site``. Each request then reads
the rows (title, summary, dates) in one query through ``Article.objects.published()`` and
writes the XML in one piece.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _

from articles.models import Article, Channel
from articles.querysets import ArticleQuerySet
from articles.text import without_invisible_characters
from delivery import freshness
from delivery.pagecache import depends_on
from website import navigation
from website.templatetags.dates import to_the_second

FEED_SIZE = 30
# What an item shows from its row on every request.
ROW_FIELDS = ("title", "summary", "first_published_at", "revised_at")


def _xml_safe(value):
    """Strings (and lists of them) without the control characters XML 1.0 forbids."""
    if isinstance(value, str):
        return without_invisible_characters(value)
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value


class XmlSafeFeed:
    """A feed that drops control characters from every text instead of failing on them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{key: _xml_safe(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*args, **{key: _xml_safe(value) for key, value in kwargs.items()})


class ChineseAtomFeed(XmlSafeFeed, Atom1Feed):
    """Atom, safe for any stored text."""


class ChineseRssFeed(XmlSafeFeed, Rss201rev2Feed):
    """RSS 2.0 that states the content language the way feed readers expect."""

    def add_root_elements(self, handler) -> None:
        self.feed["language"] = "zh-cn"
        super().add_root_elements(handler)


@dataclass(frozen=True)
class Entry:
    """What an item shows that stays fixed while its article is unchanged."""

    pk: int
    path: str
    author: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One feed item, ready to write."""

    title: str
    description: str
    path: str
    pubdate: datetime
    updateddate: datetime
    author: str
    categories: list[str]


def entry_for(article: Article) -> Entry:
    """The fixed part of an article's item; its channel, tags and credits loaded."""
    return Entry(
        pk=article.pk,
        path=article.get_absolute_url(),
        author=" ".join(article.author_names()) or settings.NEWSROOM_STATION_NAME,
        categories=(article.channel.name, *(tag.name for tag in article.tag_list)),
    )


def entries(articles: ArticleQuerySet, scope: str) -> tuple[list[Entry], dict[int, Article]]:
    """The newest FEED_SIZE of ``articles`` (public ones), kept while nothing they show
    changes (``scope`` names the selection in the key); and their rows when just read."""
    key = freshness.key_for(f"feed:{FEED_SIZE}:{scope}", "feeds")
    found = cache.get(key)
    if found is not None:
        return found, {}
    newest = articles.select_related("channel").only(*ROW_FIELDS, "channel__name")
    rows = list(newest.with_credits().newest_first()[:FEED_SIZE])
    found = [entry_for(article) for article in rows]
    cache.set(key, found, freshness.keep_seconds())
    return found, {row.pk: row for row in rows}


def items(kept: list[Entry], rows: dict[int, Article]) -> list[Item]:
    """The items of the kept entries, from their rows: read now through published() unless
    they were read with the entries."""
    if not rows and kept:
        wanted = Article.objects.published().filter(pk__in=[entry.pk for entry in kept])
        rows = wanted.only(*ROW_FIELDS).in_bulk()
    return [
        Item(
            title=row.title,
            # Readers take a description as HTML: the summary is plain text, escaped so
            # that "<b>" in it reads as the characters typed, never as markup.
            description=escape(row.summary),
            path=entry.path,
            pubdate=to_the_second(row.first_published_at),
            updateddate=to_the_second(row.revised_at or row.first_published_at),
            author=entry.author,
            categories=list(entry.categories),
        )
        for entry in kept
        if (row := rows.get(entry.pk)) is not None
    ]


class SiteFeed(Feed):
    """The newest published articles of the whole station."""

    feed_type = ChineseRssFeed
    language = "zh-cn"

    def title(self) -> str:
        return settings.NEWSROOM_STATION_NAME

    def link(self) -> str:
        return "/"

    def description(self) -> str:
        return _("%(station)s最新稿件") % {"station": settings.NEWSROOM_STATION_NAME}

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The feed, written into a buffer and set as the response in one piece (the
        framework writes every bit of XML into the response on its own)."""
        depends_on(request, "feeds")
        feed = self.get_feed(self.get_object(request, *args, **kwargs), request)
        response = HttpResponse(content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        buffer = io.StringIO()
        feed.write(buffer, "utf-8")
        # As the framework's writer does: a character UTF-8 cannot hold becomes a reference.
        response.content = buffer.getvalue().encode("utf-8", "xmlcharrefreplace")
        return response

    def items(self) -> tuple[list[Entry], dict[int, Article]]:
        return entries(Article.objects.published(), "site")

    def get_feed(self, obj: Channel | None, request: HttpRequest) -> SyndicationFeed:
        """The feed with its items added as they are prepared, none looked up one by one."""
        domain, secure = get_current_site(request).domain, request.is_secure()
        feed = self.feed_type(
            title=self._get_dynamic_attr("title", obj),
            subtitle=self._get_dynamic_attr("subtitle", obj),
            link=add_domain(domain, self._get_dynamic_attr("link", obj), secure),
            description=self._get_dynamic_attr("description", obj),
            language=self.language,
            feed_url=add_domain(domain, request.path, secure),
        )
        for item in items(*self._get_dynamic_attr("items", obj)):
            link = add_domain(domain, item.path, secure)
            feed.add_item(
                title=item.title,
                link=link,
                description=item.description,
                unique_id=link,
                unique_id_is_permalink=True,
                enclosures=[],
                pubdate=item.pubdate,
                updateddate=item.updateddate,
                author_name=item.author,
                categories=item.categories,
            )
        return feed


class SiteAtomFeed(SiteFeed):
    feed_type = ChineseAtomFeed
    subtitle = SiteFeed.description


class ChannelFeed(SiteFeed):
    """The newest published articles of one channel and its sub-channels."""

    def get_object(self, request: HttpRequest, slug: str) -> Channel:
        return navigation.tree(request).get(slug)

    def title(self, channel: Channel) -> str:
        return f"{channel.name} - {settings.NEWSROOM_STATION_NAME}"

    def link(self, channel: Channel) -> str:
        return channel.get_absolute_url()

    def description(self, channel: Channel) -> str:
        return channel.description or self.title(channel)

    def items(self, channel: Channel) -> tuple[list[Entry], dict[int, Article]]:
        return entries(Article.objects.published().in_channel(channel), f"channel:{channel.pk}")


class ChannelAtomFeed(ChannelFeed):
    feed_type = ChineseAtomFeed
    subtitle = ChannelFeed.description
