"""What a cached copy depends on, and how to make every copy of it stale at once.

Pages and fragments declare *topics* they show: ``article:12``, ``section:3``,
``channel:9``, ``tag:5``, ``author:7``, ``topic:2``, ``home``, ``feeds``, ``sitemaps``,
``sitemap-month:2026-11``, ``search`` and ``site`` (the channel tree, names of people and
tags: everything every page shows). Each topic has a version number in the shared cache;
a copy remembers the versions it was made with and is used only while they are all
unchanged. Changing something raises the versions of its topics: one cache write per
topic, seen by every app process at once.

Time changes pages too (a scheduled article appears, a notice or a placement expires):
copies never outlive the next such moment (``seconds_until_next_change``).

The versions live in the cache, so a change made while it was out of reach cannot raise
them. What must never be served again once committed (an article leaving the public, an
expiry set or moved) also raises the *generation*, a number kept in the database in the
same transaction; a stored page is answered only under the generation it was built under.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

if TYPE_CHECKING:
    from articles.models import Article

VERSION_PREFIX = "freshness"
NEXT_CHANGE_KEY = f"{VERSION_PREFIX}:next-change"
# "No scheduled change": a fixed far moment (this date in 9999 would not exist on 29 Feb).
NOTHING_SCHEDULED = datetime(9999, 1, 1, tzinfo=UTC)
ALWAYS = {"site"}
# Raised by every change: a copy built while it moved may show the old state.
EPOCH = "epoch"
# Longest a kept list or look-up lives when the page cache is off.
KEEP_SECONDS = 600
# Changes this process has made (``touch``, ``raise_generation``): its own local copies of
# pages and the generation it last read (see delivery/pagecache.py) are dropped at once.
changes_made_here = 0


def _key(topic: str) -> str:
    return f"{VERSION_PREFIX}:{topic}"


def version_key(topic: str) -> str:
    """The cache key holding a topic's version, for readers that fetch it with other keys."""
    return _key(topic)


def versions(topics: set[str]) -> dict[str, int]:
    """The current version of each topic (0 for one never changed)."""
    topics = topics | ALWAYS
    found = cache.get_many([_key(topic) for topic in topics])
    return {topic: found.get(_key(topic), 0) for topic in topics}


def is_fresh(made_with: dict[str, int]) -> bool:
    return versions(set(made_with)) == made_with


def keep(key: str, value: Any, made_with: dict[str, int], timeout: int) -> None:
    """Store a copy with the versions it was made with, for ``kept`` to check."""
    versioned = {_key(topic): number for topic, number in made_with.items()}
    if hasattr(cache, "set_with_versions"):
        cache.set_with_versions(key, value, versioned, timeout)  # ops/cache.py
    else:
        cache.set(key, (versioned, value), timeout)


def kept(key: str) -> Any:
    """The copy stored under key, or None once any version it was made with has moved.

    The Redis cache checks the versions along with the read, in one round trip."""
    if hasattr(cache, "get_if_current"):
        return cache.get_if_current(key)
    stored = cache.get(key)
    if stored is None:
        return None
    versioned, value = stored
    found = cache.get_many(list(versioned))
    return value if all(found.get(k, 0) == n for k, n in versioned.items()) else None


def kept_with_lifetime(key: str) -> tuple[Any, float | None] | None:
    """The copy stored under key, as ``kept``, with the seconds it has left in the shared
    cache (None where the cache cannot say)."""
    if hasattr(cache, "get_if_current_with_lifetime"):
        return cache.get_if_current_with_lifetime(key)  # ops/cache.py
    value = kept(key)
    return None if value is None else (value, None)


def generation() -> int:
    """The database's page generation (one single-row query, always on the primary)."""
    from django.db import router

    from ops.models import PageGeneration

    alias = router.db_for_write(PageGeneration)
    found = PageGeneration.objects.using(alias).filter(pk=1).values_list("number", flat=True)
    return found.first() or 0


def raise_generation() -> None:
    """Make every stored page stale in the database itself, with the running transaction:
    no cache outage can bring one back."""
    global changes_made_here
    changes_made_here += 1
    from django.db import router
    from django.db.models import F

    from ops.models import PageGeneration

    rows = PageGeneration.objects.using(router.db_for_write(PageGeneration))
    if not rows.filter(pk=1).update(number=F("number") + 1):
        _row, made = rows.get_or_create(pk=1, defaults={"number": 1})
        if not made:
            rows.filter(pk=1).update(number=F("number") + 1)


def epoch() -> int:
    return cache.get(_key(EPOCH), 0)


def touch(*topics: str) -> None:
    """Make every cached copy that shows any of these topics stale, everywhere.

    The epoch goes first: a copy built from the rows as they were before this change is
    stored only if the epoch has not moved since it was begun (``epoch()``), so a copy that
    reads a topic's new version must also see the new epoch and is then not stored."""
    global changes_made_here
    for topic in [EPOCH, *sorted(set(topics) - {EPOCH})]:
        key = _key(topic)
        try:
            cache.incr(key)
        except ValueError:
            # Never touched before: start above the 0 that copies assumed.
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)
    cache.delete(NEXT_CHANGE_KEY)
    changes_made_here += 1


