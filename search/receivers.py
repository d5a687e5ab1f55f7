"""Search and 相关链接 follow what publishing announces (articles/signals.py).

Connected in ``SearchConfig.ready``; the desk does not call the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from articles import signals
from search import related, search, vocabulary

if TYPE_CHECKING:
    from articles.models import Article


def index(sender: type, *, article: Article, **kwargs: Any) -> None:
    """A published or revised article is found by its current words, and its title's new
    words are known to pinyin, corrections and suggestions."""
    search.index_article(article)
    vocabulary.learn([article.title])


def unindex(sender: type, *, article: Article, **kwargs: Any) -> None:
    """An article the public no longer sees is not found."""
    search.unindex_article(article)


def suggest_related(sender: type, *, article: Article, **kwargs: Any) -> None:
    """相关链接 are worked out afresh whenever the article's content goes live."""
    related.refresh(article)


def connect() -> None:
    from articles.models import Article

    for signal, receivers in (
        (signals.article_published, [index, suggest_related]),
        (signals.article_revised, [index, suggest_related]),
        (signals.article_unscheduled, [unindex]),
        (signals.article_withdrawn, [unindex]),
    ):
        for receiver in receivers:
            signal.connect(receiver, sender=Article, dispatch_uid=f"search.{receiver.__name__}")
