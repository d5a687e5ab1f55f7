"""Two gunicorn instances on different ports, one database, one Redis: either will do."""

import threading
from http import HTTPStatus

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.sessions.models import Session

from articles.models import Article
from tests.factories import ArticleFactory, ChannelFactory, UserFactory
from tests.scaleout.servers import Browser, wait_until

pytestmark = pytest.mark.scaleout

PASSWORD = "correct horse battery"


@pytest.fixture
def desk_data(transactional_db):
    """A superuser and an approved article in a channel, committed so every server sees them."""
    # Hashed as in production: the servers do not know the tests' fast hasher.
    chief = UserFactory(username="chief", is_superuser=True)
    chief.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    chief.save(update_fields=["password"])
    channel = ChannelFactory(name="州内要闻", slug="zhouneiyaowen")
    return ArticleFactory(
        status="approved", first_published_at=None, channel=channel, title="吉首至怀化高铁今日开通"
    )


@pytest.fixture(scope="module", params=["db", "cache"])
def session_store(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def two_servers(server_env, start_server, session_store):
    env = {
        **server_env,
        "DJANGO_SESSION_STORE": session_store,
        "DATABASE_SLOW_QUERY_MS": "0.001",  # log every statement, to see it in the logs
    }
    return start_server(env, "a"), start_server(env, "b")


@pytest.mark.parametrize("session_store", ["db"], indirect=True)
def test_article_published_through_one_server_is_visible_through_the_other_at_once(
    two_servers, desk_data
):
    a, b = two_servers
    editor, reader = Browser(), Browser()
    editor.log_in(a.origin, "chief", PASSWORD)
    assert "吉首至怀化高铁今日开通" not in reader.get(f"{b.origin}/channel/zhouneiyaowen/").text

    published = editor.admin_action(a.origin, "publish_selected", desk_data.pk)

    assert published.status == HTTPStatus.FOUND
    url = Article.objects.get(pk=desk_data.pk).get_absolute_url()
    page = reader.get(f"{b.origin}{url}")
    assert page.status == HTTPStatus.OK
    assert "吉首至怀化高铁今日开通" in page.text
    # b may answer the channel page it showed a moment ago from its own copy for up to
    # pagecache.COPY_SECONDS after Redis last confirmed it; then it must list the story.
    wait_until(
        lambda: "吉首至怀化高铁今日开通" in reader.get(f"{b.origin}/channel/zhouneiyaowen/").text,
        seconds=5,
        what="the other server's channel page to list the story",
    )

    withdrawn = editor.transition(b.origin, desk_data.pk, "withdraw", note="核实中")

    assert withdrawn.status == HTTPStatus.FOUND
    assert reader.get(f"{a.origin}{url}").status == HTTPStatus.GONE


def test_a_session_started_on_one_server_works_on_the_other(two_servers, desk_data):
    a, b = two_servers
    editor = Browser()

    editor.log_in(a.origin, "chief", PASSWORD)

    assert editor.get(f"{b.origin}/admin/").status == HTTPStatus.OK
    assert editor.get(f"{a.origin}/admin/").status == HTTPStatus.OK
    editor.post_form(f"{b.origin}/admin/logout/", {}, from_page=f"{b.origin}/admin/")
    assert editor.get(f"{a.origin}/admin/").status == HTTPStatus.FOUND  # back to login


@pytest.mark.parametrize("session_store", ["cache"], indirect=True)
def test_a_value_one_server_caches_in_redis_is_read_by_the_other(
    two_servers, desk_data, redis_url, key_prefix
):
    a, b = two_servers
    editor = Browser()

    editor.log_in(a.origin, "chief", PASSWORD)  # server a writes the session to Redis only

    stored = list(redis.Redis.from_url(redis_url).scan_iter(f"{key_prefix}:*session*"))
    assert [key.decode().endswith(editor.session_id()) for key in stored] == [True]
    assert not Session.objects.exists()
    assert editor.get(f"{b.origin}/admin/").status == HTTPStatus.OK  # b read it from Redis


@pytest.mark.parametrize("session_store", ["db"], indirect=True)
def test_requests_are_logged_as_json_lines_carrying_the_request_id(two_servers, desk_data):
    a, _ = two_servers
    ArticleFactory(channel=desk_data.channel)

    page = Browser().get(f"{a.origin}/channel/zhouneiyaowen/", **{"X-Request-ID": "req-7f3a9"})

    assert page.headers["X-Request-ID"] == "req-7f3a9"

    def logged() -> list[dict]:
        return [line for line in a.json_logs() if line.get("request_id") == "req-7f3a9"]

    # The access line is written just after the response has been sent.
    wait_until(lambda: any(line["logger"] == "gunicorn.access" for line in logged()))
    logs = logged()
    access = [line for line in logs if line["logger"] == "gunicorn.access"]
    assert access == [
        access[0] | {"method": "GET", "path": "/channel/zhouneiyaowen/", "status": 200}
    ]
    assert access[0]["duration_ms"] > 0
    slow = [line for line in logs if line["logger"] == "newsroom.db.slow"]
    assert any("articles_article" in line["sql"] for line in slow)
    assert all(line["level"] == "WARNING" and line["duration_ms"] >= 0 for line in slow)


@pytest.mark.parametrize("session_store", ["db"], indirect=True)
def test_graceful_reload_replaces_the_workers_without_failing_a_request(two_servers, desk_data):
    a, _ = two_servers
    old_workers = a.worker_pids()
    assert old_workers
    statuses: list[int] = []
    stop = threading.Event()

    def read_continuously() -> None:
        reader = Browser()
        while not stop.is_set():
            statuses.append(reader.get(f"{a.origin}/").status)

    readers = [threading.Thread(target=read_continuously) for _ in range(4)]
    for thread in readers:
        thread.start()
    wait_until(lambda: len(statuses) > 20, what="the first requests")

    a.reload()
    wait_until(lambda: a.worker_pids().isdisjoint(old_workers), 30, "new workers")
    served_before = len(statuses)
    wait_until(lambda: len(statuses) > served_before + 20, what="requests to the new workers")
    stop.set()
    for thread in readers:
        thread.join()

    assert set(statuses) == {HTTPStatus.OK}
    assert len(a.worker_pids()) == len(old_workers)
