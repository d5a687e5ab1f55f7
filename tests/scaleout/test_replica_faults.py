"""Real faults under a site with a streaming replica: the standby stopped, Redis hung or gone.

What each costs, as asserted here (and printed, with the time to recover):

* standby stopped: the first reader of each app process waits for the replica's pool
  (DATABASE_REPLICA_POOL_TIMEOUT) and is answered from the primary; later readers are read
  from the primary at once. Editors see nothing. The standby serves again once it answers
  and has replayed every write, including those made while it was down.
* Redis hung (SIGSTOP) or refused (killed): the first request of a process waits one short
  timeout, then Redis is left alone for a few seconds. Readers read from the primary (no
  stored pages), editors sign in and publish as usual. When Redis is back, the write mark
  is raised to the primary's position before the lagging standby may serve again, so no
  reader sees what was changed during the outage undone.
"""

import contextlib
import json
import os
import shutil
import signal
import time
from http import HTTPStatus

import pytest

from ops.fence import REPLICA_PAUSE_SECONDS
from tests.scaleout.servers import AppServer, Browser, Cluster, RedisServer, require, wait_until
from tests.scaleout.test_replica import (  # noqa: F401 (the module's clusters fixture)
    PIN_SECONDS,
    assert_readers_use_the_standby,
    caught_up,
    clusters,
    wait_for_replay,
)

pytestmark = pytest.mark.faults

TOKEN = "replica-faults-status"
# A fault may cost one reader per process a short wait; every later answer is quick.
FIRST_SECONDS = 3
QUICK_SECONDS = 1


@pytest.fixture(scope="module")
def redis_server():
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer().start()
    yield server
    resume(server)
    server.kill()


@pytest.fixture(scope="module")
def site(clusters, redis_server, static_root, tmp_path_factory):  # noqa: F811
    primary, standby = clusters
    logs = tmp_path_factory.mktemp("replica-fault-logs")
    server = AppServer(
        env={
            **os.environ,
            "DATABASE_URL": primary.url(),
            "DATABASE_REPLICA_URLS": standby.url(),
            "DATABASE_REPLICA_PIN_SECONDS": str(PIN_SECONDS),
            "CACHE_URL": redis_server.url,
            "CACHE_KEY_PREFIX": "replica-faults",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_MEDIA_ROOT": str(logs),
            "DJANGO_DEBUG": "off",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_MAX_REQUESTS": "0",
            "NEWSROOM_STATUS_TOKEN": TOKEN,
        },
        log_path=logs / "gunicorn.log",
    )
    yield server.start()
    server.stop()


@pytest.fixture
def healthy(clusters, redis_server, site):  # noqa: F811
    """Standby and Redis up and caught up before and after each test."""
    primary, standby = clusters
    wait_for_replay(primary, standby)
    yield primary, standby
    resume(redis_server)
    if not redis_server.answers():
        redis_server.start()
    wait_for_replay(primary, standby)


def resume(redis_server: RedisServer) -> None:
    if redis_server.process and redis_server.process.poll() is None:
        redis_server.process.send_signal(signal.SIGCONT)


def reload_if_running(cluster: Cluster) -> None:
    with contextlib.suppress(AssertionError):  # not started: it reads it when it starts
        cluster.sql("SELECT pg_reload_conf()")


def path_of(primary: Cluster, pk: int) -> str:
    day = primary.sql(
        "SELECT to_char(first_published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY/MM/DD') "
        f"FROM articles_article WHERE id = {pk}"
    )
    return f"/content/{day}/{pk}.html"


def live_article(primary: Cluster, offset: int) -> tuple[int, str]:
    """(id, path) of a published demo article."""
    pk = int(
        primary.sql(
            "SELECT id FROM articles_article WHERE status = 'published' "
            f"ORDER BY first_published_at DESC, id DESC OFFSET {offset} LIMIT 1"
        )
    )
    return pk, path_of(primary, pk)


