"""Public views, one module per kind of page."""

from articles.views.article import article_detail
from articles.views.pages import author, channel, home, tag, topic
from articles.views.search import search

__all__ = ["article_detail", "author", "channel", "home", "search", "tag", "topic"]
