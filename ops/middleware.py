"""Per-request plumbing: the request id, refusing NUL characters, and which database the
request reads from."""

import os
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse

from ops.errors import database_unavailable
from ops.fence import fence
from ops.logging import request_id
from ops.routers import read_alias, reading_from

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from the proxy in front (nginx's $request_id is 32 hex digits).
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    """Tag the request, its log lines and its response with one id.

    The proxy's X-Request-ID is kept when it looks sane, so its access log and ours match;
    otherwise a new id is made.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # From META rather than request.headers, which would copy every header of the
        # request: this runs for every request, stored pages included.
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        current = given if VALID_REQUEST_ID.fullmatch(given) else os.urandom(16).hex()
        request.id = current
        # Kept until the response is finished (forget_request_id): Django logs a failed
        # request's status after the middleware has returned.
        request_id.set(current)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = current
        return response


def forget_request_id(**kwargs) -> None:
    """Stop tagging log lines with the id of a request that is over."""
    request_id.set("-")


class ReadReplicaMiddleware:
    """Send an anonymous reader's reads to a replica that has caught up with every write.

    Only safe requests without a session (readers, not editors) may use a replica; the admin,
    signed-in staff and every form post read from the primary. The replica fence
    (ops/fence.py) picks the replica, or the primary while no replica has caught up or
    the chosen one fails.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DATABASE_REPLICAS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.may_use_replica(request):
            return self.get_response(request)
        with reading_from(fence.alias_for_reads()):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view whose replica failed under it is run again on the primary.

        Only a reader's safe request reads from a replica, and it wrote nothing (a write
        would have moved its reads to the primary), so running it again changes nothing."""
        alias = read_alias.get()
        if alias == DEFAULT_DB_ALIAS or not database_unavailable(exception):
            return None
        fence.replica_failed(alias)
        match = request.resolver_match
        with reading_from(DEFAULT_DB_ALIAS):
            return match.func(request, *match.args, **match.kwargs)

    def may_use_replica(self, request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.admin_prefix)
        )


class RefuseNulMiddleware:
    """Refuse with 400 a request whose address or form carries a NUL character.

    No field of the site can hold one (PostgreSQL text cannot store it, and a lookup with one
    fails inside the database driver), so every view would otherwise have to guard itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or has_nul(request.GET) or has_nul(request.POST):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
