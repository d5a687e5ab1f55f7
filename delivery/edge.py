"""Purging pages from the edge caches (nginx in front of the app servers).

The example nginx configuration (deploy/nginx/newsroom.conf) keeps public pages for a few
seconds, one copy per scheme and language. A request carrying ``X-Newsroom-Purge: https``
(or ``http``) from an address nginx trusts skips that scheme's cached copy and stores the
app's fresh answer in its place, a 404 included: that is how a withdrawn article leaves
the edge before its cached copy would have expired. Stock nginx does this; no purge
module is needed.

Whatever changes a page enqueues ``purge_edge_caches.enqueue(paths)``; the worker sends
the purges and retries an edge that is down.
"""

import urllib.error
import urllib.request

from django.conf import settings
from django.tasks import task

from ops.tasks import retried

PURGE_HEADER = "X-Newsroom-Purge"
SCHEMES = ("https", "http")
TIMEOUT_SECONDS = 10


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A purge's answer is what the edge stored: a redirect is not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(KeepRedirects)


class EdgePurgeError(Exception):
    """Some edge caches could not be purged; the task is retried."""


@retried(max_attempts=5, backoff_seconds=5)
@task()
def purge_edge_caches(paths: list[str]) -> int:
    """Make every edge cache fetch these pages afresh; return how many purges were sent.

    Idempotent: purging a page twice leaves the same fresh copy as purging it once.
    """
    failures, sent = [], 0
    for edge in settings.NEWSROOM_EDGE_CACHE_URLS:
        for path in paths:
            for scheme in SCHEMES:
                for language, _name in settings.LANGUAGES:
                    sent += 1
                    if error := purge(edge, path, language, scheme):
                        failures.append(f"{edge}{path} ({scheme}, {language}): {error}")
    if failures:
        raise EdgePurgeError("; ".join(failures))
    return sent


def purge(edge: str, path: str, language: str, scheme: str = "https") -> str:
    """Purge one scheme's and language's copy of a page from one edge cache; return the
    error, or ""."""
    request = urllib.request.Request(
        f"{edge.rstrip('/')}{path}",
        headers={
            PURGE_HEADER: scheme,
            "Host": settings.NEWSROOM_EDGE_HOST,
            # The edge keeps one copy per language, chosen by this cookie first.
            "Cookie": f"{settings.LANGUAGE_COOKIE_NAME}={language}",
        },
    )
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        # A 404 is the fresh answer for a withdrawn page, a 301 for plain HTTP under an
        # HTTPS redirect: the purge worked.
        return "" if error.code < 500 else f"HTTP {error.code}"
    except OSError as error:
        return str(error)
    return ""
