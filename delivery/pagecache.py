"""Whole public pages for anonymous readers, kept in the shared cache and purged exactly.

A view says what its page shows with ``depends_on(request, topics, reads=params)``; the
copy stored for it is used only while those topics keep their versions
(delivery/freshness.py), so publishing, correcting or withdrawing an article makes every
page showing it stale at once on every app server. Readers with a session (editors signed
in) never touch it.

``PageCacheMiddleware`` sits behind the request id and the security middleware (an HTTPS
redirect, a stored page's X-Request-ID and log lines are this request's) and in front of
everything else. A page is stored under its scheme, host, path, language and query
parameters; a request carrying a parameter the page does not read is answered but not
stored, and pages made for query strings or missing pages are counted per path, at most
NEWSROOM_PAGE_VARIANTS in a page's lifetime, so no client can fill the cache.

A stored page is answered only under the database generation it was built under
(``freshness.generation``, one single-row query) and never past its own expiry, whatever
the cache kept meanwhile: a withdrawal made while Redis was out of reach stays withdrawn.

Each app process also keeps its own copies of the stored pages it serves most
(``LocalCopies``, at most NEWSROOM_PAGE_COPIES_MB), so that a hot page costs no round trip
to Redis. A copy is answered for at most COPY_SECONDS (0.2 s) after Redis last confirmed it
current, never past the stored page's own expiry, and never once this process has changed
anything itself.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus
from time import monotonic
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, urlencode

from delivery import freshness
from delivery.language import chosen_language, public_language
from delivery.stamp import STAMP

# Stored pages are Redis hashes since this prefix (ops/cache.py), plain values before it.
KEY_PREFIX = "stored-page:v2"
CACHEABLE_STATUS = {200, 301, 404, 410}
SKIP_PREFIXES = ("/admin/", "/i18n/", "/healthz", "/readyz", "/static/", "/media/")
# Headers that belong to one request, never to the stored page.
PER_REQUEST_HEADERS = {"x-request-id", "set-cookie", "x-page-cache"}
# Longest a process answers its own copy of a stored page without asking Redis again: the
# most a change made through another process can be late here (well inside the 1 s rule).
COPY_SECONDS = 0.2
# Answered to a request whose query the page does not read: the edge stores none either.
NOT_STORED = "NO-STORE"


class StoredPage(NamedTuple):
    """A page as it is replayed: status, headers (ending with X-Page-Cache: HIT), body, the
    ETag a conditional request must match, the database generation it was built under and
    the wall-clock time it is answered until."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    etag: str
    generation: int
    until: float


def depends_on(request: HttpRequest, *topics: str, reads: tuple[str, ...] = ()) -> None:
    """Record what the page being built shows (see delivery/freshness.py) and the query
    parameters it reads: a request with any other parameter is not stored."""
    request.page_topics = getattr(request, "page_topics", set()) | set(topics)
    request.page_reads = getattr(request, "page_reads", frozenset()) | frozenset(reads)


def page_key(request: HttpRequest) -> str:
    """One copy per scheme, host, path, query parameters and the language the reader gets."""
    # Most requests carry no query string: no need to parse one.
    query = (
        urlencode(sorted(request.GET.lists()), doseq=True)
        if request.META.get("QUERY_STRING")
        else ""
    )
    where = "\n".join((request.scheme, request.get_host(), request.path, query))
    # STAMP: a deployment with other templates or settings starts afresh.
    digest = hashlib.sha1(where.encode()).hexdigest()
    return f"{KEY_PREFIX}:{STAMP}:{language(request)}:{digest}"


def language(request: HttpRequest) -> str:
    """The language the page is delivered in (delivery/language.py): the reader's switch
    cookie alone, never the browser's Accept-Language."""
    return public_language(request)


def lookup_key(request: HttpRequest) -> str | None:
    """The key of this request's stored page, or None when the page cache is not for it."""
    if (
        settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.path.startswith(SKIP_PREFIXES)
    ):
        return None
    try:
        return page_key(request)
    except DisallowedHost:
        return None  # answered by CommonMiddleware with a 400, never stored


def not_modified(request: HttpRequest, stored: StoredPage) -> bool:
    return bool(stored.etag) and request.META.get("HTTP_IF_NONE_MATCH") == stored.etag


def reads_only_what_it_shows(request: HttpRequest) -> bool:
    return set(request.GET) <= getattr(request, "page_reads", frozenset())


