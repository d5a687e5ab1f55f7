"""Cached pages and edge caches follow what publishing announces (articles/signals.py).

Connected in ``DeliveryConfig.ready``; the desk does not know the page cache exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from articles import signals
from delivery import freshness

if TYPE_CHECKING:
    from articles.models import Article


def refresh_pages(sender: type, *, article: Article, **kwargs: Any) -> None:
    """Every page and fragment that shows the article is made stale (the edge purged)."""
    freshness.announce(article)


def forget_stored_pages(sender: type, *, article: Article, **kwargs: Any) -> None:
    """An article leaving the public: no page stored before may be answered again. Written
    in the leaving transaction, so it holds even if the cache was out of reach or the
    process stops right after the commit."""
    freshness.raise_generation()


def forget_cached_pages(sender: Any, **kwargs: Any) -> None:
    """After a restore nothing cached may show the site as it was before: raise the page
    generation in the restored database, empty every configured cache (stored pages,
    fragments, versions) and purge the home page and feeds from the edge caches."""
    from django.conf import settings
    from django.core.cache import caches
    from django.urls import reverse

    from delivery.edge import purge_edge_caches

    freshness.raise_generation()
    for alias in settings.CACHES:
        caches[alias].clear()
    if settings.NEWSROOM_EDGE_CACHE_URLS:
        purge_edge_caches.enqueue(["/", reverse("articles:rss"), reverse("articles:atom")])


def connect() -> None:
    from articles.models import Article
    from ops.signals import site_restored

    site_restored.connect(forget_cached_pages, dispatch_uid="delivery.forget_cached_pages")
    for signal, receiver in (
        (signals.article_published, refresh_pages),
        (signals.article_revised, refresh_pages),
        # Sent before the change and acted on after commit: the pages that listed the old
        # version (its former channel, tags, authors) are made stale too.
        (signals.article_revising, refresh_pages),
        (signals.article_leaving, forget_stored_pages),
        (signals.article_unscheduled, refresh_pages),
        (signals.article_withdrawn, refresh_pages),
        (signals.article_reopened, refresh_pages),
    ):
        signal.connect(receiver, sender=Article, dispatch_uid=f"delivery.{receiver.__name__}")
