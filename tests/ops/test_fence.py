"""The replica fence when a part fails: Redis out of reach, a replica failing."""

import time

import pytest
import redis
from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from ops import fence as fence_module
from ops.fence import REPLICA_PAUSE_SECONDS, SETTLE_SECONDS, ReplicaFence
from ops.middleware import ReadReplicaMiddleware
from ops.routers import read_alias, reading_from
from tests.scaleout.servers import free_port, wait_until


@pytest.fixture
def dead_redis_fence(settings) -> ReplicaFence:
    settings.CACHE_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.DATABASE_REPLICAS = ["replica1"]
    fence = ReplicaFence()
    yield fence
    fence.mark_owed = False  # its settling thread stops


class FlakyRedis:
    """Redis refusing until told to answer."""

    def __init__(self) -> None:
        self.up, self.pins = False, []

    def ping(self) -> bool:
        if not self.up:
            raise redis.ConnectionError("Connection refused")
        return True

    def set(self, key: str, value: str, px: int) -> None:
        self.ping()
        self.pins.append(key)


def test_an_owed_mark_is_raised_as_soon_as_redis_answers_without_waiting_for_a_request(
    settings, monkeypatch
):
    # Other processes may not have seen the outage: they trust the mark as soon as Redis
    # answers, so it must not wait for this process's next reader.
    settings.DATABASE_REPLICAS = ["replica1"]
    fence, flaky, raised = ReplicaFence(), FlakyRedis(), []
    monkeypatch.setattr(ReplicaFence, "client", property(lambda fence: flaky))
    monkeypatch.setattr(fence, "raise_mark", lambda: raised.append(flaky.ping()) or 1)
    try:
        fence.pin()  # a write while Redis refuses: it goes ahead, the mark is owed
        time.sleep(SETTLE_SECONDS * 3)
        owed_during_outage = fence.mark_owed
        flaky.up = True
        wait_until(lambda: not fence.mark_owed, 5, "the owed mark to be raised")
    finally:
        fence.mark_owed = False

    assert owed_during_outage
    assert raised == [True]
    assert flaky.pins == [fence.key("pin")]  # readers everywhere go to the primary a while
    assert not fence.redis_paused()


def test_with_redis_refusing_readers_read_from_the_primary_and_redis_is_left_alone(
    dead_redis_fence, monkeypatch
):
    assert dead_redis_fence.alias_for_reads() == DEFAULT_DB_ALIAS
    assert dead_redis_fence.redis_paused()
    asked = property(lambda fence: pytest.fail("Redis was asked again during its pause"))
    monkeypatch.setattr(ReplicaFence, "client", asked)

    assert dead_redis_fence.alias_for_reads() == DEFAULT_DB_ALIAS
    dead_redis_fence.pin()


def test_with_redis_refusing_writes_need_no_pin_and_owe_the_mark(dead_redis_fence):
    dead_redis_fence.pin()  # no error: the write goes ahead

    assert dead_redis_fence.mark_owed
    assert dead_redis_fence.redis_paused()


@pytest.fixture
def fence(settings, monkeypatch) -> ReplicaFence:
    settings.DATABASE_REPLICAS = ["replica1"]
    fence = ReplicaFence()
    probes = []

    def probe(alias: str) -> int:
        probes.append(alias)
        return fence.record_replayed(alias, fence.probe_answer)

    fence.probe_answer, fence.probes = 100, probes
    monkeypatch.setattr(fence, "probe", probe)
    return fence


def test_a_failed_replica_is_left_out_and_forgets_how_far_it_had_replayed(fence):
    fence.replayed["replica1"] = 100

    fence.replica_failed("replica1")

    assert "replica1" not in fence.replayed
    assert fence.replica_paused_until["replica1"] > time.monotonic()
    assert fence.caught_up_replica(mark=50) == DEFAULT_DB_ALIAS
    assert fence.probes == []  # not asked again before its pause is over


def test_a_failed_replica_serves_again_only_once_it_answers_and_has_caught_up(fence):
    fence.replica_failed("replica1")
    fence.replica_paused_until["replica1"] = time.monotonic() - 1  # its pause is over
    fence.probe_answer = 90

    behind = fence.caught_up_replica(mark=100)

    assert behind == DEFAULT_DB_ALIAS
    assert fence.probes == ["replica1"]
    assert fence.replica_paused_until["replica1"] > time.monotonic() + REPLICA_PAUSE_SECONDS / 2
    fence.replica_paused_until["replica1"] = time.monotonic() - 1
    fence.probe_answer = 100

    assert fence.caught_up_replica(mark=100) == "replica1"
    assert "replica1" not in fence.replica_paused_until


def test_a_view_whose_replica_fails_under_it_is_answered_from_the_primary(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica1"]
    failed = []
    monkeypatch.setattr(fence_module.fence, "replica_failed", failed.append)
    seen = []

    def view(request) -> HttpResponse:
        seen.append(read_alias.get())
        return HttpResponse("从主库读出")

    request = RequestFactory().get("/")
    request.resolver_match = ResolverMatch(view, (), {})
    middleware = ReadReplicaMiddleware(lambda request: HttpResponse())

    with reading_from("replica1"):
        answer = middleware.process_exception(request, OperationalError("connection refused"))
        other = middleware.process_exception(request, ValueError("a bug, not the replica"))

    assert answer.content.decode() == "从主库读出"
    assert seen == [DEFAULT_DB_ALIAS]
    assert failed == ["replica1"]
    assert other is None


def test_a_failure_while_reading_from_the_primary_is_left_to_the_error_pages(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    middleware = ReadReplicaMiddleware(lambda request: HttpResponse())

    answer = middleware.process_exception(RequestFactory().get("/"), OperationalError("down"))

    assert answer is None
