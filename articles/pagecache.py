"""Whole public pages for anonymous readers, kept in the shared cache and purged exactly.

A view says what its page shows with ``depends_on(request, topics)``; the copy stored
for it is used only while those topics keep their versions (articles/freshness.py), so
publishing, correcting or withdrawing an article makes every page showing it stale at
once on every app server. Readers with a session (editors signed in) never touch it.

``PageCacheMiddleware`` comes first in MIDDLEWARE: it stores the response as the whole
stack made it (security headers, ETag) and serves a stored copy without running the
rest. ``StoredPages`` does the serving one step earlier still, around the WSGI
application (newsroom/wsgi.py), so that a stored page costs one cache look-up and no
Django request handling at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from articles import freshness
from articles.navigation import STAMP

KEY_PREFIX = "page"
CACHEABLE_STATUS = {200, 301, 404, 410}
SKIP_PREFIXES = ("/admin/", "/i18n/", "/healthz", "/readyz", "/static/", "/media/")
# Headers that belong to one request, never to the stored page.
PER_REQUEST_HEADERS = {"x-request-id", "set-cookie", "x-page-cache"}
CHECKED = "newsroom.page_cache_checked"


def depends_on(request: HttpRequest, *topics: str) -> None:
    """Record what the page being built shows (see articles/freshness.py)."""
    request.page_topics = getattr(request, "page_topics", set()) | set(topics)


def page_key(request: HttpRequest) -> str:
    """One copy per host, path with query, and the language the reader gets."""
    where = f"{request.get_host()}{request.get_full_path()}".encode()
    language = translation.get_language_from_request(request)
    # STAMP: a deployment with other templates or settings starts afresh.
    return f"{KEY_PREFIX}:{STAMP}:{language}:{hashlib.sha1(where).hexdigest()}"


def may_use_cache(request: HttpRequest) -> bool:
    return (
        settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(SKIP_PREFIXES)
    )


def fresh_copy(request: HttpRequest) -> dict | None:
    """The stored copy of this request's page, if there is one and nothing it shows has
    changed since it was made."""
    stored = cache.get(page_key(request))
    if stored is not None and freshness.is_fresh(stored["versions"]):
        return stored
    return None


def not_modified(request: HttpRequest, stored: dict) -> bool:
    etag = dict(stored["headers"]).get("ETag")
    return bool(etag) and request.headers.get("If-None-Match") == etag


def headers_for(stored: dict, unchanged: bool) -> list[tuple[str, str]]:
    """The stored headers; a 304 carries no body, so no length either."""
    if not unchanged:
        return stored["headers"]
    return [(k, v) for k, v in stored["headers"] if k.lower() != "content-length"]


class PageCacheMiddleware:
    """Serve a fresh stored copy, or build the page and store it with what it shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        usable = may_use_cache(request)
        if usable and not request.META.get(CHECKED) and (stored := fresh_copy(request)):
            return self.rebuild(request, stored)
        before = freshness.epoch() if usable else None
        response = self.get_response(request)
        if not hasattr(request, "page_topics") or response.status_code >= 500:
            return response  # not a public page, or an error page that sets its own rules
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
            return response
        patch_cache_control(
            response, public=True, max_age=settings.NEWSROOM_PUBLIC_MAX_AGE, must_revalidate=True
        )
        if usable and self.storable(response):
            self.store(request, response, before)
            response["X-Page-Cache"] = "MISS"
        return response

    @staticmethod
    def storable(response: HttpResponse) -> bool:
        return (
            response.status_code in CACHEABLE_STATUS
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            # A nonce is good for one response only: replayed, it would let anything run.
            and "'nonce-" not in response.get("Content-Security-Policy", "")
        )

    @staticmethod
    def store(request: HttpRequest, response: HttpResponse, before: int) -> None:
        made_with = freshness.versions(request.page_topics | {freshness.EPOCH})
        # Something changed while the page was built: it may show the old state.
        if made_with.pop(freshness.EPOCH) != before:
            return
        # The copy's own time: a conditional request made against it is answered right.
        response.setdefault("Last-Modified", http_date())
        headers = [(k, v) for k, v in response.items() if k.lower() not in PER_REQUEST_HEADERS]
        stored = {
            "status": response.status_code,
            "headers": headers,
            "content": response.content,
            "versions": made_with,
        }
        timeout = freshness.seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
        cache.set(page_key(request), stored, timeout)

    @staticmethod
    def rebuild(request: HttpRequest, stored: dict) -> HttpResponse:
        unchanged = not_modified(request, stored)
        if unchanged:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in headers_for(stored, unchanged):
            response[name] = value
        response["X-Page-Cache"] = "HIT"
        return response


class StoredPages:
    """WSGI: answer with a fresh stored page before Django handles the request at all."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = WSGIRequest(environ)
        if may_use_cache(request) and (stored := fresh_copy(request)):
            unchanged = not_modified(request, stored)
            headers = [*headers_for(stored, unchanged), ("X-Page-Cache", "HIT")]
            if unchanged:
                start_response(f"{HTTPStatus.NOT_MODIFIED.value} Not Modified", headers)
                return [b""]
            status = HTTPStatus(stored["status"])
            start_response(f"{status.value} {status.phrase}", headers)
            return [b"" if request.method == "HEAD" else stored["content"]]
        environ[CHECKED] = True  # looked up already: the middleware need not look again
        return self.application(environ, start_response)
