"""/healthz (the process answers) and /readyz (its databases and cache answer too).

Answered by middleware at the top of the stack, before host validation, sessions and the
router: load balancers probe by address, and a probe must not depend on what it checks.
"""

import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

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
    """Check every configured database and the cache; 503 when any of them fails."""
    checks = {f"database:{alias}": check_database(alias) for alias in connections}
    checks["cache"] = check_cache()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


def timed(check: Callable[[], None]) -> dict:
    start = time.perf_counter()
    try:
        check()
    except Exception as error:  # any failure at all means "not ready"
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 2)}


def check_database(alias: str) -> dict:
    def query() -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return timed(query)


def check_cache() -> dict:
    def round_trip() -> None:
        token = uuid.uuid4().hex
        cache.set("readyz", token, CHECK_TIMEOUT_SECONDS)
        if cache.get("readyz") != token:
            raise RuntimeError("the cache did not return what was stored")

    return timed(round_trip)
