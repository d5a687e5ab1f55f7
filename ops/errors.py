"""Error pages: a database out of reach is "come back shortly" (503), not a crash (500).

Django has no handler503. Every exception escaping a view or a middleware reaches
``handler500`` while it is still being handled, so the 500 handler looks at it: the
database refusing connections, a dropped connection or the pool giving up waiting (all
``OperationalError``/``InterfaceError``) answer 503 with Retry-After. The page needs
nothing from the database or the cache.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("newsroom.errors")

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the error, or one it was raised from, says the database is out of reach."""
    while error is not None:
        if isinstance(error, UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the static 503 page while the database is unavailable, else 500.html."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    return HttpResponseServerError(loader.get_template("500.html").render())


def unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