def read(reader: Browser, url: str):
    """Read a page from the database, never from a stored copy (an unread query)."""
    return reader.get(f"{url}?fault-read={time.monotonic_ns()}")


def approved_article(primary: Cluster) -> tuple[int, str]:
    """A story of the demo not yet out (submitted first, else a draft), made ready to publish."""
    pk = int(
        primary.sql(
            "SELECT id FROM articles_article WHERE status IN ('in_review', 'draft') "
            "AND revision_of_id IS NULL ORDER BY status DESC, id LIMIT 1"
        )
    )
    primary.sql(
        f"UPDATE articles_article SET status = 'approved', review_level = 0 WHERE id = {pk}"
    )
    return pk, primary.sql(f"SELECT title FROM articles_article WHERE id = {pk}")


def timed_reads(origin: str, count: int) -> list[tuple[int, float]]:
    """Read the home page ``count`` times, never from a stored copy (an unread query)."""
    reader, answers = Browser(), []
    for _ in range(count):
        started = time.monotonic()
        answer = read(reader, f"{origin}/")
        answers.append((answer.status, time.monotonic() - started))
    return answers


def status_checks(origin: str) -> dict:
    answer = Browser().get(f"{origin}/admin/status/", Authorization=f"Bearer {TOKEN}")
    assert answer.status == HTTPStatus.OK
    return json.loads(answer.text)["checks"]


def back_in_rotation(origin: str) -> bool:
    """Whether this (single-process) site has taken the standby back, after a read."""
    timed_reads(origin, 1)
    return status_checks(origin)["database:replica1"].get("in_rotation") is True


def report(what: str, reads: list[tuple[int, float]], recovered: float) -> None:
    took = [round(seconds, 2) for _, seconds in reads]
    statuses = [status for status, _ in reads]
    print(f"\n{what}: readers {statuses} in {took} s; back in {recovered:.2f} s")


def test_a_stopped_standby_sends_readers_to_the_primary_until_it_has_caught_up(site, healthy):
    primary, standby = healthy
    # A story of the demo load, published before the standby was cloned: restarted with its
    # replay held back, the standby replays nothing since its last restart point, so a
    # story published in this module (the Redis tests publish one) may not be live there.
    pk, path = live_article(primary, offset=20)
    editor, reader = Browser(), Browser()
    editor.log_in(site.origin, "admin", "newsroom-demo")
    time.sleep(PIN_SECONDS)  # the sign-in's pin is down
    assert_readers_use_the_standby(site, primary, standby)

    standby.stop(mode="immediate")
    try:
        reads = timed_reads(site.origin, 6)
        withdrawn = editor.transition(site.origin, pk, "withdraw", note="来源存疑")
        gone = read(reader, f"{site.origin}{path}")
        # Back, but replaying nothing new for now: it still holds the article as published.
        standby.configure(recovery_min_apply_delay="'1h'")
        standby.start()
        started = time.monotonic()
        time.sleep(REPLICA_PAUSE_SECONDS + 1)  # its pause is over: probed, found behind
        lagging = [read(reader, f"{site.origin}{path}").status for _ in range(3)]
        in_rotation = status_checks(site.origin)["database:replica1"]["in_rotation"]
        held = standby.sql(f"SELECT status FROM articles_article WHERE id = {pk}")
    finally:
        standby.configure(recovery_min_apply_delay="0")
        reload_if_running(standby)
    wait_until(lambda: caught_up(primary, standby), 30, "the standby to catch up")
    wait_until(lambda: back_in_rotation(site.origin), 15, "the standby back in rotation")
    recovered = time.monotonic() - started
    report("standby stopped", reads, recovered)
    assert_readers_use_the_standby(site, primary, standby)

    assert [status for status, _ in reads] == [HTTPStatus.OK] * len(reads)
    assert reads[0][1] < FIRST_SECONDS  # the one reader whose replica failed under it
    assert all(seconds < QUICK_SECONDS for _, seconds in reads[1:])
    assert withdrawn.status == HTTPStatus.FOUND
    assert gone.status == HTTPStatus.GONE
    assert held == "published"  # the standby restarted behind the primary...
    assert lagging == [HTTPStatus.GONE] * 3  # ...and no reader was served its old copy
    assert in_rotation is False
    assert recovered < 30
    assert read(reader, f"{site.origin}{path}").status == HTTPStatus.GONE


