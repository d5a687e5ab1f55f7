"""Purging pages from the edge caches (nginx in front of the app servers).

The example nginx configuration (deploy/nginx/newsroom.conf) keeps public pages for a few
seconds. A request carrying ``X-Newsroom-Purge: 1`` from an address nginx trusts skips
the cached copy and stores the app's fresh answer in its place, a 404 included: that is
how a withdrawn article leaves the edge before its cached copy would have expired.
"""

import urllib.error
import urllib.request

from django.conf import settings
from django.tasks import task

from ops.tasks import retried

PURGE_HEADER = "X-Newsroom-Purge"
TIMEOUT_SECONDS = 10


class EdgePurgeError(Exception):
    """Some edge caches could not be purged; the task is retried."""


@retried(max_attempts=5, backoff_seconds=5)
@task()
def purge_edge_caches(paths: list[str]) -> int:
    """Make every edge cache fetch these pages afresh; return how many purges were sent.

    Idempotent: purging a page twice leaves the same fresh copy as purging it once.
    """
    failures = []
    for edge in settings.NEWSROOM_EDGE_CACHE_URLS:
        for path in paths:
            if error := purge(edge, path):
                failures.append(f"{edge}{path}: {error}")
    if failures:
        raise EdgePurgeError("; ".join(failures))
    return len(settings.NEWSROOM_EDGE_CACHE_URLS) * len(paths)


def purge(edge: str, path: str) -> str:
    """Purge one page from one edge cache; return what went wrong, or "" on success."""
    request = urllib.request.Request(
        f"{edge.rstrip('/')}{path}",
        headers={PURGE_HEADER: "1", "Host": settings.NEWSROOM_EDGE_HOST},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        # A 404 is the fresh answer for a withdrawn page: the purge worked.
        return "" if error.code < 500 else f"HTTP {error.code}"
    except OSError as error:
        return str(error)
    return ""
