"""The language a page is delivered in: Chinese first.

The public site is written for readers in Xiangxi: it speaks Chinese to every browser,
whatever its Accept-Language says, and English only to a reader who chose it with the
language switch (the cookie /i18n/setlang/ sets). So a public page depends on that one
cookie and nothing else, and every cache in front of it (the page cache, the edge) keys on
the same value. The admin is the editors' own tool and keeps following their browser.
"""

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Paths whose language follows the browser as Django's LocaleMiddleware chooses it.
BROWSER_LANGUAGE_PREFIXES = ("/admin/",)


def follows_browser(request: HttpRequest) -> bool:
    """Whether this request's language may come from the browser (the desk's pages)."""
    return request.path.startswith(BROWSER_LANGUAGE_PREFIXES)


def public_language(request: HttpRequest) -> str:
    """The language of a public page: the one the reader switched to, else Chinese."""
    return chosen_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))


@lru_cache(maxsize=64)
def chosen_language(cookie: str) -> str:
    """The site language a switch cookie names ("en-us" reads as English), else the
    site's first language."""
    if cookie:
        try:
            return translation.get_supported_language_variant(cookie)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for the admin; the switch's cookie alone on public pages."""

    def process_request(self, request: HttpRequest) -> None:
        if follows_browser(request):
            super().process_request(request)
            return
        translation.activate(public_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if follows_browser(request):
            return super().process_response(request, response)
        # Not "Vary: Accept-Language": the header no longer changes the page.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
