"""Three answers about this server's health, none of them ever stored:

* /healthz, liveness: the process answers (nothing else is touched). Restart it when not.
* /readyz, readiness: it can answer pages, that is, the primary database answers. Redis and
  replicas are left out on purpose: pages are served without them (from the primary, built
  afresh), so their outage must not pull every server out of a load balancer at once.
* /admin/status/, for people: every part (primary, each replica with its lag and whether
  this process reads from it, the replica fence, the cache), for staff or a status token.

The first two are answered by middleware at the top of the stack, before host validation,
sessions and the router: load balancers probe by address, and a probe must not depend on
what it checks.
"""

import hmac
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.fence import CURRENT_LSN, fence

CHECK_TIMEOUT_SECONDS = 5


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        if request.path == "/readyz":
            return readiness()
        return self.get_response(request)


def readiness() -> JsonResponse:
    """Ready while the primary database answers; 503 when it does not."""
    checks = {f"database:{DEFAULT_DB_ALIAS}": check_database(DEFAULT_DB_ALIAS)}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


@never_cache
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Every part's health, for staff or a holder of NEWSROOM_STATUS_TOKEN; always 200."""
    if not may_see_status(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    checks = {f"database:{DEFAULT_DB_ALIAS}": check_database(DEFAULT_DB_ALIAS)}
    for alias in settings.DATABASE_REPLICAS:
        checks[f"database:{alias}"] = check_replica(alias)
    if settings.DATABASE_REPLICAS:
        checks["replica_fence"] = check_fence()
    checks["cache"] = check_cache()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks})


def may_see_status(request: HttpRequest) -> bool:
    if request.user.is_active and request.user.is_staff:
        return True
    return holds_token(request, settings.NEWSROOM_STATUS_TOKEN)


def holds_token(request: HttpRequest, token: str) -> bool:
    """Whether the request presents ``token`` as its bearer token (never an empty one)."""
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def timed(check: Callable[[], dict | None]) -> dict:
    start = time.perf_counter()
    try:
        details = check() or {}
    except Exception as error:  # any failure at all means "not ready"
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 2), **details}


def check_database(alias: str) -> dict:
    def query() -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return timed(query)


def check_replica(alias: str) -> dict:
    """How far behind the primary a replica is, asked over the fence's short probe."""

    def lag() -> dict:
        replayed = fence.probe(alias)
        if replayed < 0:
            raise RuntimeError("not answering, or not a streaming standby")
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(CURRENT_LSN)
            (current,) = cursor.fetchone()
        paused = alias in fence.replica_paused_until
        return {"lag_bytes": max(0, int(current) - replayed), "in_rotation": not paused}

    return timed(lag)


def check_fence() -> dict:
    def marks() -> dict:
        pinned, written = fence.client.mget(fence.key("pin"), fence.key("written"))
        return {"pinned": pinned is not None, "write_mark": int(written or -1)}

    return timed(marks)


def check_cache() -> dict:
    def round_trip() -> None:
        token = uuid.uuid4().hex
        cache.set("readyz", token, CHECK_TIMEOUT_SECONDS)
        if cache.get("readyz") != token:
            raise RuntimeError("the cache did not return what was stored")

    return timed(round_trip)
