"""Public views, one module per kind of page."""

from website.views.article import article_detail
from website.views.pages import author, channel, home, tag, topic
from website.views.search import search, search_suggest

__all__ = [
    "article_detail",
    "author",
    "channel",
    "home",
    "search",
    "search_suggest",
    "tag",
    "topic",
]
