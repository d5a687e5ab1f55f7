"""The Redis cache fails open: with Redis out of reach, pages are built from the database."""

import logging
import time
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from django.test import Client

from ops.cache import FailOpenRedisCache
from tests.factories import ArticleFactory, UserFactory
from tests.scaleout.servers import free_port
from tests.shared_redis import disconnect, redis_cache  # noqa: F401 (a fixture)


@pytest.fixture
def dead_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_an_unreachable_redis_reads_as_misses_and_drops_writes(dead_redis, caplog):
    cache = FailOpenRedisCache(dead_redis, {"OPTIONS": {"socket_connect_timeout": 0.5}})

    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        cache.set("page", "stored")
        assert cache.get("page", "missing") == "missing"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("a", 1) is False
        assert cache.incr("version") == 1
        cache.set_with_versions("page", "stored", {"version": 1}, 60)
        assert cache.get_if_current("page") is None

    assert "Redis cache unavailable" in caplog.text


def test_after_one_failure_redis_is_left_alone_for_a_few_seconds(dead_redis, monkeypatch):
    cache = FailOpenRedisCache(dead_redis, {"OPTIONS": {"socket_connect_timeout": 0.5}})
    cache.get("page")
    calls = []
    monkeypatch.setattr(type(cache), "_cache", property(lambda self: calls.append(1)))

    started = time.monotonic()
    for _ in range(100):
        cache.get("page")

    assert calls == []
    assert time.monotonic() - started < 0.1


@pytest.mark.django_db
def test_public_pages_and_the_admin_answer_without_redis(settings, dead_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache.FailOpenRedisCache",
            "LOCATION": dead_redis,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    article = ArticleFactory(title="吉首新增三处停车场")
    editor = Client(raise_request_exception=False)
    editor.force_login(UserFactory(username="chief", is_superuser=True))
    reader = Client(raise_request_exception=False)

    page = reader.get(article.get_absolute_url())
    admin = editor.get("/admin/articles/article/")
    ready = reader.get("/readyz")
    status = editor.get("/admin/status/")

    assert page.status_code == HTTPStatus.OK
    assert "吉首新增三处停车场" in page.content.decode()
    assert admin.status_code == HTTPStatus.OK
    assert ready.status_code == HTTPStatus.OK  # still ready: pages serve without Redis
    assert status.json()["checks"]["cache"]["ok"] is False  # the status page tells people


@pytest.fixture
def live_cache(request) -> Iterator[FailOpenRedisCache]:
    """The production cache on the test Redis."""
    config = request.getfixturevalue("redis_cache")
    cache = FailOpenRedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})
    yield cache
    disconnect(cache)


def test_a_value_stored_with_versions_is_answered_while_they_hold(live_cache):
    live_cache.set("version:a", 3)
    live_cache.set_with_versions("page", {"body": "页面"}, {"version:a": 3, "version:b": 0}, 60)

    assert live_cache.get_if_current("page") == {"body": "页面"}


@pytest.mark.parametrize("change", ["move", "create", "lose"])
def test_a_value_stored_with_versions_is_gone_once_one_changes(live_cache, change):
    live_cache.set("version:a", 3)
    live_cache.set_with_versions("page", "stored", {"version:a": 3, "version:b": 0}, 60)

    if change == "move":
        live_cache.incr("version:a")
    elif change == "create":
        live_cache.add("version:b", 1)
    else:
        live_cache.delete("version:a")

    assert live_cache.get_if_current("page") is None


def test_stored_pages_go_through_one_kept_redis_client(live_cache):
    live_cache.set_with_versions("page", "stored", {}, 60)

    assert live_cache.get_if_current("page") == "stored"
    assert live_cache.client is live_cache.client
