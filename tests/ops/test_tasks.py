"""Retry policy of background tasks."""

from datetime import timedelta

from delivery.edge import purge_edge_caches
from ops.tasks import RETRY_POLICIES, RetryPolicy


def test_each_retry_waits_twice_as_long_as_the_one_before():
    policy = RetryPolicy(max_attempts=5, backoff_seconds=5)

    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=5),
        timedelta(seconds=10),
        timedelta(seconds=20),
        timedelta(seconds=40),
    ]


def test_edge_purges_are_retried(settings):
    assert RETRY_POLICIES[purge_edge_caches.module_path].max_attempts == 5


def test_without_edge_caches_a_purge_has_nothing_to_do(settings):
    settings.NEWSROOM_EDGE_CACHE_URLS = []

    result = purge_edge_caches.enqueue(["/"])

    assert result.return_value == 0
