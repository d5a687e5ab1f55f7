"""Newsroom's content model: channels, people, images and articles."""

from articles.models.article import Article, ArticleAuthor, RelatedLink, RelatedPick, TaggedArticle
from articles.models.channel import Channel
from articles.models.image import GalleryPhoto, Image
from articles.models.people import Author, Editor

__all__ = [
    "Article",
    "ArticleAuthor",
    "Author",
    "Channel",
    "Editor",
    "GalleryPhoto",
    "Image",
    "RelatedLink",
    "RelatedPick",
    "TaggedArticle",
]
