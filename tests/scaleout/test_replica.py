"""A real PostgreSQL streaming replica: readers on the standby, editors on the primary.

The test builds its own primary cluster (initdb, on a free port), loads the demo station,
clones it with pg_basebackup into a hot standby on another port, and serves both through
gunicorn with DATABASE_REPLICA_URLS. Pausing WAL replay on the standby makes replication
lag as long as the test needs: whatever the primary has withdrawn, no reader sees it.
"""

import json
import os
import shutil
import time
from http import HTTPStatus

import pytest

from tests.scaleout.conftest import REDIS_URL
from tests.scaleout.servers import (
    AppServer,
    Browser,
    Cluster,
    make_workdir,
    manage,
    postgres_bindir,
    require,
    wait_until,
)

pytestmark = pytest.mark.scaleout

PIN_SECONDS = 1
STATUS_TOKEN = "replica-status-token"
METRICS_TOKEN = "replica-metrics-token"
LOAD_DEMO = (
    "from django.core.management import call_command as run; run('migrate'); run('load_demo')"
)


@pytest.fixture(scope="module")
def clusters():
    """A primary with the demo station, and its streaming hot standby."""
    bindir = postgres_bindir()
    require(bindir is not None, "PostgreSQL server programs not found: set POSTGRES_BINDIR")
    require(os.geteuid() != 0 or shutil.which("runuser"), "runuser is needed to run as postgres")
    workdir = make_workdir("newsroom-replica-")
    primary = Cluster(bindir, workdir / "primary")
    standby = Cluster(bindir, workdir / "standby")
    try:
        primary.init(wal_level="replica", max_wal_senders="4")
        env = {**os.environ, "DATABASE_URL": primary.url(), "DJANGO_MEDIA_ROOT": str(workdir)}
        manage("shell", "-c", LOAD_DEMO, env=env)
        primary.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", str(standby.datadir), "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        standby.configure(port=str(standby.port), hot_standby="on")
        standby.start()
        assert standby.sql("SELECT pg_is_in_recovery()") == "t"
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def site(clusters, static_root, tmp_path_factory):
    """gunicorn reading from the standby, writing to the primary, fenced through Redis."""
    primary, standby = clusters
    require(_redis_answers(), f"Redis at {REDIS_URL} is not answering")
    logs = tmp_path_factory.mktemp("replica-logs")
    server = AppServer(
        env={
            **os.environ,
            "DATABASE_URL": primary.url(),
            "DATABASE_REPLICA_URLS": standby.url(),
            "DATABASE_REPLICA_PIN_SECONDS": str(PIN_SECONDS),
            "CACHE_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"newsroom-replica-test-{primary.port}",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_MEDIA_ROOT": str(logs),
            "WEB_CONCURRENCY": "1",
            "NEWSROOM_STATUS_TOKEN": STATUS_TOKEN,
            "NEWSROOM_METRICS_TOKEN": METRICS_TOKEN,
        },
        log_path=logs / "gunicorn.log",
    )
    yield server.start()
    server.stop()


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def published_article(primary: Cluster, offset: int = 0) -> tuple[int, str, str, str]:
    """(id, permanent path, title, its channel's path) of a published demo article."""
    row = primary.sql(
        "SELECT a.id || '|' || to_char(a.first_published_at AT TIME ZONE 'Asia/Shanghai', "
        "'YYYY/MM/DD') || '|' || c.slug || '|' || a.title FROM articles_article a "
        "JOIN articles_channel c ON c.id = a.channel_id WHERE a.status = 'published' "
        f"ORDER BY a.first_published_at DESC, a.id DESC OFFSET {offset} LIMIT 1"
    )
    pk, day, channel, title = row.split("|", 3)
    return int(pk), f"/content/{day}/{pk}.html", title, f"/channel/{channel}/"


def caught_up(primary: Cluster, standby: Cluster) -> bool:
    return (
        standby.sql(
            f"SELECT pg_last_wal_replay_lsn() >= '{primary.sql('SELECT pg_current_wal_lsn()')}'"
        )
        == "t"
    )


def wait_for_replay(primary: Cluster, standby: Cluster) -> None:
    standby.sql("SELECT pg_wal_replay_resume()")
    wait_until(lambda: caught_up(primary, standby), 30, "the standby to catch up")


@pytest.fixture
def replication(clusters):
    """Replay paused on demand by the test; resumed and caught up afterwards."""
    primary, standby = clusters
    wait_for_replay(primary, standby)
    yield primary, standby
    wait_for_replay(primary, standby)


def assert_readers_use_the_standby(site: AppServer, primary: Cluster, standby: Cluster):
    """Change a title behind the app's back while replay is paused: readers see the old one."""
    pk, path, title, _ = published_article(primary, offset=1)
    reader = Browser()
    wait_until(lambda: caught_up(primary, standby), 30, "the standby to catch up")
    wait_until(lambda: reader.get(f"{site.origin}{path}").status == 200, 5, "the page")
    standby.sql("SELECT pg_wal_replay_pause()")
    primary.sql(f"UPDATE articles_article SET title = '只在主库改过的标题' WHERE id = {pk}")
    try:
        page = reader.get(f"{site.origin}{path}")
        assert page.status == HTTPStatus.OK
        assert title in page.text
        assert "只在主库改过的标题" not in page.text
    finally:
        primary.sql(f"UPDATE articles_article SET title = '{title}' WHERE id = {pk}")
        wait_for_replay(primary, standby)