def within_variant_budget(request: HttpRequest, response: HttpResponse) -> bool:
    """Count pages stored for a query string or a missing page, per path (missing pages:
    per host), and refuse more than NEWSROOM_PAGE_VARIANTS in a page's lifetime."""
    if not request.GET and response.status_code != HTTPStatus.NOT_FOUND:
        return True  # one per existing path: bounded by the site itself
    where = "not-found" if response.status_code == HTTPStatus.NOT_FOUND else request.path
    digest = hashlib.sha1(f"{request.get_host()}\n{where}".encode()).hexdigest()
    key = f"{KEY_PREFIX}:variants:{digest}"
    cache.add(key, 0, timeout=settings.NEWSROOM_PAGE_CACHE_SECONDS)
    try:
        counted = cache.incr(key)
    except ValueError:  # expired between the two calls: count from one again
        counted = 1
    return counted <= settings.NEWSROOM_PAGE_VARIANTS


class PageCacheMiddleware:
    """Serve a current stored copy, or build the page and store it with what it shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The last page generation this process read, trusted for COPY_SECONDS as copies
        # are, and never after this process changed anything.
        self.generation: int | None = None
        self.generation_until = 0.0
        self.changes_seen = freshness.changes_made_here

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = lookup_key(request)
        if key is not None:
            # Read before the page is: what is stored under it is never older than it says.
            try:
                generation, unreachable = self.current_generation(), None
            except DatabaseError as error:
                # Out of reach: pages stored under the last generation read still serve
                # readers; no other page can be built, so the error page answers at once.
                generation, unreachable = self.generation, error
            stored = stored_page(key)
            if stored and stored.generation == generation and time.time() < stored.until:
                return self.rebuild(request, stored)
            if unreachable is not None:
                raise unreachable
            before = freshness.epoch()
        response = self.get_response(request)
        if not hasattr(request, "page_topics") or response.status_code >= 500:
            return response  # not a public page, or an error page that sets its own rules
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
            return response
        patch_cache_control(
            response, public=True, max_age=settings.NEWSROOM_PUBLIC_MAX_AGE, must_revalidate=True
        )
        if key is None:
            return response
        if not reads_only_what_it_shows(request):
            response["X-Page-Cache"] = NOT_STORED
        elif self.storable(response) and within_variant_budget(request, response):
            self.store(key, request, response, before, generation)
            response["X-Page-Cache"] = "MISS"
        return response

    def current_generation(self) -> int | None:
        """The database's page generation, read again once COPY_SECONDS have passed (the
        time other processes' changes take to reach this one's copies) or at once after
        this process changed anything (raised it included). While the database is out of
        reach (DatabaseError), the caller keeps the last one read: no withdrawal can commit
        while the primary is down, and an app server cut off from a running primary serves
        what it stored until it reaches the database again."""
        changes = freshness.changes_made_here
        if changes == self.changes_seen and monotonic() < self.generation_until:
            return self.generation
        self.generation = freshness.generation()
        self.generation_until, self.changes_seen = monotonic() + COPY_SECONDS, changes
        return self.generation

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
    def store(
        key: str, request: HttpRequest, response: HttpResponse, before: int, generation: int
    ) -> None:
        made_with = freshness.versions(request.page_topics | {freshness.EPOCH})
        # Something changed while the page was built: it may show the old state.
        if made_with.pop(freshness.EPOCH) != before:
            return
        # The copy's own time: a conditional request made against it is answered right.
        response.setdefault("Last-Modified", http_date())
        headers = [(k, v) for k, v in response.items() if k.lower() not in PER_REQUEST_HEADERS]
        timeout = freshness.seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
        stored = StoredPage(
            status=response.status_code,
            headers=[*headers, ("X-Page-Cache", "HIT")],
            content=response.content,
            etag=response.get("ETag", ""),
            generation=generation,
            until=time.time() + timeout,
        )
        freshness.keep(key, stored, made_with, timeout)

    @staticmethod
    def rebuild(request: HttpRequest, stored: StoredPage) -> HttpResponse:
        if not_modified(request, stored):
            response = HttpResponseNotModified()
            for name, value in stored.headers:
                if name.lower() != "content-length":
                    response[name] = value
            return response
        body = b"" if request.method == "HEAD" else stored.content
        return HttpResponse(body, status=stored.status, headers=stored.headers)


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


@receiver(setting_changed)
def forget_languages(*, setting: str, **kwargs: object) -> None:
    """Settings changed in tests: choose languages afresh, and keep no copy made before."""
    if setting.startswith("LANGUAGE"):
        chosen_language.cache_clear()
    with COPIES.lock:
        COPIES.clear()
