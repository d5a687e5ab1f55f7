"""Real faults: the database stopped under a running site, and Redis killed under one.

The tests own what they break: a PostgreSQL cluster made with initdb on a free port, and
a redis-server of their own. With the database down, stored pages are still served,
other pages and the admin answer the Chinese 503 page within seconds, a save posted
meanwhile leaves nothing behind, and the site comes back by itself when the database
does. With Redis down, every page is built from the database: no error reaches anyone.
"""

import html
import os
import re
import shutil
import time
from http import HTTPStatus

import pytest

from delivery.pagecache import COPY_SECONDS
from tests.scaleout.servers import (
    Browser,
    Cluster,
    RedisServer,
    manage,
    own_cluster,
    require,
    wait_until,
)

pytestmark = pytest.mark.faults

PASSWORD = "correct horse battery"
SETUP = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import ArticleFactory, ChannelFactory, UserFactory
channel = ChannelFactory(name="民生", slug="minsheng")
for number in range(4):
    ArticleFactory(channel=channel, title=f"湘西民生新闻{number}")
UserFactory(username="chief", is_superuser=True)
"""
# A database out of reach must cost a reader a few seconds at most, not the pool's old 10.
FAST_SECONDS = 5


@pytest.fixture(scope="module")
def cluster():
    """A PostgreSQL cluster of this module's own, migrated, with a few published articles."""
    with own_cluster("newsroom-faults-") as cluster:
        manage("shell", "-c", SETUP, env={**os.environ, "DATABASE_URL": cluster.url()})
        yield cluster


@pytest.fixture(scope="module")
def app_env(cluster, static_root, tmp_path_factory):
    return {
        **os.environ,
        "DATABASE_URL": cluster.url(),
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(tmp_path_factory.mktemp("faults-media")),
        "DJANGO_DEBUG": "off",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_MAX_REQUESTS": "0",
    }


def article_paths(cluster: Cluster) -> dict[str, tuple[int, str]]:
    """title: (id, permanent path) of every published article."""
    rows = cluster.sql(
        "SELECT title || '|' || id || '|' || to_char(first_published_at AT TIME ZONE "
        "'Asia/Shanghai', 'YYYY/MM/DD') FROM articles_article ORDER BY id"
    ).splitlines()
    found = {}
    for row in rows:
        title, pk, day = row.split("|")
        found[title] = (int(pk), f"/content/{day}/{pk}.html")
    return found


def timed_get(browser: Browser, url: str):
    started = time.monotonic()
    answer = browser.get(url)
    return answer, time.monotonic() - started


def assert_unavailable_page(answer) -> None:
    assert answer.status == HTTPStatus.SERVICE_UNAVAILABLE, answer.text[:500]
    assert answer.headers["Retry-After"] == "30"
    assert "网站正在维护，请稍后再来" in answer.text
    assert "Traceback" not in answer.text


def test_with_the_database_down_stored_pages_serve_others_say_503_and_it_recovers(
    cluster, app_env, redis_url, key_prefix, start_server
):
    site = start_server({**app_env, "CACHE_URL": redis_url, "CACHE_KEY_PREFIX": key_prefix})
    articles = article_paths(cluster)
    (stored_pk, stored), (_, uncached) = articles["湘西民生新闻0"], articles["湘西民生新闻1"]
    reader, editor = Browser(), Browser()
    editor.log_in(site.origin, "chief", PASSWORD)
    form_page = editor.get(f"{site.origin}/admin/articles/article/{stored_pk}/change/").text
    token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)[1])
    version = re.search(r'name="edit_version" value="(\d+)"', form_page)[1]
    for path in ("/", stored):
        reader.get(f"{site.origin}{path}")
    assert reader.get(f"{site.origin}{stored}").headers.get("X-Page-Cache") == "HIT"
    revisions = cluster.sql("SELECT count(*) FROM articles_revision")

    cluster.stop(mode="fast")
    try:
        kept, _ = timed_get(reader, f"{site.origin}{stored}")
        home, _ = timed_get(reader, f"{site.origin}/")
        missing, missing_took = timed_get(reader, f"{site.origin}{uncached}")
        desk, desk_took = timed_get(editor, f"{site.origin}/admin/")
        save = editor.request(
            f"{site.origin}/admin/articles/article/{stored_pk}/change/",
            {
                "csrfmiddlewaretoken": token,
                "edit_version": version,
                "title": "停机时提交的标题",
                "channel": "1",
                "origin": "original",
                **{
                    f"{prefix}-{count}": "0"
                    for prefix in ("credits", "picks", "links", "gallery_items")
                    for count in ("TOTAL_FORMS", "INITIAL_FORMS")
                },
            },
        )
    finally:
        cluster.start()

    assert kept.status == HTTPStatus.OK
    assert "湘西民生新闻0" in kept.text
    assert home.status == HTTPStatus.OK
    assert_unavailable_page(missing)
    assert missing_took < FAST_SECONDS
    assert_unavailable_page(desk)
    assert desk_took < FAST_SECONDS
    assert_unavailable_page(save)
    started = time.monotonic()
    wait_until(
        lambda: reader.get(f"{site.origin}{uncached}").status == HTTPStatus.OK,
        15,
        "the site to reconnect to the restarted database",
    )
    recovered_after = time.monotonic() - started
    print(f"503 in {missing_took:.2f} s (admin {desk_took:.2f} s); back {recovered_after:.2f} s")
    assert recovered_after < 10  # by itself, without restarting gunicorn
    assert editor.get(f"{site.origin}/admin/").status == HTTPStatus.OK
    assert cluster.sql(f"SELECT title FROM articles_article WHERE id = {stored_pk}") == (
        "湘西民生新闻0"
    )
    assert cluster.sql("SELECT count(*) FROM articles_revision") == revisions


def test_with_redis_killed_pages_and_the_admin_are_built_from_the_database(
    cluster, app_env, start_server
):
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    redis = RedisServer().start()
    try:
        site = start_server({**app_env, "CACHE_URL": redis.url, "CACHE_KEY_PREFIX": "faults"})
        _, page = article_paths(cluster)["湘西民生新闻2"]
        reader, editor = Browser(), Browser()
        editor.log_in(site.origin, "chief", PASSWORD)
        reader.get(f"{site.origin}{page}")
        assert reader.get(f"{site.origin}{page}").headers.get("X-Page-Cache") == "HIT"

        redis.kill()
        time.sleep(COPY_SECONDS)  # a copy Redis confirmed just before may be answered so long
        answers = [timed_get(reader, f"{site.origin}{path}") for path in ("/", page, page)]
        desk, _ = timed_get(editor, f"{site.origin}/admin/articles/article/")
        ready = reader.get(f"{site.origin}/readyz")
    finally:
        redis.kill()

    for answer, took in answers:
        assert answer.status == HTTPStatus.OK, answer.text[:500]
        assert answer.headers.get("X-Page-Cache") != "HIT"
        assert took < FAST_SECONDS
    assert "湘西民生新闻2" in answers[1][0].text
    assert desk.status == HTTPStatus.OK
    assert "湘西民生新闻2" in desk.text
    assert ready.status == HTTPStatus.OK  # pages serve: a load balancer must keep the server
