"""Keys for the cached fragments of list pages: a fragment is drawn again when anything it
shows changes, and kept while nothing does.

Drawing lists in templates costs more than reading their rows: a channel page's twenty
items or the home page's hundred-odd lines took a third to a half of the page's time. So
a list page keeps its drawn lists with ``{% cache %}``, keyed by the ``site`` version
(channel names and addresses, photo copies: delivery/freshness.py, ``site_version`` in
templates), the language, and the digest ``key`` makes of what its rows show.

The rows are read on every request anyway (the query count does not change), so the key
follows them exactly: an article published, corrected, withdrawn, appearing or expiring on
schedule, a placement starting or ending, each changes the rows or their order and so the
key, without a version to read first (no extra cache round trip) and without knowing when
the next scheduled change is. A key that no longer matches is never read again; its copy
leaves the cache after ten minutes.
"""

import hashlib
from collections.abc import Iterable

from django.urls import get_script_prefix

# What a list row may show: an article, a home page line, a channel or a special topic.
# Only names that are plain attributes or loaded columns of every row type (reading a
# deferred column would cost a query).
SHOWN = ("pk", "title", "summary", "first_published_at", "channel_id", "slug", "url")
PHOTOS = ("cover_image", "lead_image")


def key(*lists: Iterable) -> str:
    """A digest of every row the lists show, in order, and the script prefix the
    addresses start with."""
    digest = hashlib.sha1(get_script_prefix().encode())
    for rows in lists:
        digest.update(repr([shown(row) for row in rows]).encode())
    return digest.hexdigest()


def shown(row: object) -> tuple:
    """What a row shows: its values and its photo (a photo's copies move the site version)."""
    photo = next((p for name in PHOTOS if (p := getattr(row, name, None)) is not None), None)
    values = tuple(getattr(row, name, None) for name in SHOWN)
    return (*values, photo and photo.pk, photo and photo.alt_text)
