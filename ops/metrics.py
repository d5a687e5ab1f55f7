"""Metrics for operators: a Prometheus endpoint at /metrics, behind a bearer token.

Two kinds of figures:

* counted as requests pass (request rate and latency by view, page-cache answers, refused
  sign-ins and lockouts). Under gunicorn each worker counts in its own files in
  PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes one), summed at each scrape;
* read at scrape time from the systems themselves (tasks waiting, failed and stuck; each
  replica's lag; whether each database and the cache answer), so they are right whichever
  process is asked and cost nothing between scrapes.

Without NEWSROOM_METRICS_TOKEN nothing is counted and /metrics does not exist (404).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ops import health, queue

METRICS_PATH = "/metrics"
# Seconds, from a stored page's few milliseconds to a slow admin page.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
# How a request that no URL pattern answered is labelled: a stored page replayed by the page
# cache, or a path nothing matched. Views are labelled by their URL name, so the number of
# series stays bounded whatever addresses clients ask for.
PAGE_CACHE_VIEW = "<page cache>"
UNRESOLVED_VIEW = "<unresolved>"

REQUESTS = Counter(
    "newsroom_http_requests",
    "Requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "newsroom_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view.",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
PAGE_CACHE = Counter(
    "newsroom_page_cache_answers",
    "Public pages by what the page cache did: hit (replayed), miss (built and stored), "
    "not stored (built, not kept).",
    ["result"],
)
LOGIN_FAILURES = Counter("newsroom_login_failures", "Refused sign-ins (wrong password, locked).")
LOCKOUTS = Counter("newsroom_login_lockouts", "Sign-ins refused because of a lockout.")


class MetricsMiddleware:
    """Count and time every request; answer /metrics to a scraper holding the token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.NEWSROOM_METRICS_TOKEN:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == METRICS_PATH:
            return metrics_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request, response)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        if cached := response.get("X-Page-Cache"):
            PAGE_CACHE.labels(cached.lower().replace("-", " ")).inc()
        return response


def view_label(request: HttpRequest, response: HttpResponse) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or UNRESOLVED_VIEW
    if response.get("X-Page-Cache") == "HIT":
        return PAGE_CACHE_VIEW
    return UNRESOLVED_VIEW


def metrics_response(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus' text format; 401 without the right bearer token."""
    if not health.holds_token(request, settings.NEWSROOM_METRICS_TOKEN):
        return HttpResponse(
            status=401, headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"}
        )
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # every worker's counts, summed
    else:
        for collector in (REQUESTS, LATENCY, PAGE_CACHE, LOGIN_FAILURES, LOCKOUTS):
            registry.register(collector)
    registry.register(SystemsCollector())
    return HttpResponse(
        generate_latest(registry),
        content_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )


class SystemsCollector(Collector):
    """Figures read from the databases, the cache and the task queue at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "newsroom_up",
            "Whether a database or the cache answers (1) or not (0).",
            labels=["part"],
        )
        checks = {f"database:{alias}": health.check_database(alias) for alias in connections}
        checks["cache"] = health.check_cache()
        for part, result in checks.items():
            up.add_metric([part], 1 if result["ok"] else 0)
        yield up
        yield from replica_lag(checks)
        yield from task_queue()


def replica_lag(checks: dict[str, dict]) -> Iterator[GaugeMetricFamily]:
    lag_bytes = GaugeMetricFamily(
        "newsroom_replica_lag_bytes",
        "WAL the replica has still to replay, in bytes behind the primary.",
        labels=["replica"],
    )
    lag_seconds = GaugeMetricFamily(
        "newsroom_replica_lag_seconds",
        "Time since the last transaction the replica replayed was committed on the primary "
        "(grows while the primary is idle too: alert on it with the bytes).",
        labels=["replica"],
    )
    for alias in settings.DATABASE_REPLICAS:
        if not checks[f"database:{alias}"]["ok"]:
            continue
        lag = queue.replica_lag(alias)
        if lag is not None:
            lag_bytes.add_metric([alias], lag.bytes)
            lag_seconds.add_metric([alias], lag.seconds)
    yield lag_bytes
    yield lag_seconds


def task_queue() -> Iterator[GaugeMetricFamily]:
    counts = queue.task_counts()
    for name, help_text in (
        ("waiting", "Tasks due to run that no worker has taken yet."),
        ("running", "Tasks a worker is running."),
        ("stuck", "Tasks running or waiting longer than TASKS_STUCK_AFTER_SECONDS."),
        ("failed", "Tasks whose last attempt failed, in the last day."),
    ):
        family = GaugeMetricFamily(f"newsroom_tasks_{name}", help_text)
        family.add_metric([], counts[name])
        yield family


def count_login_failure(sender: object, **kwargs) -> None:
    LOGIN_FAILURES.inc()


def count_lockout(sender: object, **kwargs) -> None:
    LOCKOUTS.inc()
