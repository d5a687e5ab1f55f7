"""Whole public pages for anonymous readers, kept in the shared cache and purged exactly.

A view says what its page shows with ``depends_on(request, topics)``; the copy stored
for it is used only while those topics keep their versions (articles/freshness.py), so
publishing, correcting or withdrawing an article makes every page showing it stale at
once on every app server. Readers with a session (editors signed in) never touch it.

``PageCacheMiddleware`` comes first in MIDDLEWARE: it stores the response as the whole
stack made it (security headers, ETag) and serves a stored copy without running the
rest. ``StoredPages`` does the serving one step earlier still, around the WSGI
application (newsroom/wsgi.py), so that a stored page costs one cache look-up (one Redis
round trip: ops/cache.py checks the versions with the read) and no Django request
handling at all.

Each app process also keeps its own copies of the stored pages it serves most
(``LocalCopies``, at most NEWSROOM_PAGE_COPIES_MB), so that a hot page costs no round trip
at all. A copy is answered for at most COPY_SECONDS (0.2 s) after Redis last confirmed it
current, never past the stored page's own expiry (a scheduled article appears on time), and
never once this process has changed anything itself. So a change made through another
process reaches every reader within 0.2 s of its versions being raised, one made through
this process at once; readers with a session never get a copy.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from http import HTTPStatus
from time import monotonic
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from delivery import freshness
from delivery.stamp import STAMP

# Stored pages are Redis hashes since this prefix (ops/cache.py), plain values before it.
KEY_PREFIX = "stored-page"
CACHEABLE_STATUS = {200, 301, 404, 410}
SKIP_PREFIXES = ("/admin/", "/i18n/", "/healthz", "/readyz", "/static/", "/media/")
# Headers that belong to one request, never to the stored page.
PER_REQUEST_HEADERS = {"x-request-id", "set-cookie", "x-page-cache"}
CHECKED = "newsroom.page_cache_checked"
# Longest a process answers its own copy of a stored page without asking Redis again: the
# most a change made through another process can be late here (well inside the 1 s rule).
COPY_SECONDS = 0.2


class StoredPage(NamedTuple):
    """A page as it is replayed: status line, headers (ending with X-Page-Cache: HIT),
    body, and the ETag a conditional request must match."""

    status: int
    status_line: str
    headers: list[tuple[str, str]]
    content: bytes
    etag: str


def depends_on(request: HttpRequest, *topics: str) -> None:
    """Record what the page being built shows (see articles/freshness.py)."""
    request.page_topics = getattr(request, "page_topics", set()) | set(topics)


def page_key(environ: dict) -> str:
    """One copy per host, path with query, and the language the reader gets."""
    where = "\n".join(
        (host(environ), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
         environ.get("QUERY_STRING", ""))
    )  # fmt: skip
    # STAMP: a deployment with other templates or settings starts afresh.
    return f"{KEY_PREFIX}:{STAMP}:{language(environ)}:{hashlib.sha1(where.encode()).hexdigest()}"


def host(environ: dict) -> str:
    """The host as Django reads it (HttpRequest._get_raw_host), without validating it:
    only pages Django built, for hosts it accepted, are ever stored."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    name, port = environ.get("SERVER_NAME", ""), str(environ.get("SERVER_PORT", ""))
    default = "443" if environ.get("wsgi.url_scheme") == "https" else "80"
    return name if port == default else f"{name}:{port}"


def cookies(environ: dict) -> dict[str, str]:
    return parse_cookie(environ["HTTP_COOKIE"]) if environ.get("HTTP_COOKIE") else {}


def language(environ: dict) -> str:
    """The language LocaleMiddleware will choose for this request."""
    chosen = cookies(environ).get(settings.LANGUAGE_COOKIE_NAME)
    return language_for(chosen, environ.get("HTTP_ACCEPT_LANGUAGE", ""))


@lru_cache(maxsize=512)
def language_for(chosen: str | None, accept: str) -> str:
    """Django's choice for a language cookie and Accept-Language header, remembered: the
    same few headers come again and again."""
    asked = SimpleNamespace(COOKIES={settings.LANGUAGE_COOKIE_NAME: chosen} if chosen else {},
                            META={"HTTP_ACCEPT_LANGUAGE": accept})  # fmt: skip
    return translation.get_language_from_request(asked)


def may_use_cache(environ: dict) -> bool:
    return (
        settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
        and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and not has_session(environ)
        and not environ.get("PATH_INFO", "").startswith(SKIP_PREFIXES)
    )


def has_session(environ: dict) -> bool:
    name = settings.SESSION_COOKIE_NAME
    # Most readers send no cookie, or none with the session's name in it: no parsing.
    return name in environ.get("HTTP_COOKIE", "") and name in cookies(environ)


