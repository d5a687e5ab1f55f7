"""Public views, one module per kind of page."""

from articles.views.pages import absolute_url, article_detail, channel, home
from articles.views.search import search

__all__ = ["absolute_url", "article_detail", "channel", "home", "search"]
