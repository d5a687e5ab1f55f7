"""Search, related links and cached pages follow what publishing announces (articles/signals.py).

Connected in ``ArticlesConfig.ready``. Each group is kept apart so that it can move with the
concern it serves (search, delivery) without the desk knowing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from articles import freshness, related, search, signals

if TYPE_CHECKING:
    from articles.models import Article


# --- Search ---------------------------------------------------------------------------------


def index(sender: type, *, article: Article, **kwargs: Any) -> None:
    """A published or revised article is found by its current words."""
    search.index_article(article)


def unindex(sender: type, *, article: Article, **kwargs: Any) -> None:
    """An article the public no longer sees is not found."""
    search.unindex_article(article)


# --- Related links --------------------------------------------------------------------------


def suggest_related(sender: type, *, article: Article, **kwargs: Any) -> None:
    """相关链接 are worked out afresh whenever the article's content goes live."""
    related.refresh(article)


# --- Cached pages and edge caches -----------------------------------------------------------


def refresh_pages(sender: type, *, article: Article, **kwargs: Any) -> None:
    """Every page and fragment that shows the article is made stale (the edge purged)."""
    freshness.announce(article)


def connect() -> None:
    """Subscribe every receiver here to the publishing signals."""
    from articles.models import Article

    for signal, receivers in (
        (signals.article_published, [index, suggest_related, refresh_pages]),
        (signals.article_revised, [index, suggest_related, refresh_pages]),
        # Announced before the change and acted on after commit: the pages that listed the
        # old version (its former channel, tags, authors) are made stale too.
        (signals.article_revising, [refresh_pages]),
        (signals.article_unscheduled, [unindex, refresh_pages]),
        (signals.article_withdrawn, [unindex, refresh_pages]),
        (signals.article_reopened, [refresh_pages]),
    ):
        for receiver in receivers:
            uid = f"articles.receivers.{receiver.__name__}"
            signal.connect(receiver, sender=Article, dispatch_uid=uid)
