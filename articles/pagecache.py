"""Whole public pages for anonymous readers, kept in the shared cache and purged exactly.

A view says what its page shows with ``depends_on(request, topics)``; the copy stored
for it is used only while those topics keep their versions (articles/freshness.py), so
publishing, correcting or withdrawing an article makes every page showing it stale at
once on every app server. Readers with a session (editors signed in) never touch it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

from articles import freshness
from articles.navigation import STAMP

KEY_PREFIX = "page"
CACHEABLE_STATUS = {200, 301, 404, 410}
SKIP_PREFIXES = ("/admin/", "/i18n/", "/healthz", "/readyz", "/static/", "/media/")
KEPT_HEADERS = {"content-type", "content-language", "vary", "cache-control", "last-modified",
                "etag", "location", "x-robots-tag"}  # fmt: skip


def depends_on(request: HttpRequest, *topics: str) -> None:
    """Record what the page being built shows (see articles/freshness.py)."""
    request.page_topics = getattr(request, "page_topics", set()) | set(topics)


def page_key(request: HttpRequest) -> str:
    where = f"{request.get_host()}{request.get_full_path()}".encode()
    # navigation.STAMP: a deployment with other templates or settings starts afresh.
    return f"{KEY_PREFIX}:{STAMP}:{translation.get_language()}:{hashlib.sha1(where).hexdigest()}"


def may_use_cache(request: HttpRequest) -> bool:
    return (
        settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(SKIP_PREFIXES)
    )


class PageCacheMiddleware:
    """Serve a fresh stored copy, or build the page and store it with what it shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        usable = may_use_cache(request)
        if usable:
            key = page_key(request)
            stored = cache.get(key)
            if stored is not None and freshness.is_fresh(stored["versions"]):
                return self.rebuild(stored)
            before = freshness.epoch()
        response = self.get_response(request)
        if not hasattr(request, "page_topics"):
            return response  # not a public page
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
            return response
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_PUBLIC_MAX_AGE)
        if usable and self.storable(response):
            made_with = freshness.versions(request.page_topics | {freshness.EPOCH})
            # Something changed while the page was built: it may show the old state.
            if made_with.pop(freshness.EPOCH) == before:
                timeout = freshness.seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
                cache.set(key, self.stored(response, made_with), timeout)
            response["X-Page-Cache"] = "MISS"
        return response

    @staticmethod
    def storable(response: HttpResponse) -> bool:
        return (
            response.status_code in CACHEABLE_STATUS
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def stored(response: HttpResponse, made_with: dict[str, int]) -> dict:
        headers = [(k, v) for k, v in response.items() if k.lower() in KEPT_HEADERS]
        return {
            "status": response.status_code,
            "headers": headers,
            "content": response.content,
            "versions": made_with,
        }

    @staticmethod
    def rebuild(stored: dict) -> HttpResponse:
        response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "HIT"
        return response
