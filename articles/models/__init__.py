"""Newsroom's content model: channels, people, images, articles, their history, search."""

from articles.models.article import Article
from articles.models.channel import Channel
from articles.models.history import Correction, Revision, Transition
from articles.models.image import Image
from articles.models.people import Author, Editor
from articles.models.relations import ArticleAuthor, RelatedLink, RelatedPick, TaggedArticle
from articles.models.search import SearchEntry

__all__ = [
    "Article",
    "ArticleAuthor",
    "Author",
    "Channel",
    "Correction",
    "Editor",
    "Image",
    "RelatedLink",
    "RelatedPick",
    "Revision",
    "SearchEntry",
    "TaggedArticle",
    "Transition",
]
