"""The page cache never answers what the stack behind it would refuse: HTTPS redirects,
pages a query string makes up, and withdrawn stories, whatever the cache did meanwhile."""

from http import HTTPStatus

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from delivery import freshness, pagecache
from tests.articles import test_pagecache
from tests.articles.test_pagecache import page
from tests.factories import go_live

# The page-cache tests' live channel and staff, and commits that run their callbacks.
desk, committed = test_pagecache.desk, test_pagecache.committed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600


# --- HTTPS and the request id -------------------------------------------------------------


def test_plain_http_to_a_stored_page_gets_the_redirect_to_https(client, desk, settings):
    settings.SECURE_SSL_REDIRECT = True
    path = desk.older.get_absolute_url()
    client.get(path, secure=True)
    assert client.get(path, secure=True)["X-Page-Cache"] == "HIT"

    plain = client.get(path)

    assert plain.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert plain["Location"] == f"https://testserver{path}"


def test_a_page_stored_over_https_is_not_answered_over_plain_http(client, desk):
    client.get("/", secure=True)

    assert client.get("/")["X-Page-Cache"] == "MISS"


def test_a_stored_page_carries_this_requests_id(client, desk):
    client.get("/", headers={"x-request-id": "first-request"})

    again = client.get("/", headers={"x-request-id": "second-request"})

    assert again["X-Page-Cache"] == "HIT"
    assert again["X-Request-ID"] == "second-request"


# --- Query strings ------------------------------------------------------------------------


def test_a_query_parameter_the_page_does_not_read_is_answered_but_never_stored(client, desk):
    first = client.get("/?x=1")
    again = client.get("/?x=1")

    assert (first.status_code, again.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("NO-STORE", "NO-STORE")


def test_the_page_number_of_a_list_is_part_of_its_stored_copy(client, desk):
    client.get("/channel/minsheng/?page=1")

    assert client.get("/channel/minsheng/?page=1")["X-Page-Cache"] == "HIT"
    assert client.get("/channel/minsheng/?page=1&utm_source=x")["X-Page-Cache"] == "NO-STORE"


def test_search_is_stored_per_query_in_any_parameter_order(client, desk):
    client.get("/search/?q=%E6%B0%91%E7%94%9F&page=1")

    again = client.get("/search/?page=1&q=%E6%B0%91%E7%94%9F")

    assert again["X-Page-Cache"] == "HIT"


def test_one_client_cannot_store_more_than_the_variant_budget_for_a_path(client, desk, settings):
    settings.NEWSROOM_PAGE_VARIANTS = 3

    answers = [client.get(f"/search/?q=flood{n}") for n in range(5)]

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * 5
    assert [a.get("X-Page-Cache") for a in answers] == ["MISS"] * 3 + [None] * 2
    assert client.get("/")["X-Page-Cache"] == "MISS"  # a page without a query: not counted


def test_missing_pages_count_against_one_budget_per_host(client, desk, settings):
    settings.NEWSROOM_PAGE_VARIANTS = 2

    dated = desk.older.get_absolute_url().removesuffix(f"{desk.older.pk}.html")
    answers = [client.get(f"{dated}{900000 + n}.html") for n in range(3)]

    assert [a.status_code for a in answers] == [HTTPStatus.NOT_FOUND] * 3
    assert [a.get("X-Page-Cache") for a in answers] == ["MISS", "MISS", None]


# --- Withdrawal while the cache is out of reach -------------------------------------------


class HungCache(LocMemCache):
    """The in-process cache, failing open while ``hung`` as ops/cache.py does with Redis:
    reads miss, writes are dropped; what it held before is still there afterwards."""

    hung = False

    def get(self, key, default=None, version=None):
        return default if self.hung else super().get(key, default, version)

    def get_many(self, keys, version=None):
        return {} if self.hung else super().get_many(keys, version)

    def add(self, key, value, timeout=None, version=None):
        return False if self.hung else super().add(key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None):
        if not self.hung:
            super().set(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return delta if self.hung else super().incr(key, delta, version)

    def delete(self, key, version=None):
        return False if self.hung else super().delete(key, version)


@pytest.fixture
def hung_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": f"{__name__}.HungCache",
            "LOCATION": "hung-cache-test",
        }
    }
    yield HungCache
    HungCache.hung = False


def test_a_story_withdrawn_while_the_cache_hung_is_never_served_again(client, desk, hung_cache):
    article = go_live(desk, title="将被撤下的稿件")
    for path in (article.get_absolute_url(), "/"):
        client.get(path)
        again = client.get(path)
        assert again["X-Page-Cache"] == "HIT"
        assert "将被撤下的稿件" in again.content.decode()

    hung_cache.hung = True
    with desk.committed():
        article.withdraw(by=desk.chief, note="事实有误")
    hung_cache.hung = False  # back, with every page it held before

    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.GONE
    assert "将被撤下的稿件" not in page(client, "/")[1]


def test_a_withdrawal_holds_even_if_nothing_after_its_commit_ever_ran(
    client, desk, django_capture_on_commit_callbacks
):
    """The process stops right after the commit: no purge, no version raised, no signal
    received. What the withdrawal's own transaction wrote is enough."""
    article = go_live(desk, title="提交后进程中断")
    for path in (article.get_absolute_url(), "/"):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=False) as never_run:
        article.withdraw(by=desk.chief, note="事实有误")

    assert never_run  # the purges were waiting for the commit, and are lost
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.GONE
    assert "提交后进程中断" not in page(client, "/")[1]


def test_with_the_database_out_of_reach_stored_pages_still_serve_readers(desk, monkeypatch):
    """The generation cannot be read: pages stored under the last one read are answered,
    and any other page is the 503 page at once, without trying the database again."""
    client = Client(raise_request_exception=False)
    now = [1000.0]
    monkeypatch.setattr(pagecache, "monotonic", lambda: now[0])
    stored = desk.older.get_absolute_url()
    client.get(stored)
    assert client.get(stored)["X-Page-Cache"] == "HIT"
    asked = []

    def unreachable():
        asked.append(True)
        raise OperationalError("connection refused")

    monkeypatch.setattr(freshness, "generation", unreachable)
    now[0] += pagecache.COPY_SECONDS  # time to read the generation again

    kept = client.get(stored)
    with CaptureQueriesContext(connection) as queries:
        other = client.get("/channel/no-such-channel/")

    assert asked
    assert kept.status_code == HTTPStatus.OK
    assert kept["X-Page-Cache"] == "HIT"
    assert other.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert len(queries) == 0