def test_public_pages_are_read_from_the_standby(site, replication):
    primary, standby = replication

    assert_readers_use_the_standby(site, primary, standby)


def test_an_article_withdrawn_in_the_admin_disappears_for_readers_despite_lag(site, replication):
    primary, standby = replication
    pk, path, title, channel = published_article(primary)
    editor, reader = Browser(), Browser()
    editor.log_in(site.origin, "admin", "newsroom-demo")
    assert reader.get(f"{site.origin}{path}").status == HTTPStatus.OK
    assert title in reader.get(f"{site.origin}{channel}").text
    standby.sql("SELECT pg_wal_replay_pause()")

    withdrawn = editor.transition(site.origin, pk, "withdraw", note="来源存疑")

    assert withdrawn.status == HTTPStatus.FOUND  # the admin wrote to the primary...
    status = f"SELECT status FROM articles_article WHERE id = {pk}"
    assert primary.sql(status) == "withdrawn"
    assert standby.sql(status) == "published"  # ...and the standby lags behind it
    assert reader.get(f"{site.origin}{path}").status == HTTPStatus.GONE
    assert title not in reader.get(f"{site.origin}{channel}").text
    time.sleep(PIN_SECONDS + 0.5)  # the pin is down; the write mark still holds
    assert reader.get(f"{site.origin}{path}").status == HTTPStatus.GONE
    assert title not in reader.get(f"{site.origin}{channel}").text

    wait_for_replay(primary, standby)
    assert reader.get(f"{site.origin}{path}").status == HTTPStatus.GONE
    assert_readers_use_the_standby(site, primary, standby)  # the standby serves again


def test_an_article_withdrawn_by_the_model_method_disappears_for_readers_despite_lag(
    site, replication
):
    primary, standby = replication
    pk, path, title, channel = published_article(primary, offset=2)
    reader = Browser()
    assert reader.get(f"{site.origin}{path}").status == HTTPStatus.OK
    assert title in reader.get(f"{site.origin}{channel}").text
    standby.sql("SELECT pg_wal_replay_pause()")

    withdraw = (
        "from django.contrib.auth.models import User; from articles.models import Article; "
        f"Article.objects.get(pk={pk})"
        ".withdraw(by=User.objects.get(username='admin'), note='撤稿')"
    )

    manage("shell", "-c", withdraw, env=site.env)

    assert standby.sql(f"SELECT status FROM articles_article WHERE id = {pk}") == "published"
    assert reader.get(f"{site.origin}{path}").status == HTTPStatus.GONE
    assert title not in reader.get(f"{site.origin}{channel}").text


def test_the_admin_reads_from_the_primary(site, replication):
    primary, standby = replication
    pk, path, title, _ = published_article(primary, offset=3)
    editor, reader = Browser(), Browser()
    editor.log_in(site.origin, "admin", "newsroom-demo")
    wait_until(lambda: caught_up(primary, standby), 30, "the standby to catch up")
    reader.get(f"{site.origin}{path}")
    standby.sql("SELECT pg_wal_replay_pause()")
    primary.sql(f"UPDATE articles_article SET title = '主库上的新标题' WHERE id = {pk}")

    change_page = editor.get(f"{site.origin}/admin/articles/article/{pk}/change/")

    assert "主库上的新标题" in change_page.text
    primary.sql(f"UPDATE articles_article SET title = '{title}' WHERE id = {pk}")


def test_readiness_checks_the_primary_and_the_status_page_every_part(site):
    ready = Browser().get(f"{site.origin}/readyz")
    status = Browser().get(f"{site.origin}/admin/status/", Authorization=f"Bearer {STATUS_TOKEN}")

    assert ready.status == HTTPStatus.OK
    assert '"database:default": {"ok": true' in ready.text
    assert "replica1" not in ready.text  # pages serve without it: not a readiness matter
    assert status.status == HTTPStatus.OK
    checks = json.loads(status.text)["checks"]
    assert checks["database:replica1"]["ok"] is True
    assert checks["database:replica1"]["in_rotation"] is True
    assert checks["replica_fence"]["ok"] is True
    assert checks["cache"]["ok"] is True


def metric(text: str, name: str) -> float:
    """The value of one sample, written as in the exposition: name{labels}."""
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.rpartition(" ")[2])


def test_metrics_report_the_standby_and_how_far_behind_it_is(site, replication):
    primary, standby = replication
    standby.sql("SELECT pg_wal_replay_pause()")
    primary.sql("CREATE TABLE lag_filler AS SELECT generate_series(1, 20000) AS n")
    try:
        behind = Browser().get(f"{site.origin}/metrics", Authorization=f"Bearer {METRICS_TOKEN}")
    finally:
        primary.sql("DROP TABLE lag_filler")
        wait_for_replay(primary, standby)
    caught_up_now = Browser().get(
        f"{site.origin}/metrics", Authorization=f"Bearer {METRICS_TOKEN}"
    )

    assert behind.status == HTTPStatus.OK
    assert metric(behind.text, 'newsroom_up{part="database:replica1"}') == 1
    assert metric(behind.text, 'newsroom_replica_lag_bytes{replica="replica1"}') > 100_000
    assert metric(caught_up_now.text, 'newsroom_replica_lag_bytes{replica="replica1"}') < 100_000