def not_modified(environ: dict, stored: StoredPage) -> bool:
    return bool(stored.etag) and environ.get("HTTP_IF_NONE_MATCH") == stored.etag


def without_length(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A 304 carries no body, so no length either."""
    return [(k, v) for k, v in headers if k.lower() != "content-length"]


class PageCacheMiddleware:
    """Serve a fresh stored copy, or build the page and store it with what it shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        usable = may_use_cache(request.META)
        looked = request.META.get(CHECKED)
        if usable and not looked and (stored := freshness.kept(page_key(request.META))):
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
        status = HTTPStatus(response.status_code)
        stored = StoredPage(
            status=status.value,
            status_line=f"{status.value} {status.phrase}",
            headers=[*headers, ("X-Page-Cache", "HIT")],
            content=response.content,
            etag=response.get("ETag", ""),
        )
        timeout = freshness.seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
        freshness.keep(page_key(request.META), stored, made_with, timeout)

    @staticmethod
    def rebuild(request: HttpRequest, stored: StoredPage) -> HttpResponse:
        if not_modified(request.META, stored):
            response = HttpResponseNotModified()
            headers = without_length(stored.headers)
        else:
            response = HttpResponse(stored.content, status=stored.status)
            headers = stored.headers
        for name, value in headers:
            response[name] = value
        return response


class Copy(NamedTuple):
    """A stored page as this process keeps it: answered until ``until`` (monotonic time)."""

    page: StoredPage
    until: float
    size: int  # bytes, roughly: the page and its headers


class LocalCopies:
    """This process's copies of stored pages, each answered until its deadline and dropped
    at once when this process changes anything; the least recently used go first once they
    hold more than NEWSROOM_PAGE_COPIES_MB."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # gthread workers serve from several threads
        self.copies: OrderedDict[str, Copy] = OrderedDict()
        self.size = 0
        self.changes_seen = freshness.changes_made_here

    def get(self, key: str) -> StoredPage | None:
        changes = freshness.changes_made_here
        with self.lock:
            if changes != self.changes_seen:
                self.clear()
                self.changes_seen = changes
            if (copy := self.copies.get(key)) is None:
                return None
            if monotonic() >= copy.until:
                self.size -= self.copies.pop(key).size
                return None
            self.copies.move_to_end(key)
            return copy.page

    def keep(self, key: str, page: StoredPage, until: float, changes_before: int) -> None:
        """Keep a copy confirmed by Redis, unless this process changed something meanwhile."""
        budget = settings.NEWSROOM_PAGE_COPIES_MB * 2**20
        size = len(page.content) + sum(len(k) + len(v) for k, v in page.headers) + 512
        if size > budget // 8:
            return  # copies are for many pages, never a few huge ones
        with self.lock:
            if changes_before != freshness.changes_made_here:
                return  # made before a change of ours that get() has not seen yet
            if (old := self.copies.pop(key, None)) is not None:
                self.size -= old.size
            self.copies[key] = Copy(page, until, size)
            self.size += size
            while self.size > budget:
                self.size -= self.copies.popitem(last=False)[1].size

    def clear(self) -> None:
        """Drop every copy (the caller holds the lock)."""
        self.copies.clear()
        self.size = 0


COPIES = LocalCopies()


def stored_page(key: str) -> StoredPage | None:
    """This process's copy of the stored page, or else the current one from the cache."""
    if (page := COPIES.get(key)) is not None:
        return page
    asked_at, changes = monotonic(), freshness.changes_made_here
    if (found := freshness.kept_with_lifetime(key)) is None:
        return None
    page, lifetime = found
    if lifetime is not None:  # the cache can say when the stored page expires
        COPIES.keep(key, page, asked_at + min(COPY_SECONDS, lifetime), changes)
    return page


class StoredPages:
    """WSGI: answer with a fresh stored page before Django handles the request at all."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if may_use_cache(environ) and (stored := stored_page(page_key(environ))):
            if not_modified(environ, stored):
                start_response("304 Not Modified", without_length(stored.headers))
                return [b""]
            start_response(stored.status_line, stored.headers)
            return [b"" if environ["REQUEST_METHOD"] == "HEAD" else stored.content]
        environ[CHECKED] = True  # looked up already: the middleware need not look again
        return self.application(environ, start_response)


@receiver(setting_changed)
def forget_languages(*, setting: str, **kwargs: object) -> None:
    """Settings changed in tests: choose languages afresh, and keep no copy made before."""
    if setting.startswith("LANGUAGE"):
        language_for.cache_clear()
    with COPIES.lock:
        COPIES.clear()