def month_topic(moment: datetime) -> str:
    """The topic of the sitemap month (Beijing time) a moment falls in."""
    return f"sitemap-month:{timezone.localtime(moment):%Y-%m}"


def article_topics(article: Article) -> set[str]:
    """Everything that shows an article: its page, lists that hold it, feeds, sitemaps."""
    from articles.models import TopicEntry

    topics = {
        f"article:{article.pk}",
        f"section:{article.section_id}",
        f"channel:{article.channel_id}",
        "home",
        "feeds",
        "sitemaps",
        "search",
    }
    if article.first_published_at:
        topics.add(month_topic(article.first_published_at))
    topics |= {f"tag:{pk}" for pk in article.tagged_items.values_list("tag_id", flat=True)}
    topics |= {f"author:{pk}" for pk in article.credits.values_list("author_id", flat=True)}
    topics |= {
        f"topic:{pk}"
        for pk in TopicEntry.objects.filter(article=article).values_list(
            "section__topic_id", flat=True
        )
    }
    return topics


def neighbour_topics(article: Article) -> set[str]:
    """The articles next to this one in its channel, whose 上一篇/阅读下一篇 may change."""
    from articles.models import Article

    if article.first_published_at is None:
        return set()
    found = [Article.objects.read_next(article), Article.objects.previous_to(article)]
    return {f"article:{other.pk}" for other in found if other}


def key_for(name: str, topic: str) -> str:
    """A cache key for what is made from the rows ``topic`` covers, under its version and
    the ``site`` version. They are read before the rows are, so what is kept under them is
    never older than they say; a change raises one of them and the next reader starts afresh."""
    made_with = versions({topic})
    return f"{name}:{made_with[topic]}:{made_with['site']}"


def keep_seconds() -> int:
    """How long a kept list or look-up may live: as long as a stored page (or KEEP_SECONDS
    with the page cache off), and never past the next scheduled change."""
    from django.conf import settings

    return seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS or KEEP_SECONDS)


def seconds_until_next_change(default: int) -> int:
    """Seconds until the next scheduled appearance, expiry or placement change (at most
    ``default``): no cached copy may live past it."""
    moment = cache.get(NEXT_CHANGE_KEY)
    if moment is None:
        moment = next_change() or NOTHING_SCHEDULED
        cache.set(NEXT_CHANGE_KEY, moment, timeout=default)
    return max(1, min(default, int((moment - timezone.now()).total_seconds())))


def next_change() -> datetime | None:
    """The next moment at which time alone changes what the public sees (three queries)."""
    from articles.models import Article, Placement

    now = timezone.now()
    articles = {
        **Article.objects.scheduled().aggregate(appears=Min("first_published_at")),
        # A range on articles_article_expiring_idx, however many articles never expire.
        **Article.objects.published()
        .filter(expire_at__gt=now)
        .aggregate(expires=Min("expire_at")),
    }
    placements = Placement.objects.aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        ends=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    moments = [*articles.values(), *placements.values()]
    return min((m for m in moments if m), default=None)


def pages_showing(article: Article) -> list[str]:
    """Paths of the first pages that show an article, for caches that purge by URL."""
    from django.urls import reverse

    paths = {"/", reverse("articles:rss"), reverse("articles:atom"),
             reverse("articles:sitemap_index"), reverse("articles:news_sitemap")}  # fmt: skip
    if article.first_published_at:
        paths.add(article.get_absolute_url())
    for channel in {article.channel, article.channel.parent} - {None}:
        paths |= {channel.get_absolute_url(), reverse("articles:channel_rss", args=[channel.slug]),
                  reverse("articles:channel_atom", args=[channel.slug])}  # fmt: skip
    paths |= {reverse("articles:tag", args=[slug])
              for slug in article.tags.values_list("slug", flat=True)}  # fmt: skip
    paths |= {reverse("articles:author", args=[pk])
              for pk in article.credits.values_list("author_id", flat=True)}  # fmt: skip
    return sorted(paths)


def announce(article: Article, also: set[str] = frozenset()) -> None:
    """Once the running transaction (if any) commits, make every copy showing the article
    stale: in the page cache at once, and at the edge caches through a background task.
    An article leaving the public raises the generation inside its own transaction
    (delivery/receivers.py, ``article_leaving``); an expiry time does so here."""
    from django.conf import settings
    from django.db import transaction

    topics = article_topics(article) | neighbour_topics(article) | set(also)
    paths = pages_showing(article) if settings.NEWSROOM_EDGE_CACHE_URLS else []
    if article.expire_at:
        raise_generation()

    def now_committed() -> None:
        touch(*topics)
        if paths:
            purge_after_copies(paths)

    transaction.on_commit(now_committed)


def purge_after_copies(paths: list[str]) -> None:
    """Purge the edge caches once no app process can still answer its own copy of a page
    made before the change (delivery/pagecache.py): an edge asking sooner might store it."""
    from delivery.edge import purge_edge_caches
    from delivery.pagecache import COPY_SECONDS

    purge = purge_edge_caches
    if purge.get_backend().supports_defer:
        purge = purge.using(run_after=timezone.now() + timedelta(seconds=COPY_SECONDS))
    purge.enqueue(paths)
