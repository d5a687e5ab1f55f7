"""The read beacon: ``/read/<story id>/``, sent by the article page's script
(``navigator.sendBeacon``) or by its ``<noscript>`` image. It answers 204 with nothing to
store and no cookie, and asks Redis only (audience/counter.py).

In production the WSGI entry point answers it before Django's middleware (``with_beacon``):
the beacon is the most frequent request the site gets and needs none of them. Django's view
below answers the same address where the site runs without that entry point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from types import SimpleNamespace

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from audience import counter
from audit.addresses import client_address

PATH = re.compile(r"^/read/([0-9]{1,10})/$")
METHODS = ("GET", "HEAD", "POST")
NO_CONTENT = "204 No Content"
HEADERS = [("Cache-Control", "no-store"), ("Content-Length", "0")]


def count(story: int, meta: dict) -> None:
    """Count a read from a request's headers (by ``client_address``'s rules)."""
    address = client_address(SimpleNamespace(META=meta)) or ""
    counter.record(story, address, meta.get("HTTP_USER_AGENT", ""))


@csrf_exempt
@never_cache
@require_http_methods(METHODS)
def read(request: HttpRequest, pk: int) -> HttpResponse:
    count(pk, request.META)
    return HttpResponse(status=HTTPStatus.NO_CONTENT)


def with_beacon(application: Callable) -> Callable:
    """The WSGI application, answering the beacon itself and passing everything else on."""

    def beacon_first(environ: dict, start_response: Callable) -> Iterable[bytes]:
        found = PATH.match(environ.get("PATH_INFO", ""))
        if found is None or environ.get("REQUEST_METHOD") not in METHODS:
            return application(environ, start_response)
        count(int(found[1]), environ)
        start_response(NO_CONTENT, HEADERS)
        return []

    return beacon_first
