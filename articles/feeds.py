"""RSS 2.0 and Atom feeds for the whole site and for each channel."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from articles.models import Article, Channel
from articles.pagecache import depends_on
from articles.text import without_invisible_characters

FEED_SIZE = 30


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

    def articles(self):
        return Article.objects.published().select_related("channel").with_credits().newest_first()

    def __call__(self, request, *args, **kwargs):
        depends_on(request, "feeds")
        return super().__call__(request, *args, **kwargs)

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.summary

    def item_pubdate(self, article: Article):
        return article.first_published_at

    def item_updateddate(self, article: Article):
        return article.revised_at or article.first_published_at

    def item_author_name(self, article: Article) -> str:
        return " ".join(article.author_names()) or settings.NEWSROOM_STATION_NAME

    def item_categories(self, article: Article) -> list[str]:
        return [article.channel.name, *(tag.name for tag in article.tag_list)]

    def item_guid_is_permalink(self, article: Article) -> bool:
        return True


class SiteAtomFeed(SiteFeed):
    feed_type = ChineseAtomFeed
    subtitle = SiteFeed.description


class ChannelFeed(SiteFeed):
    """The newest published articles of one channel and its sub-channels."""

    def get_object(self, request: HttpRequest, slug: str) -> Channel:
        return get_object_or_404(Channel, slug=slug)

    def title(self, channel: Channel) -> str:
        return f"{channel.name} - {settings.NEWSROOM_STATION_NAME}"

    def link(self, channel: Channel) -> str:
        return channel.get_absolute_url()

    def description(self, channel: Channel) -> str:
        return channel.description or self.title(channel)

    def items(self, channel: Channel):
        return self.articles().in_channel(channel)[:FEED_SIZE]


class ChannelAtomFeed(ChannelFeed):
    feed_type = ChineseAtomFeed
    subtitle = ChannelFeed.description
