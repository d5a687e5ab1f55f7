"""Newsroom's content model: channels, people, images, articles, their history, search."""

from articles.models.article import Article
from articles.models.autosave import Autosave
from articles.models.channel import Channel
from articles.models.history import Correction, Revision, Transition
from articles.models.image import GalleryPhoto, Image
from articles.models.notification import Notification
from articles.models.people import Author, Editor
from articles.models.placement import Placement
from articles.models.preview import PreviewLink
from articles.models.relations import (
    ArticleAuthor,
    RelatedLink,
    RelatedPick,
    Suggestion,
    TaggedArticle,
)
from articles.models.remote import RemoteImage
from articles.models.search import SearchEntry
from articles.models.topic import Topic, TopicEntry, TopicSection

__all__ = [
    "Article",
    "ArticleAuthor",
    "Author",
    "Autosave",
    "Channel",
    "Correction",
    "Editor",
    "GalleryPhoto",
    "Image",
    "Notification",
    "Placement",
    "PreviewLink",
    "RelatedLink",
    "RelatedPick",
    "RemoteImage",
    "Revision",
    "SearchEntry",
    "Suggestion",
    "TaggedArticle",
    "Topic",
    "TopicEntry",
    "TopicSection",
    "Transition",
]
