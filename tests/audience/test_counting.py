"""Counting reads: Redis only, one per reader per minute, no robots, nothing when Redis is
down, no cookie and nothing about the reader kept."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audience import counter
from tests.audience.conftest import BROWSER, hours
from tests.factories import beijing

pytestmark = pytest.mark.django_db

NOON = beijing(2026, 3, 2, 12, 0, 30)
NOON_HOUR = str(int(NOON.timestamp()) // 3600)


def beacon(client, story: int, *, agent: str = BROWSER, address: str = "203.0.113.7"):
    return client.post(f"/read/{story}/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def test_a_read_is_one_increment_in_the_hour_and_no_query(client, reads_redis, settings):
    with time_machine.travel(NOON, tick=False), CaptureQueriesContext(connection) as queries:
        response = beacon(client, 41)
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.cookies == {}
    assert response["Cache-Control"].startswith("max-age=0")
    assert len(queries) == 0
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {NOON_HOUR: {41: 1}}


def test_the_same_reader_reloading_within_a_minute_counts_once(client, reads_redis, settings):
    with time_machine.travel(NOON, tick=False) as clock:
        beacon(client, 41)
        clock.shift(timedelta(seconds=59))
        beacon(client, 41)
        assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {NOON_HOUR: {41: 1}}
        clock.shift(timedelta(seconds=2))
        beacon(client, 41)
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {NOON_HOUR: {41: 2}}


def test_other_readers_and_other_stories_count_apart(client, reads_redis, settings):
    with time_machine.travel(NOON, tick=False):
        beacon(client, 41)
        beacon(client, 41, address="198.51.100.2")
        beacon(client, 41, agent=BROWSER + " Edge")
        beacon(client, 42)
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {NOON_HOUR: {41: 3, 42: 1}}


def test_the_address_is_kept_only_as_a_short_lived_hash(client, reads_redis, settings):
    with time_machine.travel(NOON, tick=False):
        beacon(client, 41)
    prefix = settings.NEWSROOM_AUDIENCE_PREFIX
    seen = [key.decode() for key in reads_redis.scan_iter(f"{prefix}:seen:*")]
    assert len(seen) == 1
    assert "203.0.113.7" not in seen[0]
    assert reads_redis.get(seen[0]) == str(int(NOON.timestamp())).encode()
    assert 0 < reads_redis.ttl(seen[0]) <= settings.NEWSROOM_AUDIENCE_REPEAT_SECONDS
    stored = b"".join(reads_redis.dump(key) for key in reads_redis.scan_iter(f"{prefix}:*"))
    assert b"203.0.113.7" not in stored


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Sogou web spider/4.0",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36",
        "",
    ],
)
def test_robots_are_not_counted(client, reads_redis, settings, agent):
    assert beacon(client, 41, agent=agent).status_code == HTTPStatus.NO_CONTENT
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {}


def test_the_noscript_image_counts_too(client, reads_redis, settings):
    with time_machine.travel(NOON, tick=False):
        response = client.get("/read/41/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {NOON_HOUR: {41: 1}}


def test_with_redis_down_the_read_is_dropped_and_the_beacon_still_answers(client, settings):
    settings.NEWSROOM_AUDIENCE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        assert counter.record(41, "203.0.113.7", BROWSER) is False
        assert beacon(client, 41).status_code == HTTPStatus.NO_CONTENT
    finally:
        counter.connect.cache_clear()
        counter.count_script.cache_clear()


def test_with_redis_down_the_article_page_is_unaffected(client, settings, full_article):
    settings.NEWSROOM_AUDIENCE_REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(full_article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK


def test_ids_no_story_can_have_are_not_counted(client, reads_redis, settings):
    assert counter.record(0, "203.0.113.7", BROWSER) is False
    assert counter.record(2**31, "203.0.113.7", BROWSER) is False
    assert client.post("/read/abc/", HTTP_USER_AGENT=BROWSER).status_code == HTTPStatus.NOT_FOUND
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {}


def test_the_wsgi_entry_answers_the_beacon_before_django(reads_redis, settings):
    from audience.beacon import with_beacon

    def django_app(environ, start_response):
        raise AssertionError("the beacon should not reach Django")

    answered = []
    app = with_beacon(django_app)
    environ = {
        "PATH_INFO": "/read/41/",
        "REQUEST_METHOD": "POST",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": BROWSER,
    }
    with time_machine.travel(NOON, tick=False):
        body = app(environ, lambda status, headers: answered.append((status, headers)))
    assert list(body) == []
    assert answered[0][0] == "204 No Content"
    assert "Set-Cookie" not in dict(answered[0][1])
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {NOON_HOUR: {41: 1}}
