"""The channel tree, read from the shared cache: every page shows it, it rarely changes.

Kept under the ``site`` topic's version (delivery/freshness.py): saving a channel in the
admin touches ``site`` and every process reads the new tree on its next request.

Each thread also keeps the tree it last built, with the mark of the cached copy it came
from (``channels:loaded``, a version and a random token, written with each copy). Every
request still reads the ``site`` version and that mark (one small look-up); while both
match, the kept tree is used as is, instead of unpickling and linking every channel again.
A cleared cache loses the mark, so the next request builds the tree afresh.
"""

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import Http404, HttpRequest

from articles.models import Channel
from delivery import freshness
from delivery.stamp import STAMP

CACHE_SECONDS = 24 * 3600


@dataclass
class ChannelTree:
    channels: list[Channel]
    version: str = ""
    by_slug: dict[str, Channel] = field(init=False)
    by_id: dict[int, Channel] = field(init=False)
    # Fragments drawn from this tree (templatetags/sitewide.py): they go when it does.
    drawn: dict[tuple, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_slug = {c.slug: c for c in self.channels}
        self.by_id = {c.pk: c for c in self.channels}
        for channel in self.channels:
            channel.sub_channels = [c for c in self.channels if c.parent_id == channel.pk]
            if channel.parent_id:
                # The breadcrumb reads channel.parent: give it the tree's own object.
                channel.parent = self.by_id[channel.parent_id]

    def attach(self, articles: Iterable) -> None:
        """Give each article the tree's own channel object, parent linked: no join and no
        query. A channel the tree does not know yet is left to load from the database."""
        for article in articles:
            if (channel := self.by_id.get(article.channel_id)) is not None:
                article.channel = channel

    def navigation(self) -> list[Channel]:
        """Top-level channels shown in the navigation, in order."""
        return [c for c in self.channels if c.in_navigation and c.parent_id is None]

    def of_kind(self, kind: str) -> list[Channel]:
        return [c for c in self.channels if c.kind == kind and c.parent_id is None]

    def get(self, slug: str) -> Channel:
        if slug not in self.by_slug:
            raise Http404
        return self.by_slug[slug]


def tree(request: HttpRequest | None = None) -> ChannelTree:
    """Every channel, in order, with sub-channels and parents linked in memory; read once
    per request when the request is given."""
    if request is not None and hasattr(request, "channel_tree"):
        return request.channel_tree
    found = _load()
    if request is not None:
        request.channel_tree = found
    return found


LOADED_KEY = "channels:loaded"
kept = threading.local()


def _load() -> ChannelTree:
    site_key = freshness.version_key("site")
    found = cache.get_many([site_key, LOADED_KEY])
    version, mark = found.get(site_key, 0), found.get(LOADED_KEY)
    current = mark is not None and mark[0] == version
    if current and getattr(kept, "mark", None) == mark:
        return kept.tree
    key = f"channels:{version}"
    channels = cache.get(key)
    if channels is None:
        channels = list(Channel.objects.order_by("position", "id"))
        cache.set(key, channels, CACHE_SECONDS)
        current = False  # a new copy: trees kept from the one before must not be used
    if not current:
        mark = (version, uuid.uuid4().hex)
        cache.set(LOADED_KEY, mark, CACHE_SECONDS)
    # One tree per thread: views may set attributes on its channels while they use them.
    kept.tree, kept.mark = ChannelTree(channels, f"{version}-{STAMP}"), mark
    return kept.tree