def redis_outage(kind: str, redis_server: RedisServer) -> None:
    if kind == "hung":
        redis_server.process.send_signal(signal.SIGSTOP)  # accepts, never answers
    else:
        redis_server.kill()  # refused


def redis_back(kind: str, redis_server: RedisServer) -> None:
    if kind == "hung":
        resume(redis_server)  # every key as it was before the outage
    else:
        redis_server.start()  # on the same port, empty


@pytest.mark.parametrize("kind", ["hung", "refused"])
def test_with_redis_out_editors_sign_in_and_publish_and_readers_never_see_the_past(
    site, healthy, redis_server, kind
):
    primary, standby = healthy
    draft_pk, draft_title = approved_article(primary)
    pk, path = live_article(primary, offset=1)
    reader = Browser()
    time.sleep(PIN_SECONDS)  # any earlier test's pin is down
    assert_readers_use_the_standby(site, primary, standby)
    assert read(reader, f"{site.origin}{path}").status == HTTPStatus.OK
    standby.sql("SELECT pg_wal_replay_pause()")  # the standby will miss what follows

    redis_outage(kind, redis_server)
    try:
        reads = timed_reads(site.origin, 6)
        editor = Browser()
        signed_in = time.monotonic()
        editor.log_in(site.origin, "admin", "newsroom-demo")
        sign_in_took = time.monotonic() - signed_in
        published = editor.transition(site.origin, draft_pk, "publish")
        withdrawn = editor.transition(site.origin, pk, "withdraw", note="来源存疑")
        new_page = read(reader, f"{site.origin}{path_of(primary, draft_pk)}")
        old_page = read(reader, f"{site.origin}{path}")
        ready = Browser().get(f"{site.origin}/readyz")
        degraded = status_checks(site.origin)
    finally:
        redis_back(kind, redis_server)
    started = time.monotonic()
    wait_until(
        lambda: reader.get(f"{site.origin}/").headers.get("X-Page-Cache") == "HIT",
        15,
        "pages stored in Redis again",
    )
    recovered = time.monotonic() - started
    after = [read(reader, f"{site.origin}{path}").status for _ in range(3)]
    held = standby.sql(f"SELECT status FROM articles_article WHERE id = {pk}")
    wait_for_replay(primary, standby)
    report(f"Redis {kind} (sign-in {sign_in_took:.2f} s)", reads, recovered)

    assert [status for status, _ in reads] == [HTTPStatus.OK] * len(reads)
    assert reads[0][1] < FIRST_SECONDS
    assert sum(seconds for _, seconds in reads) < FIRST_SECONDS + QUICK_SECONDS
    assert sign_in_took < FIRST_SECONDS
    assert published.status == HTTPStatus.FOUND
    assert withdrawn.status == HTTPStatus.FOUND
    assert new_page.status == HTTPStatus.OK
    assert draft_title in new_page.text
    assert old_page.status == HTTPStatus.GONE
    assert ready.status == HTTPStatus.OK  # pages serve: a load balancer keeps the server
    assert degraded["cache"]["ok"] is False
    assert degraded["replica_fence"]["ok"] is False
    # Redis is back with the old write mark (hung) or none (refused); the standby still
    # holds the article as published, and no reader is served that.
    assert held == "published"
    assert after == [HTTPStatus.GONE] * 3
    assert recovered < 15
    time.sleep(PIN_SECONDS)
    assert_readers_use_the_standby(site, primary, standby)
